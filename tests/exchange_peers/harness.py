"""Starting the peers and the gateway as real processes, and setting up the exchange."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lienthong.app import create_app
from lienthong.core.platform import Platform
from lienthong.exchange.api import router as exchange_router
from tests.utils import CUSTOMS, HAIPHONG, PORT_TAX_CODE, auth, make_member, make_subsystem, ok

PEERS = Path(__file__).resolve().parent
ROOT = PEERS.parent.parent
PORT = f"COM/{PORT_TAX_CODE}"
TOS = f"{PORT}/TOS"
CUSTOMS_SYS = "GOV/G12.31/ECUS"
SERVICE = f"{TOS}/containers"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def eventually(check: Any, timeout: float = 15.0) -> Any:
    """Retry `check` until it stops failing its assertions (the writer flushes every 0.2 s)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def later(days: int = 30) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not come up within {timeout} s")


@contextmanager
def process(
    args: list[str], ready_url: str, env: dict[str, str] | None = None, log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A child process, ready when `ready_url` answers; killed at the end."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        args, env=env or dict(os.environ), stdout=subprocess.DEVNULL, stderr=out, cwd=ROOT
    )
    try:
        wait_http(ready_url, proc)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        if log:
            out.close()  # type: ignore[union-attr]


def peer(name: str, port: int) -> list[str]:
    return [sys.executable, str(PEERS / f"{name}.py"), str(port)]


def gateway_env(platform: Platform, **extra: str) -> dict[str, str]:
    env = {
        "LIENTHONG_DATABASE_URL": platform.store.url,
        "LIENTHONG_DATA_DIR": str(platform.settings.data_dir),
        "LIENTHONG_SITE_URL": "http://gateway.example",
        "LIENTHONG_LOG_JSON": "false",
        "LIENTHONG_GATEWAY_CACHE_SECONDS": "0.3",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT / "src"),
    }
    return env | {f"LIENTHONG_GATEWAY_{k.upper()}": v for k, v in extra.items()}


def gateway_args(port: int, workers: int = 1) -> list[str]:
    cmd = [sys.executable, "-m", "lienthong.exchange.cli", "gateway", "serve"]
    return [*cmd, "--port", str(port), "--workers", str(workers)]


def api(platform: Platform) -> TestClient:
    app: FastAPI = create_app(platform=platform)
    app.include_router(exchange_router)
    return TestClient(app, raise_server_exceptions=False)


def subsystem_key(client: TestClient, token: str, subsystem: str) -> str:
    body = {"name": "exchange", "subsystem": subsystem, "roles": ["consumer", "publisher"]}
    return str(ok(client.post("/api/v1/keys", json=body, headers=auth(token)), 201)["token"])


def setup(
    client: TestClient, admin: str, tos_port: int, openapi_url: bool = True
) -> dict[str, Any]:
    """Hải Phòng port (TOS provider), customs (ECUS consumer), the city (another client)."""
    make_member(client, admin, HAIPHONG)
    make_member(client, admin, CUSTOMS)
    port = {"member_class": "COM", "member_code": PORT_TAX_CODE, "name": "Cảng Hải Phòng"}
    make_member(client, admin, port)
    make_subsystem(client, admin, PORT, "TOS")
    make_subsystem(client, admin, "GOV/G12.31", "ECUS")
    make_subsystem(client, admin, "GOV/H31", "LGSP")
    body: dict[str, Any] = {
        "provider": TOS,
        "code": "containers",
        "title": "Trạng thái container (TOS)",
        "upstream_url": f"http://127.0.0.1:{tos_port}",
    }
    if openapi_url:
        body["openapi_url"] = f"http://127.0.0.1:{tos_port}/openapi.json"
    service = ok(client.post("/api/v1/exchange/services", json=body, headers=auth(admin)), 201)
    return {
        "service": service,
        "customs_key": subsystem_key(client, admin, CUSTOMS_SYS),
        "city_key": subsystem_key(client, admin, "GOV/H31/LGSP"),
        "tos_key": subsystem_key(client, admin, TOS),
    }


def grant(
    client: TestClient,
    token: str,
    endpoint: dict[str, str] | None = None,
    client_ref: str = CUSTOMS_SYS,
    service: str = SERVICE,
) -> Any:
    body: dict[str, Any] = {
        "service": service,
        "client": client_ref,
        "purpose": "thông quan hàng hóa (customs clearance)",
        "expires_at": later(),
    }
    if endpoint:
        body["endpoint"] = endpoint
    return ok(client.post("/api/v1/exchange/rights", json=body, headers=auth(token)), 201)


def customs(script: dict[str, Any], tmp: Path) -> list[dict[str, Any]]:
    """Run the customs consumer process on a script; its report."""
    path = tmp / f"customs-{time.monotonic_ns()}.json"
    path.write_text(json.dumps(script, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(PEERS / "customs.py"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


class ThreadServer:
    """A gateway served by uvicorn (httptools) in a thread of the test process: a real
    HTTP parser and socket, without a process start per test."""

    def __init__(self, app: Any, port: int) -> None:
        import threading

        import uvicorn

        from lienthong.exchange.server import XRoadHttpToolsProtocol

        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            http=XRoadHttpToolsProtocol,
            loop="asyncio",
            lifespan="on",
            log_level="warning",
            server_header=False,
            access_log=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the gateway did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


def raw_request(port: int, data: bytes, timeout: float = 10.0) -> bytes:
    """Send bytes as they are and read the answer until the server closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                part = s.recv(65536)
                if not part:
                    break
                chunks.append(part)
                if b"\r\n\r\n" in b"".join(chunks) and len(chunks) > 0:
                    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
                    length = [
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ]
                    if length and len(body) >= length[0]:
                        break
        except TimeoutError:
            pass
    return b"".join(chunks)
