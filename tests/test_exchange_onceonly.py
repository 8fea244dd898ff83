"""Once-only lookups: which datasets and services hold data about a subject, never the data."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import text

from lienthong.core.auth import local_operator
from lienthong.core.platform import Platform
from lienthong.exchange.onceonly import salt, subject_hash
from lienthong.warehouse.ingest import Source, ingest
from tests.exchange_peers import harness as h
from tests.utils import CUSTOMS, HAIPHONG, PORT_TAX_CODE, auth, make_member, make_subsystem, ok

CITIZEN = "031099001234"  # synthetic: Hải Phòng's province code 031, then digits
OTHER = "031099009999"


def _dataset(
    api: TestClient,
    token: str,
    name: str,
    owner: str,
    fields: list[dict[str, object]],
    indexes: list[str],
) -> None:
    body = {
        "name": name,
        "owner": owner,
        "title": f"{name} (synthetic)",
        "schema": {"fields": fields, "indexes": indexes},
    }
    ok(api.post("/api/v1/datasets", json=body, headers=auth(token)), 201)


def test_lookup_names_holders_and_is_audited_with_a_salted_hash(
    platform: Platform, admin_token: str
) -> None:
    api = h.api(platform)
    make_member(api, admin_token, HAIPHONG)
    make_member(api, admin_token, CUSTOMS)
    make_member(
        api,
        admin_token,
        {"member_class": "COM", "member_code": PORT_TAX_CODE, "name": "Cảng Hải Phòng"},
    )
    _dataset(
        api,
        admin_token,
        "bhyt-the",
        "GOV/H31",
        [{"name": "so_cccd", "subject": "citizen_id", "personal": True}, {"name": "noi_kcb"}],
        ["so_cccd"],
    )
    _dataset(
        api,
        admin_token,
        "doanh-nghiep",
        "GOV/G12.31",
        [{"name": "ma_so_thue", "subject": "tax_code"}, {"name": "ten"}],
        [],
    )
    _dataset(api, admin_token, "lich-tau", "GOV/H31", [{"name": "tau"}], [])
    op = local_operator("test")
    ingest(
        platform,
        op,
        "bhyt-the",
        Source.json_records([{"so_cccd": CITIZEN, "noi_kcb": "BV Việt Tiệp"}]),
    )
    ingest(
        platform,
        op,
        "doanh-nghiep",
        Source.json_records([{"ma_so_thue": PORT_TAX_CODE, "ten": "Cảng"}]),
    )
    make_subsystem(api, admin_token, f"COM/{PORT_TAX_CODE}", "TOS")
    body = {
        "provider": h.TOS,
        "code": "declarations",
        "title": "Tờ khai theo MST",
        "upstream_url": "http://127.0.0.1:9",
        "subject_keys": ["tax_code"],
    }
    ok(api.post("/api/v1/exchange/services", json=body, headers=auth(admin_token)), 201)

    person = ok(api.get(f"/api/v1/once-only?subject={CITIZEN}", headers=auth(admin_token)))
    assert [d["name"] for d in person["datasets"]] == ["bhyt-the"]
    assert person["datasets"][0]["owner"] == "VN/GOV/H31"
    assert set(person["datasets"][0]) == {"name", "title", "owner", "owner_name"}  # no data
    # a person's tax code is their citizen ID: services keyed on tax codes may hold data too
    assert [s["id"] for s in person["services"]] == [f"VN/{h.TOS}/declarations"]
    firm = ok(api.get(f"/api/v1/once-only?subject={PORT_TAX_CODE}", headers=auth(admin_token)))
    assert [d["name"] for d in firm["datasets"]] == ["doanh-nghiep"]
    nobody = ok(api.get(f"/api/v1/once-only?subject={OTHER}", headers=auth(admin_token)))
    assert nobody["datasets"] == []
    bad = api.get("/api/v1/once-only?subject=0200236846", headers=auth(admin_token))  # check digit
    assert bad.status_code == 422
    assert api.get(f"/api/v1/once-only?subject={CITIZEN}").status_code == 401

    with platform.store.read() as conn:
        rows = conn.execute(
            text(
                "SELECT target, details FROM audit_log "
                "WHERE action = 'exchange.once_only' ORDER BY seq"
            )
        ).all()
        everything = " ".join(
            f"{r[0]} {r[1]}" for r in conn.execute(text("SELECT target, details FROM audit_log"))
        )
    assert len(rows) == 3
    digest = subject_hash(salt(platform.settings.data_dir), CITIZEN)
    assert rows[0].target == f"subject:{digest}"
    assert json.loads(rows[0].details)["datasets"] == ["bhyt-the"]
    assert CITIZEN not in everything  # the subject never appears in the clear
