"""The analytics API (DHIS2-like), its SDMX-CSV export read back by pysdmx, rankings,
targets, frameworks and reporting through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lienthong.app import create_app
from lienthong.core.platform import Platform
from lienthong.indicators import compute
from lienthong.indicators.api import router
from tests.test_indicators_support import (  # noqa: F401  (fixtures)
    DOSSIERS,
    HAIPHONG,
    HO_SO_SCHEMA,
    communes,
    ho_so,
    load,
    make_dataset,
    months,
    setup_member,
    store,
    units_pg,
    units_sqlite,
)
from tests.utils import auth, ok


@pytest.fixture
def api(platform: Platform) -> Any:
    app: FastAPI = create_app(platform=platform)
    app.include_router(router)
    token = setup_member(platform)
    make_dataset(platform, DOSSIERS, HO_SO_SCHEMA)
    xa = communes(platform.store, 4)
    load(platform, DOSSIERS, ho_so(0, 1200, xa, months(date(2025, 7, 1), 6)))
    compute.compute_all(platform.store)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, xa, token


def test_analytics_level_and_relative_periods(api: Any) -> None:
    client, xa, _ = api
    body = ok(
        client.get(
            "/api/v1/analytics",
            params={
                "dx": "TTHC_TL_TRUC_TUYEN;TTHC_HO_SO",
                "pe": "2025-Q4;2025",
                "ou": f"{HAIPHONG};LEVEL-3",
            },
        )
    )
    assert [h["name"] for h in body["headers"]][:3] == ["dx", "ou", "pe"]
    units = {r[1] for r in body["rows"]}
    assert units == set(xa)  # LEVEL-3 inside 31: its communes that have values
    row = next(r for r in body["rows"] if r[0] == "TTHC_TL_TRUC_TUYEN" and r[2] == "2025-Q4")
    value, numerator, denominator = row[4], row[5], row[6]
    assert value == pytest.approx(100 * numerator / denominator)
    assert body["metaData"]["items"][xa[0]]["level"] == 3
    province = ok(
        client.get(
            "/api/v1/analytics", params={"dx": "TTHC_HO_SO", "pe": "LAST_5_YEARS", "ou": HAIPHONG}
        )
    )
    assert [r[2] for r in province["rows"]] == ["2025"]
    assert province["rows"][0][4] == 1200


def test_sdmx_csv_is_read_by_pysdmx(api: Any) -> None:
    from pysdmx.io import read_sdmx

    client, _, _ = api
    resp = client.get(
        "/api/v1/analytics.csv",
        params={"dx": "TTHC_TL_TRUC_TUYEN", "pe": "2025-Q3;2025-Q4", "ou": f"{HAIPHONG};LEVEL-1"},
    )
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/vnd.sdmx.data+csv")
    message = read_sdmx(resp.text)
    data = message.data[0].data
    assert list(data["TIME_PERIOD"]) == ["2025-Q3", "2025-Q4"]
    assert set(data["REF_AREA"].astype(str)) == {HAIPHONG}
    json_rows = ok(
        client.get(
            "/api/v1/analytics",
            params={"dx": "TTHC_TL_TRUC_TUYEN", "pe": "2025-Q3;2025-Q4", "ou": HAIPHONG},
        )
    )["rows"]
    assert [float(x) for x in data["OBS_VALUE"]] == pytest.approx([r[4] for r in json_rows])


def test_bad_queries_are_named(api: Any) -> None:
    client, _, _ = api
    bad = client.get("/api/v1/analytics", params={"dx": "NOPE", "pe": "2025", "ou": HAIPHONG})
    assert bad.status_code == 422
    assert "NOPE" in bad.text
    bad = client.get("/api/v1/analytics", params={"dx": "TTHC_HO_SO", "pe": "2025-13", "ou": "31"})
    assert bad.status_code == 422
    assert "no month 13" in bad.text
    bad = client.get("/api/v1/analytics", params={"dx": "TTHC_HO_SO", "pe": "2025", "ou": "99"})
    assert bad.status_code == 404


def test_ranking_targets_and_frameworks(api: Any) -> None:
    client, xa, _ = api
    ranked = ok(
        client.get(
            "/api/v1/indicators/TTHC_TL_DUNG_HAN/ranking",
            params={"pe": "2025-Q4", "level": 3, "within": HAIPHONG},
        )
    )
    assert sorted(r["unit"] for r in ranked["ranking"]) == sorted(xa)
    assert ranked["ranking"][0]["rank"] == 1
    fws = {f["code"]: f for f in ok(client.get("/api/v1/indicators/frameworks"))}
    assert fws["dti-province-922"]["coverage"]["share_computed"] > 0
    detail = ok(client.get("/api/v1/indicators/frameworks/dti-province-922"))
    comps = [c for p in detail["pillars"] for c in p["components"]]
    assert {c["provenance"] for c in comps} == {"reconstructed"}
    targets = ok(client.get("/api/v1/indicators/targets", params={"unit": HAIPHONG}))["targets"]
    assert {t["target"] for t in targets} >= {25.0, 35.0}


def test_reporting_through_the_api(api: Any) -> None:
    client, _, token = api
    csv_body = (
        "element,unit,period,value,source,method\n"
        'GRDP,31,2024,"100,0",gso,TT13/2021\nVA_ICT,31,2024,10,gso,TT13/2021\n'
        "VA_NEN_TANG,31,2024,5,gso,TT13/2021\nVA_SO_HOA,31,2024,7,gso,TT13/2021\n"
    )
    done = ok(
        client.post(
            "/api/v1/indicators/reported.csv",
            params={"member": "GOV/H31"},
            content=csv_body.encode(),
            headers=auth(token),
        ),
        201,
    )
    assert done["inserted"] == 4
    share = ok(
        client.get(
            "/api/v1/analytics",
            params={"dx": "KTS_TY_TRONG", "pe": "2024", "ou": HAIPHONG, "source": "gso"},
        )
    )["rows"]
    assert share[0][4] == pytest.approx(22.0)
    unknown = client.post(
        "/api/v1/indicators/reported",
        headers=auth(token),
        json={
            "member": "GOV/H31",
            "values": [
                {
                    "element": "GRDP",
                    "unit": "00000",
                    "period": "2024",
                    "value": 1,
                    "source": "gso",
                    "method": "x",
                }
            ],
        },
    )
    assert unknown.status_code == 422
    assert "unknown unit" in unknown.text
    anonymous = client.post("/api/v1/indicators/reported", json={"values": []})
    assert anonymous.status_code == 401
