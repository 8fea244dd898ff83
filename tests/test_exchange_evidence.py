"""Evidence survives the gateway process: a clean stop (SIGTERM) writes every queued
entry; a crash (SIGKILL under load) loses only exchanges answered within the last flush
window, and the chain still verifies with `lienthong audit verify`."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import httpx
import pytest
from sqlalchemy import text

from lienthong.core.platform import Platform
from tests.exchange_peers import harness as h

PATH = "/r1/VN/COM/0200236845/TOS/containers/vessels"
FLUSH_SECONDS = 0.2
# the stated loss window is the flush interval plus one batch write (tens of ms);
# the margin covers a loaded 2-core machine
WINDOW = FLUSH_SECONDS + 0.8


@pytest.fixture
def world(platform: Platform, admin_token: str) -> Iterator[dict[str, object]]:
    tos = h.free_port()
    with h.process(h.peer("tos", tos), f"http://127.0.0.1:{tos}/vessels"):
        client = h.api(platform)
        keys = h.setup(client, admin_token, tos, openapi_url=False)
        h.grant(client, admin_token)
        yield keys


def _start(platform: Platform, log: Path, **settings: str) -> tuple[subprocess.Popen[bytes], int]:
    port = h.free_port()
    env = h.gateway_env(platform, **settings)
    proc = subprocess.Popen(
        h.gateway_args(port), env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"), cwd=h.ROOT
    )
    h.wait_http(f"http://127.0.0.1:{port}/healthz", proc)
    return proc, port


def _audited_ids(platform: Platform) -> set[str]:
    with platform.store.read() as conn:
        rows = conn.execute(text("SELECT details FROM audit_log WHERE action = 'exchange'"))
        return {json.loads(r[0])["x_road_id"] for r in rows}


def _verify(platform: Platform) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "lienthong.cli", "audit", "verify"]
    env = h.gateway_env(platform)
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)


def test_clean_stop_writes_every_queued_entry(
    platform: Platform, world: dict[str, str], tmp_path: Path
) -> None:
    proc, port = _start(platform, tmp_path / "gw.log", flush_seconds="30", flush_entries="100000")
    headers = {"X-Road-Client": "VN/GOV/G12.31/ECUS", "X-API-Key": world["customs_key"]}
    sent = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=10) as c:
        for _ in range(50):
            xid = str(uuid.uuid4())
            assert c.get(PATH, headers={"X-Road-Id": xid}).status_code == 200
            sent.append(xid)
    before = _audited_ids(platform)
    proc.send_signal(signal.SIGTERM)
    # uvicorn shuts down gracefully (lifespan), then re-raises the signal it caught
    assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
    assert len(before) < 50  # still queued when the stop came
    assert _audited_ids(platform) >= set(sent)


async def _load(port: int, key: str, seconds: float, done: list[tuple[str, float]]) -> None:
    """16 connections asking as fast as they can; each success noted with its time."""
    headers = {"X-Road-Client": "VN/GOV/G12.31/ECUS", "X-API-Key": key}
    stop = time.monotonic() + seconds
    timeout = aiohttp.ClientTimeout(total=5)

    async def one(session: aiohttp.ClientSession) -> None:
        while time.monotonic() < stop:
            xid = str(uuid.uuid4())
            try:
                async with session.get(
                    f"http://127.0.0.1:{port}{PATH}", headers={"X-Road-Id": xid}
                ) as resp:
                    await resp.read()
                    if resp.status == 200:
                        done.append((xid, time.monotonic()))
            except (aiohttp.ClientError, TimeoutError):
                return  # the gateway is gone

    async with aiohttp.ClientSession(headers=headers, timeout=timeout) as session:
        await asyncio.gather(*(one(session) for _ in range(16)))


def test_crash_loses_at_most_the_last_flush_window(
    platform: Platform, world: dict[str, str], tmp_path: Path
) -> None:
    proc, port = _start(platform, tmp_path / "gw.log", flush_seconds=str(FLUSH_SECONDS))
    done: list[tuple[str, float]] = []
    killed_at: list[float] = []

    async def scenario() -> None:
        load = asyncio.create_task(_load(port, world["customs_key"], 30.0, done))
        await asyncio.sleep(2.0)
        killed_at.append(time.monotonic())
        os.kill(proc.pid, signal.SIGKILL)
        await asyncio.wait_for(load, timeout=30)

    asyncio.run(scenario())
    proc.wait(timeout=10)
    assert len(done) > 100, "the load did not get going"
    audited = _audited_ids(platform)
    lost = [(xid, at) for xid, at in done if xid not in audited]
    # every exchange answered before the window is in the log
    assert all(at > killed_at[0] - WINDOW for _, at in lost), [
        round(killed_at[0] - at, 3) for _, at in lost
    ]
    assert len(audited) >= len(done) - len(lost)
    result = _verify(platform)
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout
    oldest = max((killed_at[0] - at for _, at in lost), default=0.0)
    print(f"answered {len(done)}, lost {len(lost)}, the oldest {oldest:.3f} s before the kill")
