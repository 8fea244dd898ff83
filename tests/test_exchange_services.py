"""Services, endpoints, groups, rights and access requests through the REST API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update

from lienthong.core.platform import Platform
from lienthong.exchange import workdays
from lienthong.exchange.access_requests import request_view
from lienthong.exchange.schema import access_requests
from tests.exchange_peers import harness as h
from tests.utils import (
    CUSTOMS,
    HAIPHONG,
    PORT_TAX_CODE,
    auth,
    grant,
    make_member,
    make_subsystem,
    make_user,
    ok,
    user_key,
)

YAML = """
openapi: 3.0.0
info: {title: Lịch tàu (synthetic), version: "1"}
servers: [{url: "http://10.0.0.5:8080/api"}]
paths:
  /vessels:
    get: {summary: Lịch tàu}
  /vessels/{imo}/calls:
    get: {summary: Lượt cập cảng}
    post: {summary: Đăng ký}
"""


class _Spec(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(
            {
                "openapi": "3.1.0",
                "info": {"title": "t", "version": "1"},
                "paths": {"/a/{id}": {"get": {}, "delete": {}}},
            }
        ).encode()
        self.send_response(200 if self.path == "/spec.json" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def spec_url() -> Iterator[str]:
    """A real HTTP server holding an OpenAPI description, fetched at registration."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Spec)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def api(platform: Platform, admin_token: str) -> TestClient:
    client = h.api(platform)
    make_member(client, admin_token, HAIPHONG)
    make_member(client, admin_token, CUSTOMS)
    make_member(
        client,
        admin_token,
        {"member_class": "COM", "member_code": PORT_TAX_CODE, "name": "Cảng Hải Phòng"},
    )
    make_subsystem(client, admin_token, f"COM/{PORT_TAX_CODE}", "TOS")
    make_subsystem(client, admin_token, "GOV/G12.31", "ECUS")
    make_user(client, admin_token, "lan")
    grant(client, admin_token, "lan", "org_admin", f"COM/{PORT_TAX_CODE}")
    make_user(client, admin_token, "minh")
    grant(client, admin_token, "minh", "org_admin", "GOV/G12.31")
    return client


SERVICES = "/api/v1/exchange/services"


def test_register_from_yaml_upload_and_from_url(
    api: TestClient, admin_token: str, spec_url: str, platform: Platform
) -> None:
    lan = user_key(api, admin_token, "lan")
    body = {
        "provider": h.TOS,
        "code": "vessels",
        "title": "Lịch tàu",
        "upstream_url": "http://127.0.0.1:9/api/",
        "openapi": YAML,
        "subject_keys": ["tax_code"],
    }
    svc = ok(api.post(SERVICES, json=body, headers=auth(lan)), 201)
    assert svc["id"] == f"VN/{h.TOS}/vessels"
    assert svc["openapi"] == {"format": "yaml", "source": "upload"}
    assert [(e["method"], e["path"]) for e in svc["endpoints"]] == [
        ("GET", "/vessels"),
        ("GET", "/vessels/*/calls"),
        ("POST", "/vessels/*/calls"),
    ]
    assert svc["upstream_url"] == "http://127.0.0.1:9/api"
    # others see the service, not where it lives
    minh = user_key(api, admin_token, "minh")
    seen = ok(api.get(f"{SERVICES}/{h.TOS}/vessels", headers=auth(minh)))
    assert "upstream_url" not in seen
    fetched = ok(
        api.post(
            SERVICES,
            json={
                "provider": h.TOS,
                "code": "a",
                "title": "A",
                "upstream_url": "https://tos.example",
                "openapi_url": f"{spec_url}/spec.json",
            },
            headers=auth(lan),
        ),
        201,
    )
    assert fetched["openapi"]["source"] == f"{spec_url}/spec.json"
    assert {(e["method"], e["path"]) for e in fetched["endpoints"]} == {
        ("GET", "/a/*"),
        ("DELETE", "/a/*"),
    }
    # explicit endpoints win over the description; a patch keeps the ones that stay
    patched = ok(
        api.patch(
            f"{SERVICES}/{h.TOS}/vessels",
            json={
                "endpoints": [{"method": "GET", "path": "/vessels"}, {"path": "/berths/**"}],
                "disabled": True,
            },
            headers=auth(lan),
        )
    )
    assert [(e["method"], e["path"]) for e in patched["endpoints"]] == [
        ("GET", "/vessels"),
        ("*", "/berths/**"),
    ]
    assert patched["disabled"] is True
    listed = ok(api.get(f"{SERVICES}?provider={h.TOS}", headers=auth(minh)))
    assert [s["code"] for s in listed] == ["vessels", "a"]
    ok(api.delete(f"{SERVICES}/{h.TOS}/a", headers=auth(lan)), 204)
    with platform.store.read() as conn:
        actions = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT action FROM audit_log WHERE action LIKE 'exchange.service.%' "
                    "ORDER BY seq"
                )
            )
        ]
    assert actions == ["exchange.service.create"] * 2 + [
        "exchange.service.update",
        "exchange.service.delete",
    ]


def test_registration_refuses_bad_input(api: TestClient, admin_token: str, spec_url: str) -> None:
    lan = user_key(api, admin_token, "lan")
    base = {"provider": h.TOS, "code": "x", "title": "X", "upstream_url": "http://127.0.0.1:9"}
    cases = [
        ({"code": "bad code"}, 422),
        ({"code": "listMethods"}, 422),
        ({"upstream_url": "ftp://tos.example"}, 422),
        ({"upstream_url": "http://user:pw@tos.example"}, 422),
        ({"upstream_url": "http://tos.example/?a=1"}, 422),
        ({"openapi": "openapi: [unclosed"}, 422),
        ({"openapi": {"swagger": "1.2", "paths": {}}}, 422),
        ({"openapi_url": f"{spec_url}/missing.json"}, 422),
        ({"openapi_url": "http://127.0.0.1:9/none.json"}, 422),
        ({"provider": "COM/0200236845/NOPE"}, 404),
    ]
    for change, status in cases:
        resp = api.post(SERVICES, json=base | change, headers=auth(lan))
        assert resp.status_code == status, (change, resp.text)
    # only the provider's org admins register its services
    minh = user_key(api, admin_token, "minh")
    assert api.post(SERVICES, json=base, headers=auth(minh)).status_code == 403
    ok(api.post(SERVICES, json=base, headers=auth(lan)), 201)
    assert api.post(SERVICES, json=base, headers=auth(lan)).status_code == 409


def test_rights_need_the_providers_org_admin(api: TestClient, admin_token: str) -> None:
    lan, minh = user_key(api, admin_token, "lan"), user_key(api, admin_token, "minh")
    ok(
        api.post(
            SERVICES,
            json={
                "provider": h.TOS,
                "code": "vessels",
                "title": "V",
                "upstream_url": "http://127.0.0.1:9",
                "openapi": YAML,
            },
            headers=auth(lan),
        ),
        201,
    )
    right = {
        "service": f"{h.TOS}/vessels",
        "client": h.CUSTOMS_SYS,
        "purpose": "kiểm tra",
        "expires_at": h.later(),
    }
    assert api.post("/api/v1/exchange/rights", json=right, headers=auth(minh)).status_code == 403
    made = ok(
        api.post(
            "/api/v1/exchange/rights",
            json=right | {"endpoint": {"method": "GET", "path": "/vessels"}},
            headers=auth(lan),
        ),
        201,
    )
    assert made["endpoint"]["path"] == "/vessels"
    assert made["active"] is True
    past = right | {"expires_at": (datetime.now(UTC) - timedelta(days=1)).isoformat()}
    assert api.post("/api/v1/exchange/rights", json=past, headers=auth(lan)).status_code == 422
    naive = right | {"expires_at": "2030-01-01T00:00:00"}
    assert api.post("/api/v1/exchange/rights", json=naive, headers=auth(lan)).status_code == 422
    both = right | {"group": "COM/0200236845/g"}
    assert api.post("/api/v1/exchange/rights", json=both, headers=auth(lan)).status_code == 422
    unknown = right | {"endpoint": {"method": "GET", "path": "/nothing"}}
    assert api.post("/api/v1/exchange/rights", json=unknown, headers=auth(lan)).status_code == 404
    ok(api.post(f"/api/v1/exchange/rights/{made['id']}/revoke", headers=auth(lan)))
    assert (
        api.post(f"/api/v1/exchange/rights/{made['id']}/revoke", headers=auth(lan)).status_code
        == 409
    )
    listed = ok(
        api.get(f"/api/v1/exchange/rights?service={h.TOS}/vessels&active=true", headers=auth(lan))
    )
    assert listed == []


def test_access_requests_age_in_working_days(
    api: TestClient, admin_token: str, platform: Platform
) -> None:
    lan, minh = user_key(api, admin_token, "lan"), user_key(api, admin_token, "minh")
    ok(
        api.post(
            SERVICES,
            json={
                "provider": h.TOS,
                "code": "vessels",
                "title": "V",
                "upstream_url": "http://127.0.0.1:9",
            },
            headers=auth(lan),
        ),
        201,
    )
    ask = {"service": f"{h.TOS}/vessels", "client": h.CUSTOMS_SYS, "purpose": "giám sát hải quan"}
    # the port's admin cannot ask on the customs system's behalf
    assert api.post("/api/v1/exchange/requests", json=ask, headers=auth(lan)).status_code == 403
    first = ok(api.post("/api/v1/exchange/requests", json=ask, headers=auth(minh)), 201)
    assert api.post("/api/v1/exchange/requests", json=ask, headers=auth(minh)).status_code == 409
    # filed on Tuesday 29 April 2025: 30 April and 1 May are holidays, the weekend follows
    filed = datetime(2025, 4, 29, 9, 0, tzinfo=UTC)
    with platform.store.write() as conn:
        conn.execute(update(access_requests).values(filed_at=filed))
        row = conn.execute(access_requests.select()).mappings().one()
        view = request_view(conn, row, today=date(2025, 5, 5))
        late = request_view(conn, row, today=date(2025, 5, 6))
    assert view["due_on"] == "2025-05-05"
    assert view["age_working_days"] == 2
    assert view["overdue"] is False
    assert late["overdue"] is True
    assert workdays.working_days_between(date(2025, 4, 29), date(2025, 5, 6)) == 3
    pending = ok(api.get("/api/v1/exchange/requests?state=pending", headers=auth(lan)))
    assert pending[0]["overdue"] is True  # today is long after May 2025
    # customs sees its own; the refusal carries a reason
    assert [r["id"] for r in ok(api.get("/api/v1/exchange/requests", headers=auth(minh)))] == [
        first["id"]
    ]
    assert (
        api.post(
            f"/api/v1/exchange/requests/{first['id']}/refuse",
            json={"reason": "không đồng ý"},
            headers=auth(minh),
        ).status_code
        == 403
    )
    refused = ok(
        api.post(
            f"/api/v1/exchange/requests/{first['id']}/refuse",
            json={"reason": "thiếu căn cứ pháp lý"},
            headers=auth(lan),
        )
    )
    assert refused["state"] == "refused"
    assert refused["reason"] == "thiếu căn cứ pháp lý"
    assert (
        api.post(
            f"/api/v1/exchange/requests/{first['id']}/approve", json={}, headers=auth(lan)
        ).status_code
        == 409
    )
    second = ok(api.post("/api/v1/exchange/requests", json=ask, headers=auth(minh)), 201)
    until = (datetime.now(UTC) + timedelta(days=90)).replace(microsecond=0)
    approved = ok(
        api.post(
            f"/api/v1/exchange/requests/{second['id']}/approve",
            json={"expires_at": until.isoformat()},
            headers=auth(lan),
        )
    )
    right = ok(api.get(f"/api/v1/exchange/rights?service={h.TOS}/vessels", headers=auth(lan)))[0]
    assert right["id"] == approved["right_id"]
    assert right["client"] == f"VN/{h.CUSTOMS_SYS}"
    assert right["purpose"] == "giám sát hải quan"
    assert datetime.fromisoformat(right["expires_at"]) == until


def test_gateway_mounts_into_the_main_app(platform: Platform, admin_token: str) -> None:
    """`app.mount("/r1", gateway)`: metaservices and refusals answer in process."""
    from fastapi.testclient import TestClient as Client

    from lienthong.app import create_app
    from lienthong.exchange.api import router
    from lienthong.exchange.proxy import Gateway

    app = create_app(platform=platform)
    gateway = Gateway(platform)
    app.mount("/r1", gateway)
    app.include_router(router)
    with Client(app) as client:
        keys = h.setup(client, admin_token, 9, openapi_url=False)
        who = {"X-Road-Client": f"VN/{h.CUSTOMS_SYS}", "X-API-Key": keys["customs_key"]}
        listed = client.get(f"/r1/VN/{h.TOS}/listMethods", headers=who)
        assert listed.status_code == 200
        assert listed.json()["service"][0]["service_code"] == "containers"
        denied = client.get(f"/r1/VN/{h.SERVICE}/containers/X", headers=who)
        assert denied.status_code == 403
        assert denied.headers["x-road-error"] == "Server.ServerProxy.AccessDenied"
        root = client.get(
            "/listClients", headers=auth(admin_token) | {"Accept": "application/json"}
        )
        assert root.json()["member"][0]["id"]["object_type"] == "MEMBER"
        client.portal.call(gateway.shutdown)  # what the app's lifespan does once wired
    with platform.store.read() as conn:
        n = conn.execute(text("SELECT count(*) FROM audit_log WHERE action LIKE 'exchange%'"))
        assert n.scalar_one() >= 2
