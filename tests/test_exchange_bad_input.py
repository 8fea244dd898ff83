"""Bad input at the gateway: each case gets its status and `X-Road-Error`, never a hang
and never a bare 500. The upstreams are real processes (the TOS, and a misbehaving one);
the gateway runs in uvicorn with its own HTTP parser, in a thread of the test process."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from lienthong.core.platform import Platform
from lienthong.exchange.config import GatewaySettings
from lienthong.exchange.proxy import Gateway
from tests.exchange_peers import harness as h
from tests.utils import auth, make_user, ok, user_key

SVC = "/r1/VN/COM/0200236845/TOS/containers"
ROGUE = "/r1/VN/COM/0200236845/TOS/rogue"
CLOSED = "/r1/VN/COM/0200236845/TOS/closed"
CLIENT = "VN/GOV/G12.31/ECUS"
LIMITS = GatewaySettings(
    cache_seconds=0.3,
    read_timeout=1.0,
    connect_timeout=1.0,
    max_request_bytes=64 * 1024,
    max_response_bytes=2 * 2**20,
    breaker_failures=3,
    breaker_reset_seconds=1.0,
)


@pytest.fixture(scope="module")
def upstreams() -> Iterator[tuple[int, int]]:
    tos, rogue = h.free_port(), h.free_port()
    with (
        h.process(h.peer("tos", tos), f"http://127.0.0.1:{tos}/vessels"),
        h.process(h.peer("rogue", rogue), f"http://127.0.0.1:{rogue}/ok"),
    ):
        yield tos, rogue


@dataclass
class Gw:
    url: str
    port: int
    keys: dict[str, Any]
    platform: Platform
    api: Any
    admin: str
    gateway: Gateway
    server: h.ThreadServer

    def get(
        self, path: str, key: str | None = None, client: str | None = CLIENT, **kw: Any
    ) -> httpx.Response:
        headers = {"X-API-Key": key or self.keys["customs_key"]} | kw.pop("headers", {})
        if client is not None:
            headers["X-Road-Client"] = client
        return httpx.request(
            kw.pop("method", "GET"), self.url + path, headers=headers, timeout=10, **kw
        )


@pytest.fixture
def gw(platform: Platform, admin_token: str, upstreams: tuple[int, int]) -> Iterator[Gw]:
    tos, rogue = upstreams
    client = h.api(platform)
    keys = h.setup(client, admin_token, tos, openapi_url=False)
    for code, port in (("rogue", rogue), ("closed", h.free_port())):
        body = {
            "provider": h.TOS,
            "code": code,
            "title": code,
            "upstream_url": f"http://127.0.0.1:{port}",
        }
        ok(client.post("/api/v1/exchange/services", json=body, headers=auth(admin_token)), 201)
    for code in ("containers", "rogue", "closed"):
        h.grant(client, admin_token, service=f"{h.TOS}/{code}")
    gateway = Gateway(platform, LIMITS)
    port = h.free_port()
    with h.ThreadServer(gateway, port) as server:
        yield Gw(
            f"http://127.0.0.1:{port}", port, keys, platform, client, admin_token, gateway, server
        )


def refused(resp: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["x-road-error"] == code
    assert resp.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = resp.json()
    assert body["type"] == code
    assert body["message"]
    assert body["detail"]
    return body


def raw(gw: Gw, path: bytes, *headers: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
    lines = [b"GET " + path + b" HTTP/1.1", b"Host: gw", *headers, b"Connection: close"]
    answer = h.raw_request(gw.port, b"\r\n".join(lines) + b"\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.split(b"\r\n")
    parsed = {k.strip().lower(): v.strip() for k, _, v in (x.partition(b":") for x in header_lines)}
    return int(status_line.split()[1]), parsed, body


def test_malformed_service_identifiers(gw: Gw) -> None:
    key = b"X-API-Key: " + gw.keys["customs_key"].encode()
    who = b"X-Road-Client: " + CLIENT.encode()
    for path in (
        b"/r1/VN/COM/0200236845/TOS",  # no service code
        b"/r1/VN/COM/0200236845/TOS/",
        b"/r1/VN/COM/02002%2F36845/TOS/containers",  # '/' inside a part
        b"/r1/VN/COM/bad*char/TOS/containers",
        b"/r1/VN/COM/0200236845/TOS/contain%0D%0AX-Evil:%201",  # CR LF in the service code
        b"/r1/VN/COM/0200236845/TOS/" + b"s" * 65,
        b"/r1/VN/COM/%FF%FE/TOS/containers",  # not UTF-8
        b"/r1/VN/COM/0200236845/TOS/containers/../../admin",
        b"/r1/VN/COM/0200236845/TOS/containers/%2e%2e/admin",
    ):
        status, headers, body = raw(gw, path, key, who)
        assert status == 400, (path, body)
        assert headers[b"x-road-error"] == b"Client.BadRequest"
        assert json.loads(body)["type"] == "Client.BadRequest"
    refused(gw.get("/r1/VN/COM/0200236845/TOS/nothing"), 404, "Server.ServerProxy.UnknownService")
    refused(gw.get("/r2/VN/COM/0200236845/TOS/containers"), 404, "Client.BadRequest")
    refused(gw.get(SVC + "/x?" + "q" * 5000), 414, "Client.BadRequest")


def test_client_header_and_key(gw: Gw) -> None:
    refused(gw.get(SVC + "/vessels", client=None), 400, "Client.MissingHeaderField")
    refused(gw.get(SVC + "/vessels", client="VN/GOV/G12.31"), 400, "Client.InvalidClientIdentifier")
    refused(
        gw.get(SVC + "/vessels", client="VN/GOV/G12.31/EC%0D%0AUS"),
        400,
        "Client.InvalidClientIdentifier",
    )
    # no key, a forged key
    resp = httpx.get(gw.url + SVC + "/vessels", headers={"X-Road-Client": CLIENT}, timeout=10)
    refused(resp, 401, "Client.AuthenticationFailed")
    forged = "lt_" + secrets.token_urlsafe(32)
    refused(gw.get(SVC + "/vessels", key=forged), 401, "Client.AuthenticationFailed")
    # a real key, but the header names another client: forging the port's own TOS
    refused(
        gw.get(SVC + "/vessels", client="VN/COM/0200236845/TOS"),
        403,
        "Client.InvalidClientIdentifier",
    )
    refused(
        gw.get(SVC + "/vessels", client="VN/GOV/G12.31/NOPE"), 403, "Client.InvalidClientIdentifier"
    )
    # a person's key is not a system's
    make_user(gw.api, gw.admin, "hoa")
    person = user_key(gw.api, gw.admin, "hoa")
    refused(gw.get(SVC + "/vessels", key=person), 403, "Client.InvalidClientIdentifier")
    assert gw.get(SVC + "/vessels").status_code == 200
    # a revoked key stops working within the cache delay
    keys = ok(gw.api.get("/api/v1/keys", headers=auth(gw.admin)))
    ecus = next(k for k in keys if k["holder"] == f"subsystem:{CLIENT}")
    ok(gw.api.post(f"/api/v1/keys/{ecus['id']}/revoke", headers=auth(gw.admin)))
    time.sleep(LIMITS.cache_seconds + 0.1)
    refused(gw.get(SVC + "/vessels"), 401, "Client.AuthenticationFailed")


def test_header_injection(gw: Gw) -> None:
    key = b"X-API-Key: " + gw.keys["customs_key"].encode()
    who = b"X-Road-Client: " + CLIENT.encode()
    # raw control characters: refused by the HTTP parser, still the X-Road way
    for bad in (b"X-Road-UserId: VN1\rX-Evil: 1", b"X-Road-Issue: a\x00b", b"X-Note: a\x01b"):
        status, headers, body = raw(gw, SVC.encode() + b"/vessels", key, who, bad)
        assert status == 400, body
        assert headers[b"x-road-error"] == b"Client.BadRequest"
    # values the parser lets through but the gateway refuses
    refused(
        gw.get(SVC + "/vessels", headers={"X-Road-UserId": "x" * 300}), 400, "Client.BadRequest"
    )
    status, headers, _ = raw(gw, SVC.encode() + b"/vessels", key, who, b"X-Road-Id: \xc3\xa9")
    assert status == 400
    assert headers[b"x-road-error"] == b"Client.BadRequest"
    refused(gw.get(SVC + "/vessels", headers={"X-Big": "v" * 40_000}), 431, "Client.BadRequest")
    # encoded CR LF in the path never reaches the provider, which sees nothing forged
    refused(gw.get(SVC + "/echo/a%0D%0AX-Evil:%201"), 400, "Client.BadRequest")
    echo = gw.get(SVC + "/echo/plain", headers={"X-Note": "a%0D%0AX-Evil: 1"})
    assert echo.status_code == 200
    assert "x-evil" not in {k.lower() for k, _ in echo.json()["headers"]}


def test_oversized_bodies(gw: Gw) -> None:
    cap = LIMITS.max_request_bytes
    small = gw.get(SVC + "/declarations", method="POST", content=b"x" * (cap - 1))
    assert small.status_code == 201
    assert small.json()["received_bytes"] == cap - 1
    started = time.monotonic()
    refused(
        gw.get(SVC + "/declarations", method="POST", content=b"x" * (cap + 1)),
        413,
        "Client.RequestTooLarge",
    )

    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"y" * 4096

    refused(
        gw.get(SVC + "/declarations", method="POST", content=chunks()),
        413,
        "Client.RequestTooLarge",
    )
    refused(gw.get(ROGUE + "/huge"), 502, "Server.ServerProxy.ResponseTooLarge")
    # a body without end is cut off once past the cap; the client sees a broken answer
    with pytest.raises(httpx.HTTPError):
        gw.get(ROGUE + "/endless")
    assert time.monotonic() - started < 15


def test_slow_and_broken_upstreams(gw: Gw) -> None:
    started = time.monotonic()
    refused(gw.get(ROGUE + "/hang"), 504, "Server.ServerProxy.Timeout")
    assert time.monotonic() - started < LIMITS.read_timeout + 2
    refused(gw.get(ROGUE + "/stall-body"), 504, "Server.ServerProxy.Timeout")
    refused(gw.get(ROGUE + "/reset"), 502, "Server.ServerProxy.ServiceFailed")
    refused(gw.get(ROGUE + "/garbage"), 502, "Server.ServerProxy.ServiceFailed")
    # three failures in a row (stalled body, reset, garbage) open the circuit: the
    # upstream is not called for a while
    resp = gw.get(ROGUE + "/ok")
    refused(resp, 503, "Server.ServerProxy.ServiceUnavailable")
    assert int(resp.headers["retry-after"]) >= 1
    time.sleep(LIMITS.breaker_reset_seconds + 0.1)
    assert gw.get(ROGUE + "/ok").text == "ok"  # the trial request closes the circuit
    refused(gw.get(ROGUE + "/garbage"), 502, "Server.ServerProxy.ServiceFailed")
    refused(gw.get(CLOSED + "/x"), 502, "Server.ServerProxy.NetworkError")
    # the provider's own errors pass as they are, without X-Road-Error
    provider = gw.get(SVC + "/status/500")
    assert provider.status_code == 500
    assert "x-road-error" not in provider.headers
    assert provider.json() == {"error": "provider says no", "status": 500}


def test_rate_limit_and_quota(gw: Gw) -> None:
    ok(
        gw.api.put(
            "/api/v1/exchange/limits/GOV/G12.31/ECUS",
            json={"rate_per_second": 0.2, "burst": 2, "daily_quota": 1000},
            headers=auth(gw.admin),
        )
    )
    time.sleep(LIMITS.cache_seconds + 0.1)
    answers = [gw.get(SVC + "/vessels") for _ in range(3)]
    assert [a.status_code for a in answers[:2]] == [200, 200]
    limited = refused(answers[2], 429, "Client.RateLimited")
    assert "0.2 requests/s" in limited["message"]
    assert 1 <= int(answers[2].headers["retry-after"]) <= 6
    ok(
        gw.api.put(
            "/api/v1/exchange/limits/GOV/G12.31/ECUS",
            json={"rate_per_second": 1000, "burst": 1000, "daily_quota": 8},
            headers=auth(gw.admin),
        )
    )
    time.sleep(LIMITS.cache_seconds + 0.1)
    codes = [gw.get(SVC + "/vessels").status_code for _ in range(8)]
    assert 429 in codes
    over = gw.get(SVC + "/vessels")
    refused(over, 429, "Client.QuotaExceeded")
    assert 0 < int(over.headers["retry-after"]) <= 86_401


def test_every_refusal_is_counted_and_authenticated_ones_are_evidence(gw: Gw) -> None:
    refused(gw.get(SVC + "/vessels", client=None), 400, "Client.MissingHeaderField")
    refused(gw.get("/r1/VN/COM/0200236845/TOS/nothing"), 404, "Server.ServerProxy.UnknownService")
    assert gw.get(SVC + "/vessels").status_code == 200

    def written() -> None:
        with gw.platform.store.read() as conn:
            actions = conn.execute(
                text(
                    "SELECT action, target FROM audit_log WHERE action IN "
                    "('exchange', 'exchange.denied') ORDER BY seq"
                )
            ).all()
            requests = conn.execute(text("SELECT sum(requests) FROM exchange_totals")).scalar()
        assert [tuple(a) for a in actions] == [
            ("exchange.denied", "VN/COM/0200236845/TOS/nothing"),
            ("exchange", "VN/COM/0200236845/TOS/containers"),
        ]
        assert requests == 3

    h.eventually(written)


def test_clean_shutdown_writes_the_queue(gw: Gw) -> None:
    lazy = LIMITS.model_copy(update={"flush_seconds": 3600, "flush_entries": 100_000})
    gateway, port = Gateway(gw.platform, lazy), h.free_port()
    with h.ThreadServer(gateway, port):
        for _ in range(10):
            resp = httpx.get(
                f"http://127.0.0.1:{port}{SVC}/vessels",
                timeout=10,
                headers={"X-Road-Client": CLIENT, "X-API-Key": gw.keys["customs_key"]},
            )
            assert resp.status_code == 200
        assert gateway.evidence.backlog == 10  # nothing written yet
    # leaving the block stops uvicorn, whose lifespan shutdown writes the queue
    assert gateway.evidence.backlog == 0
    with gw.platform.store.read() as conn:
        n = conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'exchange'")).scalar()
    assert n == 10
