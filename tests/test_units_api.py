"""The units API and commands, on SQLite and PostgreSQL: public, read-only, precise errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lienthong.app import create_app
from lienthong.core.errors import NotFound
from lienthong.units.api import router
from tests.units_support import BACK_ENDS, Loaded, load_units
from tests.units_support import run_cli as run


@pytest.fixture(scope="module", params=BACK_ENDS)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loaded]:
    yield from load_units(request, tmp_path_factory)


@pytest.fixture(scope="module")
def api(loaded: Loaded) -> Iterator[TestClient]:
    app = create_app(platform=loaded.platform)
    app.include_router(router)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


# --- the API -----------------------------------------------------------------------------


def ok(resp: Any) -> Any:
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_api_lists_and_pages(api: TestClient) -> None:
    params = {"hierarchy": "2025", "level": 3, "parent": "31", "limit": 100}
    first = ok(api.get("/api/v1/units", params=params))
    assert (first["count"], len(first["units"]), first["next_offset"]) == (114, 100, 100)
    rest = ok(api.get("/api/v1/units", params=params | {"offset": 100}))
    assert (len(rest["units"]), rest["next_offset"]) == (14, None)
    codes = [u["code"] for u in first["units"] + rest["units"]]
    assert len(set(codes)) == 114
    provinces = ok(api.get("/api/v1/units", params={"level": 1}))
    assert provinces["count"] == 34
    old = ok(api.get("/api/v1/units", params={"hierarchy": "legacy", "level": 1, "limit": 1}))
    assert old["count"] == 63


def test_api_search_ignores_diacritics(api: TestClient) -> None:
    found = ok(api.get("/api/v1/units", params={"q": "hai phong"}))
    top = found["units"][0]
    assert (top["code"], top["name"], top["type"], top["hierarchy"]) == (
        "31", "Thành phố Hải Phòng", "Thành phố", "2025"
    )  # fmt: skip
    both = ok(api.get("/api/v1/units", params={"q": "Hải Dương", "hierarchy": "all"}))
    assert {"Tỉnh Hải Dương", "Thành phố Hải Dương"} <= {u["name"] for u in both["units"]}


def test_api_shows_one_unit(api: TestClient) -> None:
    hp = ok(api.get("/api/v1/units/31"))
    assert hp["children_count"] == 114
    assert hp["centroid"] == {"lat": pytest.approx(20.8759), "lon": pytest.approx(106.47)}
    assert {p["code"] for p in hp["predecessors"]} == {"30", "31"}
    commune = ok(api.get("/api/v1/units/11948"))
    assert commune["ancestors"] == [{"code": "31", "name": "Thành phố Hải Phòng", "level": 1}]
    assert commune["predecessors"] == [
        {"code": "318", "name": "Huyện Bạch Long Vĩ", "partial": False}
    ]
    old = ok(api.get("/api/v1/units/11656", params={"hierarchy": "legacy"}))
    assert [a["code"] for a in old["ancestors"]] == ["31", "313"]
    assert old["valid_to"] == "2025-06-30"
    assert old["children_count"] == 0
    assert old["successors"] == [
        {"code": "11629", "name": "Xã An Lão", "partial": True},
        {"code": "11446", "name": "Phường Phù Liễn", "partial": True},
    ]


def test_api_resolves_old_names_and_codes(api: TestClient) -> None:
    body = ok(api.get("/api/v1/units/resolve", params={"q": "Hải Dương"}))
    assert [m["code"] for m in body["matched"]] == ["30"]
    assert [(s["code"], s["partial"]) for s in body["successors"]] == [("31", False)]
    assert body["estimated"] is False
    split = ok(api.get("/api/v1/units/resolve", params={"q": "11656", "date": "2024-12-31"}))
    assert split["estimated"] is True
    assert split["date"] == "2024-12-31"
    assert [s["name"] for s in split["successors"]] == ["Xã An Lão", "Phường Phù Liễn"]


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/api/v1/units/99", 404, "no unit with code 99"),
        ("/api/v1/units/30", 404, "no unit with code 30 in the 2025 hierarchy"),
        ("/api/v1/units/abc", 422, "'abc' is not a unit code"),
        ("/api/v1/units/" + "1" * 100, 422, "at most 16 characters"),
        ("/api/v1/units/31?hierarchy=1999", 422, "Input should be '2025' or 'legacy'"),
        ("/api/v1/units?level=7", 422, "less than or equal to 3"),
        ("/api/v1/units?limit=5000", 422, "less than or equal to 1000"),
        ("/api/v1/units?offset=-1", 422, "greater than or equal to 0"),
        ("/api/v1/units?parent=x%27%3B--", 422, "is not a unit code"),
        ("/api/v1/units?q=" + "a" * 101, 422, "at most 100 characters"),
        ("/api/v1/units?q=%25%25", 422, "no letters or digits"),
        ("/api/v1/units/resolve", 422, "q"),
        ("/api/v1/units/resolve?q=%00%00", 422, "no letters or digits"),
        ("/api/v1/units/%00", 422, "is not a unit code"),
        ("/api/v1/units/resolve?q=An%20L%C3%A3o", 422, "names 2 units"),
        ("/api/v1/units/resolve?q=Atlantis", 404, "no unit named 'Atlantis'"),
        ("/api/v1/units/resolve?q=30&date=2025-07-01", 404, "on 2025-07-01"),
        ("/api/v1/units/resolve?q=30&date=yesterday", 422, "date"),
    ],
)
def test_api_refuses_bad_input_precisely(api: TestClient, url: str, status: int, says: str) -> None:
    got = api.get(url)
    assert got.status_code == status, got.text
    assert got.headers["content-type"] == "application/problem+json"
    assert says in got.json()["detail"]


def test_api_is_public_and_read_only(api: TestClient) -> None:
    assert api.get("/api/v1/units/31").status_code == 200  # no key sent
    assert api.post("/api/v1/units", json={}).status_code == 405
    assert api.delete("/api/v1/units/31").status_code == 405


# --- the commands ------------------------------------------------------------------------


def test_cli(loaded: Loaded) -> None:
    shown = run(loaded, "units", "show", "11948")
    assert shown.exit_code == 0
    assert "Bạch Long Vĩ" in shown.output
    found = run(loaded, "--json", "units", "search", "hai phong", "--hierarchy", "2025")
    assert found.exit_code == 0, found.output
    assert '"code": "31"' in found.output
    resolved = run(loaded, "units", "resolve", "Xã Lê Ninh, Kinh Môn, Hải Dương")
    assert resolved.exit_code == 0
    assert "Bắc An Phụ" in resolved.output
    missing = run(loaded, "units", "show", "99")
    assert isinstance(missing.exception, NotFound)  # `lienthong` turns it into exit code 3
    bad_date = run(loaded, "units", "resolve", "30", "--date", "30/06/2025")
    assert bad_date.exit_code == 2
    assert "is not a date" in bad_date.output
