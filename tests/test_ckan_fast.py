"""The fast path for hot CKAN reads (`ckan_fast`), on SQLite and PostgreSQL: every answer
it gives is byte for byte the FastAPI route's, for good and hostile input alike, with the
same keys, masking and read audit; everything else falls through to FastAPI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from lienthong.app import create_app
from lienthong.catalog.ckan_fast import FastActions
from lienthong.core.platform import Platform
from lienthong.warehouse import ckan_datastore
from tests.test_catalog_api import People, give
from tests.test_warehouse_ingest import as_text, audit_actions, create_dataset, expected
from tests.test_warehouse_ingest import load as ingest_rows
from tests.utils import make_member, row_count

PATHS = ("/api/action/datastore_search", "/api/3/action/datastore_search")
JSON_BODY = {"content-type": "application/json"}


def _without_fast_path(platform: Platform) -> FastAPI:
    app = create_app(platform=platform)
    app.user_middleware = [m for m in app.user_middleware if m.cls is not FastActions]
    return app


class _NoActionRoutes:
    """Innermost middleware: a CKAN call that gets past the fast path meets a 404 here."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "/action/" in scope["path"]:
            await PlainTextResponse("not served by the fast path", 404)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _fast_path_only(platform: Platform) -> FastAPI:
    """Whatever datastore_search answers here comes from the fast path."""
    app = create_app(platform=platform)
    assert [m.cls for m in app.user_middleware][-1] is FastActions
    app.user_middleware.append(Middleware(_NoActionRoutes))
    return app


class Pair:
    """The same call sent to both apps; their answers must not differ."""

    def __init__(self, platform: Platform) -> None:
        self.fast = TestClient(_fast_path_only(platform), raise_server_exceptions=False)
        self.full = TestClient(_without_fast_path(platform), raise_server_exceptions=False)

    def same(self, method: str, url: str, **kw: Any) -> httpx.Response:
        fast, full = (c.request(method, url, **kw) for c in (self.fast, self.full))
        assert (fast.status_code, fast.content) == (full.status_code, full.content), url
        headers = [
            {k: v for k, v in r.headers.items() if k != "x-request-id"} for r in (fast, full)
        ]
        assert headers[0] == headers[1]
        assert fast.headers["x-request-id"]
        return fast

    def get(self, path: str, params: dict[str, Any], **kw: Any) -> httpx.Response:
        return self.same("GET", path, params=params, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> httpx.Response:
        return self.same("POST", path, json=body, **kw)


@pytest.fixture
def pair(client: TestClient, admin_token: str, platform: Platform) -> Pair:
    make_member(client, admin_token)
    create_dataset(client, admin_token, classification="public", member=False)
    ingest_rows(platform, [as_text(expected(i)) for i in range(1, 31)])
    return Pair(platform)


def _query(body: dict[str, Any]) -> dict[str, str]:
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}


def test_answers_are_the_routes_for_every_path_and_method(pair: Pair) -> None:
    calls: list[dict[str, Any]] = [
        {"resource_id": "ho-so", "limit": 5},
        {"resource_id": "ho-so", "limit": 20, "filters": {"ma_hs": "HS00002"}},
        {"resource_id": "ho-so", "filters": {"ma_hs": ["HS00002", "HS00007"]}, "offset": 1},
        {"resource_id": "ho-so", "filters": {"so_luong__gte": 25}, "sort": "so_luong desc"},
        {"resource_id": "ho-so", "q": "lan", "fields": "ma_hs,ho_ten", "include_total": False},
        {"resource_id": "ho-so", "limit": 3, "records_format": "lists"},
        {"resource_id": "ho-so", "limit": 3, "records_format": "csv", "sort": "-ngay_nop"},
        {"resource_id": "ho-so", "limit": 0},
    ]
    for body in calls:
        for path in PATHS:
            got = pair.post(path, body).json()
            assert got["success"] is True, got
            assert got["help"].endswith("/api/3/action/help_show?name=datastore_search")
            # GET sends every value as text: the records are the same, if not each echo
            by_get = pair.get(path, _query(body)).json()["result"]
            for key in ("records", "fields", "total"):
                assert by_get.get(key) == got["result"].get(key)
    page = pair.get(PATHS[0], {"resource_id": "ho-so", "limit": "5"}).json()["result"]
    assert [r["_id"] for r in page["records"]] == [1, 2, 3, 4, 5]
    assert (page["total"], page["total_was_estimated"]) == (30, False)
    assert page["_links"] == {
        "start": "/api/action/datastore_search?resource_id=ho-so&limit=5",
        "next": "/api/action/datastore_search?resource_id=ho-so&offset=5&limit=5",
    }
    # anonymous callers see personal fields masked, whichever way the call came in
    assert {r["so_cccd"] for r in page["records"]} == {f"0*********0{i}" for i in range(1, 6)}
    typed = pair.post(PATHS[0], {"resource_id": "ho-so", "filters": {"ma_hs": "HS00002"}})
    record = typed.json()["result"]["records"][0]
    row = expected(2)
    assert record == {
        "_id": 2,
        **row,
        "so_cccd": "0*********02",
        "ngay_nop": row["ngay_nop"].isoformat(),
        "cap_nhat": row["cap_nhat"].isoformat(),
    }


def test_errors_keep_ckan_types_and_statuses(pair: Pair) -> None:
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"resource_id": "khong-co"}, 404, "Not Found Error"),
        ({}, 409, "Validation Error"),
        ({"resource_id": "ho-so", "filters": {"nope": 1}}, 409, "Validation Error"),
        ({"resource_id": "ho-so", "filters": {"so_cccd": "1"}}, 403, "Authorization Error"),
        ({"resource_id": "ho-so", "sort": "so_cccd"}, 403, "Authorization Error"),
        ({"resource_id": "ho-so", "limit": 32_001}, 409, "Validation Error"),
        ({"resource_id": "ho-so", "offset": -1}, 409, "Validation Error"),
        ({"resource_id": "ho-so", "records_format": "xml"}, 409, "Validation Error"),
        ({"resource_id": "ho-so", "filters": "[1]"}, 409, "Validation Error"),
    ]
    for body, status, kind in cases:
        for resp in (pair.post(PATHS[0], body), pair.get(PATHS[1], _query(body))):
            assert resp.status_code == status, (body, resp.text)
            assert resp.json()["success"] is False
            assert resp.json()["error"]["__type"] == kind
    # refused before any action runs: CKAN's bare JSON strings
    for raw, ctype in [(b"{not json", "application/json"), (b"[1, 2]", "application/json")]:
        resp = pair.same("POST", PATHS[0], content=raw, headers={"content-type": ctype})
        assert resp.status_code == 400
        assert resp.json().startswith("Bad request - JSON Error")


def test_hostile_input_is_refused_alike_and_touches_nothing(pair: Pair, platform: Platform) -> None:
    before = row_count(platform.store, "ds_1")
    hostile = [
        {"resource_id": "ho-so'; DROP TABLE ds_1; --"},
        {"resource_id": "ho-so", "filters": {"ma_hs": "x' OR '1'='1"}},
        {"resource_id": "ho-so", "filters": {"ma_hs) OR 1=1 --": "x"}},
        {"resource_id": "ho-so", "filters": {"ma_hs__in": ["a", "b') OR ('1'='1"]}},
        {"resource_id": "ho-so", "filters": {"so_luong__gt": "1 OR 1=1"}},
        {"resource_id": "ho-so", "filters": {"ma_hs__prefix": "%' --"}},
        {"resource_id": "ho-so", "filters": {"ma_hs": "a\x00b"}},
        {"resource_id": "ho-so", "sort": "ma_hs; DELETE FROM ds_1"},
        {"resource_id": "ho-so", "sort": "(SELECT 1)"},
        {"resource_id": "ho-so", "fields": "ma_hs, (SELECT sqlite_version())"},
        {"resource_id": "ho-so", "fields": ["ma_hs", "_id FROM ds_1 --"]},
        {"resource_id": "ho-so", "q": "\" OR 1=1 -- ' NEAR("},
        {"resource_id": "ho-so", "q": "x" * 10_000},
        {"resource_id": ["ho-so", "ho-so"]},
        {"resource_id": {"$ne": 1}},
        {"resource_id": "ho-so", "limit": "1e9"},
        {"resource_id": "ho-so", "offset": "10**12"},
        {"resource_id": "ho-so", "filters": {"ma_hs": ["x"] * 1001}},
        {"resource_id": "ho-so", "filters": {"ma_hs": []}},
        {"resource_id": "ho-so", "filters": {"so_luong__gt": []}},
        {"resource_id": "ho-so", "filters": {"ma_hs": {"a": [1]}}},
    ]
    for body in hostile:
        for resp in (pair.post(PATHS[0], body), pair.get(PATHS[1], _query(body))):
            assert resp.status_code < 500, (body, resp.text)
            assert resp.json()["success"] is False or resp.json()["result"]["records"] == []
    # JSON that Python reads but no number fits: Infinity, NaN, huge exponents
    for number in ("Infinity", "-Infinity", "NaN", "1e400"):
        for key in ("limit", "offset"):
            raw = f'{{"resource_id": "ho-so", "{key}": {number}}}'.encode()
            resp = pair.same("POST", PATHS[0], content=raw, headers=JSON_BODY)
            assert resp.status_code == 409, resp.text
    # repeated query keys become lists, as CKAN's do
    pair.same("GET", PATHS[0] + "?resource_id=ho-so&resource_id=x&limit=1&limit=2")
    assert row_count(platform.store, "ds_1") == before


def test_oversize_bodies_get_413_before_any_action(pair: Pair, platform: Platform) -> None:
    cap = platform.settings.max_body_bytes
    padding = {"resource_id": "ho-so", "pad": "x" * (cap + 1)}
    declared = pair.post(PATHS[0], padding)
    assert declared.status_code == 413
    assert declared.headers["content-type"] == "application/problem+json"

    def chunks() -> Iterator[bytes]:  # no content-length: the cap counts what arrives
        yield b'{"resource_id": "ho-so", "pad": "'
        for _ in range(cap // 65536 + 2):
            yield b"x" * 65536
        yield b'"}'

    streamed = [
        c.post(PATHS[1], content=chunks(), headers={"content-type": "application/json"})
        for c in (pair.fast, pair.full)
    ]
    assert [r.status_code for r in streamed] == [413, 413]
    assert streamed[0].json() | {"request_id": ""} == streamed[1].json() | {"request_id": ""}
    assert streamed[0].json()["title"] == "Payload too large"


def test_keys_grants_masking_and_the_read_audit(
    client: TestClient, admin_token: str, platform: Platform
) -> None:
    make_member(client, admin_token)
    people = People(client, admin_token)
    create_dataset(client, admin_token, classification="restricted", member=False)
    ingest_rows(platform, [as_text(expected(i)) for i in (1, 2, 3)])
    pair = Pair(platform)
    body = {"resource_id": "ho-so", "filters": {"ma_hs": "HS00002"}}

    def as_ckanapi(token: str) -> dict[str, str]:
        return {"Authorization": token, "X-CKAN-API-Key": token}

    assert pair.post(PATHS[0], body).status_code == 404  # anonymous: not told it exists
    bad = pair.post(PATHS[0], body, headers={"Authorization": "lt_" + "x" * 43})
    assert bad.json()["error"]["__type"] == "Authorization Error"
    refused = pair.post(PATHS[0], body, headers=as_ckanapi(people.reader))
    assert refused.status_code == 403
    assert refused.json()["error"]["message"].endswith("ask its owner for a grant")

    give(client, people.h31_admin, member="GOV/G12.31", fields=["ma_hs", "so_cccd"])
    reads = audit_actions(platform, "dataset.read")
    for headers in (as_ckanapi(people.reader), {"X-CKAN-API-Key": people.reader}):
        got = pair.post(PATHS[0], body, headers=headers).json()["result"]
        assert got["records"] == [{"_id": 2, "ma_hs": "HS00002", "so_cccd": "0*********02"}]
        got = pair.get(PATHS[1], _query(body), headers={"Authorization": f"Bearer {people.reader}"})
        assert got.json()["result"]["fields"] == [
            {"id": "_id", "type": "int"},
            {"id": "ma_hs", "type": "text"},
            {"id": "so_cccd", "type": "text"},
        ]
    # every restricted read is audited, on each path: 2 calls × 2 apps × 2 header styles
    assert audit_actions(platform, "dataset.read") == reads + 8
    owner = pair.post(PATHS[0], body, headers=as_ckanapi(people.owner)).json()["result"]
    assert owner["records"][0]["so_cccd"] == "031234500002"


def test_everything_else_falls_through_to_fastapi(pair: Pair, client: TestClient) -> None:
    # GET on a write action, and other actions, on the app with the fast path in front
    upsert = client.get("/api/action/datastore_upsert", params={"resource_id": "ho-so"})
    assert upsert.status_code == 400
    assert "Please use POST method" in upsert.json()
    shown = client.get("/api/3/action/datastore_info", params={"id": "ho-so"})
    assert shown.json()["result"]["meta"]["count"] == 30
    assert client.put(PATHS[0]).status_code == 405
    assert client.get(PATHS[0] + "/x").status_code == 404
    # and the lean app, without FastAPI's CKAN routes, answers only datastore_search
    assert pair.fast.get("/api/action/datastore_info", params={"id": "ho-so"}).status_code == 404


def test_quick_calls_are_small_indexed_anonymous_pages(pair: Pair) -> None:
    pair.post(PATHS[0], {"resource_id": "ho-so", "limit": 1})  # learns ho-so's indexes
    quick = ckan_datastore._quick
    assert quick({"resource_id": "ho-so", "filters": {"ma_hs": "HS00001"}, "limit": "20"})
    assert quick({"resource_id": "ho-so", "filters": {"ma_hs": "HS00001"}, "sort": "_id"})
    # a range or a list of values may make SQLite sort what the index finds
    assert not quick({"resource_id": "ho-so", "filters": {"ma_hs__in": ["a", "b"]}})
    assert not quick({"resource_id": "ho-so", "filters": {"ma_hs": ["a", "b"]}})
    assert not quick({"resource_id": "ho-so", "filters": {"ma_hs__gt": "HS00001"}})
    assert not quick({"resource_id": "other", "filters": {}})  # not yet seen
    assert not quick({"resource_id": "ho-so", "filters": {"ho_ten": "Lan"}})  # no index
    assert not quick({"resource_id": "ho-so", "q": "lan"})  # search catches its index up
    assert not quick({"resource_id": "ho-so", "sort": "ngay_nop"})
    assert not quick({"resource_id": "ho-so", "limit": "5000"})
    assert not quick({"resource_id": "ho-so", "offset": "x"})
    assert not quick({"resource_id": ["ho-so"], "filters": {}})
    assert not quick({"resource_id": "ho-so", "filters": "ma_hs"})
