"""The exchange end to end: a mock port TOS (provider) and a customs system (consumer),
each a real process, talking X-Road REST r1 through the gateway process, on both stores."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from lienthong.audit.chain import load_public_key
from lienthong.audit.verify import verify
from lienthong.core.platform import Platform
from tests.exchange_peers import harness as h
from tests.utils import auth, grant, make_user, ok, user_key


@dataclass
class Env:
    platform: Platform
    api: TestClient
    admin: str
    keys: dict[str, Any]
    gateway: str
    gateway_port: int
    tos_port: int
    tmp: Path

    def script(
        self,
        calls: list[dict[str, Any]],
        key: str | None = None,
        client: str = "VN/GOV/G12.31/ECUS",
    ) -> dict[str, Any]:
        return {
            "host": "127.0.0.1",
            "port": self.gateway_port,
            "client": client,
            "key": key or self.keys["customs_key"],
            "calls": calls,
        }

    def customs(self, calls: list[dict[str, Any]], **kw: Any) -> list[dict[str, Any]]:
        return h.customs(self.script(calls, **kw), self.tmp)

    def settle(self) -> None:
        """Let caches expire (0.3 s) and the evidence writer flush (0.2 s)."""
        time.sleep(0.5)


@pytest.fixture
def env(platform: Platform, admin_token: str, tmp_path: Path) -> Iterator[Env]:
    tos_port, gw_port = h.free_port(), h.free_port()
    client = h.api(platform)
    with h.process(h.peer("tos", tos_port), f"http://127.0.0.1:{tos_port}/vessels"):
        keys = h.setup(client, admin_token, tos_port)
        gw_env = h.gateway_env(platform)
        log = tmp_path / "gateway.log"
        with h.process(h.gateway_args(gw_port), f"http://127.0.0.1:{gw_port}/healthz", gw_env, log):
            yield Env(
                platform,
                client,
                admin_token,
                keys,
                f"http://127.0.0.1:{gw_port}",
                gw_port,
                tos_port,
                tmp_path,
            )


SERVICE_PATH = "/r1/VN/COM/0200236845/TOS/containers"


def _customs_reads_tos_under_rights(env: Env) -> None:
    # deny by default
    denied = env.customs([{"path": f"{SERVICE_PATH}/containers/MSCU1234567"}])[0]
    assert denied["status"] == 403
    assert denied["headers"]["x-road-error"] == "Server.ServerProxy.AccessDenied"
    assert denied["body"]["type"] == "Server.ServerProxy.AccessDenied"
    assert set(denied["body"]) == {"type", "message", "detail"}
    assert denied["headers"]["content-type"].startswith("application/json")

    # customs asks; the port's org admin approves within the deadline
    asked = ok(
        env.api.post(
            "/api/v1/exchange/requests",
            json={
                "service": "COM/0200236845/TOS/containers",
                "client": "GOV/G12.31/ECUS",
                "purpose": "thông quan hàng hóa (customs clearance)",
            },
            headers=auth(env.keys["customs_key"]),
        ),
        201,
    )
    assert asked["state"] == "pending"
    assert asked["age_working_days"] == 0
    make_user(env.api, env.admin, "lan")
    grant(env.api, env.admin, "lan", "org_admin", "COM/0200236845")
    lan = user_key(env.api, env.admin, "lan")
    pending = ok(env.api.get("/api/v1/exchange/requests?state=pending", headers=auth(lan)))
    assert [p["id"] for p in pending] == [asked["id"]]
    approved = ok(
        env.api.post(f"/api/v1/exchange/requests/{asked['id']}/approve", json={}, headers=auth(lan))
    )
    assert approved["state"] == "approved"
    assert approved["right_id"]
    env.settle()

    xid = "7d3e8c1a-0000-4000-8000-000000000001"
    got = env.customs(
        [
            {
                "path": f"{SERVICE_PATH}/containers/MSCU1234567?fields=status",
                "headers": {
                    "X-Road-Id": xid,
                    "X-Road-UserId": "VN031099001234",
                    "X-Road-Issue": "TK-105123456789",
                },
            },
            {
                "path": f"{SERVICE_PATH}/echo/a%2Fb?x=1&x=2",
                "headers": {"Authorization": "Bearer upstream-jwt"},
            },
            {
                "method": "POST",
                "path": f"{SERVICE_PATH}/declarations",
                "body": {"so_to_khai": "105123456789"},
            },
        ]
    )
    first, echo, posted = got
    assert first["status"] == 200, first
    assert first["body"]["container_id"] == "MSCU1234567"
    assert first["body"]["synthetic"]
    hdr = first["headers"]
    assert hdr["x-road-client"] == "VN/GOV/G12.31/ECUS"
    assert hdr["x-road-service"] == "VN/COM/0200236845/TOS/containers"
    assert hdr["x-road-id"] == xid  # the provider's forged value is replaced
    assert len(base64.b64decode(hdr["x-road-request-hash"])) == 64
    assert hdr["x-road-request-id"]
    assert "x-road-error" not in hdr
    assert "server" not in hdr  # filtered: it names the origin host
    assert hdr["x-powered-by"] == "tos-mock"
    assert hdr["cache-control"] == "no-store"
    assert "access-control-allow-origin" not in hdr

    # what reached the provider
    seen = {k.lower(): v for k, v in echo["body"]["headers"]}
    assert echo["body"]["raw_path"] == "/echo/a%2Fb?x=1&x=2"  # path and query unmodified
    assert seen["x-road-client"] == "VN/GOV/G12.31/ECUS"
    assert seen["x-road-service"] == "VN/COM/0200236845/TOS/containers"
    assert seen["authorization"] == "Bearer upstream-jwt"  # the consumer's own token passes
    assert "x-api-key" not in seen  # the gateway key never does
    assert seen["host"] == f"127.0.0.1:{env.tos_port}"
    assert "user-agent" not in seen
    assert posted["status"] == 201
    sent = json.dumps({"so_to_khai": "105123456789"}, ensure_ascii=False).encode()
    assert posted["body"]["sha512"] == hashlib.sha512(sent).hexdigest()

    env.settle()
    with env.platform.store.read() as conn:
        rows = conn.execute(
            text(
                "SELECT actor, action, target, details, member_id FROM audit_log "
                "WHERE action LIKE 'exchange%' ORDER BY seq"
            )
        ).all()
    exchanges = [r for r in rows if r.action in ("exchange", "exchange.denied")]
    assert [r.action for r in exchanges] == ["exchange.denied", "exchange", "exchange", "exchange"]
    entry = json.loads(exchanges[1].details)
    assert exchanges[1].actor == "subsystem:VN/GOV/G12.31/ECUS"
    assert exchanges[1].target == "VN/COM/0200236845/TOS/containers"
    assert entry["x_road_id"] == xid
    assert entry["user_id"] == "VN031099001234"
    assert entry["issue"] == "TK-105123456789"
    assert entry["status"] == 200
    assert entry["endpoint"] == "GET /containers/*"
    assert entry["query"] == "fields=status"
    assert entry["request_hash"] == hdr["x-road-request-hash"]
    assert (
        entry["response_sha512"]
        == hashlib.sha512(json.dumps(first["body"], ensure_ascii=False).encode()).hexdigest()
        or entry["bytes_out"] > 0
    )
    assert json.loads(exchanges[3].details)["request_sha512"] == hashlib.sha512(sent).hexdigest()


def _endpoint_rights_groups_and_revocation(env: Env) -> None:
    # one endpoint only, granted to a group the customs system is in
    ok(
        env.api.post(
            "/api/v1/exchange/groups",
            json={"owner": "COM/0200236845", "code": "port-agencies"},
            headers=auth(env.admin),
        ),
        201,
    )
    ok(
        env.api.post(
            "/api/v1/exchange/groups/COM/0200236845/port-agencies/members"
            "?subsystem=GOV/G12.31/ECUS",
            headers=auth(env.admin),
        ),
        201,
    )
    right = ok(
        env.api.post(
            "/api/v1/exchange/rights",
            json={
                "service": "COM/0200236845/TOS/containers",
                "group": "COM/0200236845/port-agencies",
                "endpoint": {"method": "GET", "path": "/vessels"},
                "purpose": "kế hoạch kiểm tra tàu (vessel inspection planning)",
                "expires_at": h.later(),
            },
            headers=auth(env.admin),
        ),
        201,
    )
    env.settle()
    vessels, container = env.customs(
        [
            {"path": f"{SERVICE_PATH}/vessels"},
            {"path": f"{SERVICE_PATH}/containers/MSCU1234567"},
        ]
    )
    assert vessels["status"] == 200
    assert len(vessels["body"]["vessels"]) == 5
    assert container["status"] == 403
    # the city's system is not in the group
    city = env.customs(
        [{"path": f"{SERVICE_PATH}/vessels"}], key=env.keys["city_key"], client="VN/GOV/H31/LGSP"
    )[0]
    assert city["headers"]["x-road-error"] == "Server.ServerProxy.AccessDenied"
    # revoking takes effect within the cache delay
    ok(env.api.post(f"/api/v1/exchange/rights/{right['id']}/revoke", headers=auth(env.admin)))
    env.settle()
    after = env.customs([{"path": f"{SERVICE_PATH}/vessels"}])[0]
    assert after["status"] == 403


def _metaservices(env: Env) -> None:
    provider = "/r1/VN/COM/0200236845/TOS"
    listed, allowed, spec, missing = env.customs(
        [
            {"path": f"{provider}/listMethods", "headers": {"Accept": "application/json"}},
            {"path": f"{provider}/allowedMethods"},
            {"path": f"{provider}/getOpenAPI?serviceCode=containers"},
            {"path": f"{provider}/getOpenAPI?serviceCode=nothing"},
        ]
    )
    assert listed["status"] == 200
    svc = listed["body"]["service"][0]
    assert svc["service_code"] == "containers"
    assert svc["object_type"] == "SERVICE"
    assert svc["service_type"] == "OPENAPI"
    assert svc["xroad_instance"] == "VN"
    assert {"method": "GET", "path": "/containers/*"} in svc["endpoint_list"]
    assert len(svc["endpoint_list"]) == 3
    assert allowed["body"]["service"][0]["endpoint_list"] == [{"method": "GET", "path": "/vessels"}]
    assert listed["headers"]["x-road-service"] == "VN/COM/0200236845/TOS/listMethods"
    assert spec["status"] == 200
    assert spec["body"]["servers"] == [
        {"url": "http://gateway.example/r1/VN/COM/0200236845/TOS/containers"}
    ]  # the upstream's address stays hidden
    assert missing["status"] == 404
    assert missing["headers"]["x-road-error"] == "Server.ServerProxy.UnknownService"

    key = {"X-API-Key": env.keys["customs_key"]}
    clients = httpx.get(
        f"{env.gateway}/r1/listClients", headers=key | {"Accept": "application/json"}, timeout=10
    ).json()
    ids = [m["id"] for m in clients["member"]]
    assert {
        "xroad_instance": "VN",
        "member_class": "GOV",
        "member_code": "G12.31",
        "subsystem_code": "ECUS",
        "object_type": "SUBSYSTEM",
    } in ids
    assert {
        "xroad_instance": "VN",
        "member_class": "GOV",
        "member_code": "H31",
        "object_type": "MEMBER",
    } in ids
    xml = httpx.get(f"{env.gateway}/listClients", headers=key, timeout=10)
    assert xml.headers["content-type"].startswith("text/xml")
    assert "<ns1:memberCode>G12.31</ns1:memberCode>" in xml.text
    assert httpx.get(f"{env.gateway}/listClients", timeout=10).status_code == 401


def _verify(env: Env) -> subprocess.CompletedProcess[str]:
    e = h.gateway_env(env.platform)
    return subprocess.run(
        [sys.executable, "-m", "lienthong.cli", "audit", "verify"],
        env=e,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _tampering_is_caught(env: Env) -> None:
    calls = [{"path": f"{SERVICE_PATH}/containers/C{i:04d}"} for i in range(20)]
    assert {r["status"] for r in env.customs(calls)} == {200}
    env.settle()
    key = load_public_key(env.platform.settings.signing_key_file)
    assert verify(env.platform.store, key).problems == []
    with env.platform.store.read() as conn:
        seq = conn.execute(
            text("SELECT max(seq) FROM audit_log WHERE action = 'exchange'")
        ).scalar()
    # an insider hides which container customs looked at
    from tests.test_audit import _sql, _unguard

    _unguard(env.platform.store)
    _sql(
        env.platform.store,
        f"UPDATE audit_log SET details = replace(details, 'C0019', 'C9999') WHERE seq = {seq}",
    )
    bad = _verify(env)
    assert bad.returncode == 1
    assert f"entry {seq}: content does not match its hash (edited)" in bad.stderr


def test_tos_and_customs_exchange_through_the_gateway(env: Env) -> None:
    """One scenario per store, so the processes start once: deny by default, request and
    approval, headers both ways, evidence; endpoint rights, groups, revocation; the
    metaservices; tampering with the exchange log found by `lienthong audit verify`."""
    _customs_reads_tos_under_rights(env)
    ok(env.api.post("/api/v1/exchange/rights/1/revoke", headers=auth(env.admin)))
    _endpoint_rights_groups_and_revocation(env)
    h.grant(env.api, env.admin, endpoint={"method": "GET", "path": "/vessels"})
    env.settle()
    _metaservices(env)
    h.grant(env.api, env.admin)
    env.settle()
    _tampering_is_caught(env)
    _monitoring(env)


def _monitoring(env: Env) -> None:
    metrics = httpx.get(f"{env.gateway}/metrics", timeout=10).text
    line = 'lienthong_exchange_requests_total{service="VN/COM/0200236845/TOS/containers"}'
    assert any(m.startswith(line) and float(m.split()[-1]) >= 25 for m in metrics.splitlines())
    stats = ok(env.api.get("/api/v1/exchange/stats", headers=auth(env.admin)))
    svc = next(x for x in stats["services"] if x["service"].endswith("/containers"))
    assert svc["client_errors"] >= 4  # the denied calls
    assert svc["latency_ms"]["p50"] is not None
