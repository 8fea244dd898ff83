"""The exchange proxy beside nginx proxying the same upstream.

A 16 KiB GET, 32 connections on loopback (wrk), through the gateway with the access check
and the evidence log on (SQLite, the embedded default). Target (ARCHITECTURE.md):
≥ 3,000 req/s with p99 ≤ 50 ms. The upstream is nginx serving a 16 KiB static file; the
baseline is a second nginx proxying to it with keep-alive. Added latency is measured at one
connection against calling the upstream directly. Everything shares this machine's 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import WORK, machine

SECONDS = 10
CONNECTIONS = 32
SIZE = 16 * 1024
WORKERS = 2
BIN = Path(sys.executable).parent
HERE = WORK / "proxy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
CLIENT = "VN/GOV/G12.31/ECUS"
PATH = "/r1/VN/COM/0200236845/TOS/files/payload.bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nginx_conf(upstream: int, proxy: int) -> str:
    return f"""
worker_processes 1;
pid {HERE}/nginx.pid;
error_log {HERE}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {HERE}/scratch; proxy_temp_path {HERE}/scratch;
    fastcgi_temp_path {HERE}/scratch; uwsgi_temp_path {HERE}/scratch; scgi_temp_path {HERE}/scratch;
    keepalive_requests 100000;
    server {{ listen 127.0.0.1:{upstream}; root {HERE}/www; }}
    upstream origin {{ server 127.0.0.1:{upstream}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{proxy};
        location / {{
            proxy_pass http://origin;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}
}}
"""


def setup(db: Path, data: Path, upstream: int) -> str:
    """Members, the service, a right and generous limits; returns the client's key."""
    os.environ["LIENTHONG_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["LIENTHONG_DATA_DIR"] = str(data)
    from lienthong.bootstrap import build_platform
    from lienthong.core import migrate
    from lienthong.core.auth import Role, local_operator
    from lienthong.core.settings import Settings
    from lienthong.exchange import rights, services
    from lienthong.exchange.limits_admin import set_limits
    from lienthong.exchange.models import LimitsIn, RightIn, ServiceIn
    from lienthong.registry import keys, members
    from lienthong.registry.identifiers import MemberClass
    from lienthong.registry.models import KeyIn, MemberIn, SubsystemIn

    p = build_platform(Settings())
    migrate.upgrade(p.store)
    op, inst = local_operator("bench"), "VN"
    with p.store.write() as conn:
        for cls, code, name, sub in (
            (MemberClass.COM, "0200236845", "Cảng Hải Phòng", "TOS"),
            (MemberClass.GOV, "G12.31", "Chi cục Hải quan Hải Phòng", "ECUS"),
        ):
            m = members.create_member(
                conn, p.audit, op, inst, MemberIn(member_class=cls, member_code=code, name=name)
            )
            row = members.get_member(conn, inst, cls.value, code)
            members.create_subsystem(conn, p.audit, op, row, SubsystemIn(code=sub, name=sub))
            assert m
        services.create_service(
            conn,
            p.audit,
            op,
            inst,
            ServiceIn(
                provider="COM/0200236845/TOS",
                code="files",
                title="16 KiB file (synthetic)",
                upstream_url=f"http://127.0.0.1:{upstream}",
            ),
            None,
        )
        rights.grant(
            conn,
            p.audit,
            op,
            inst,
            RightIn(
                service="COM/0200236845/TOS/files",
                client="GOV/G12.31/ECUS",
                purpose="benchmark",
                expires_at=datetime.now(UTC) + timedelta(days=1),
            ),
        )
        set_limits(
            conn,
            p.audit,
            op,
            inst,
            "GOV/G12.31/ECUS",
            LimitsIn(rate_per_second=1_000_000, burst=1_000_000, daily_quota=10_000_000_000),
        )
        key = keys.create_key(
            conn,
            p.audit,
            op,
            inst,
            KeyIn(name="bench", subsystem="GOV/G12.31/ECUS", roles=[Role.CONSUMER]),
        )
    p.store.dispose()
    return str(key["token"])


def wait(url: str, headers: dict[str, str] | None = None) -> None:
    for _ in range(300):
        try:
            req = urllib.request.Request(url, headers=headers or {})  # noqa: S310  (loopback)
            urllib.request.urlopen(req, timeout=1).read()  # noqa: S310
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def _ms(match: re.Match[str] | None, out: str) -> float:
    assert match, out
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]


def wrk(url: str, headers: dict[str, str], connections: int, seconds: int) -> dict[str, float]:
    cmd = [
        "wrk",
        "-t2" if connections > 1 else "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
    ]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, url], check=True, capture_output=True, text=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors or "Socket errors" in out:
        raise RuntimeError(f"failed responses:\n{out}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "requests": float(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "p50": _ms(re.search(r"50%\s+([\d.]+)(us|ms|s)", out), out),
        "p99": _ms(re.search(r"99%\s+([\d.]+)(us|ms|s)", out), out),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children now (threads included)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        pids += [int(c) for c in children]
    return total


def audit_entries(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return int(
            conn.execute("SELECT count(*) FROM audit_log WHERE action = 'exchange'").fetchone()[0]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=WORKERS, help="gateway worker processes")
    parser.add_argument("--seconds", type=int, default=SECONDS, help="length of each 32-conn run")
    parser.add_argument(
        "--py-spy",
        metavar="FILE",
        help="record the workers with py-spy during the 32-connection run (collapsed stacks)",
    )
    args = parser.parse_args()
    workers, seconds = args.workers, args.seconds
    if shutil.which("wrk") is None or NGINX is None:
        print("wrk or nginx not found (scripts/system-deps.sh bench): proxy benchmark skipped")
        return
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}")
    shutil.rmtree(HERE, ignore_errors=True)
    (HERE / "www").mkdir(parents=True)
    (HERE / "scratch").mkdir()
    # synthetic payload: 16 KiB of deterministic bytes
    (HERE / "www" / "payload.bin").write_bytes(bytes(i % 251 for i in range(SIZE)))
    upstream, proxy, gateway = free_port(), free_port(), free_port()
    (HERE / "nginx.conf").write_text(nginx_conf(upstream, proxy))
    db, data = HERE / "gateway.db", HERE / "data"
    key = setup(db, data, upstream)
    env = os.environ | {
        "LIENTHONG_DATABASE_URL": f"sqlite:///{db}",
        "LIENTHONG_DATA_DIR": str(data),
        "LIENTHONG_LOG_JSON": "false",
    }
    subprocess.run([NGINX, "-c", str(HERE / "nginx.conf"), "-p", str(HERE)], check=True)
    gw = subprocess.Popen(
        [
            str(BIN / "python"),
            "-m",
            "lienthong.exchange.cli",
            "gateway",
            "serve",
            "--port",
            str(gateway),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(HERE / "gateway.log").open("wb"),
    )
    headers = {"X-Road-Client": CLIENT, "X-API-Key": key}
    try:
        direct = f"http://127.0.0.1:{upstream}/payload.bin"
        via_nginx = f"http://127.0.0.1:{proxy}/payload.bin"
        via_gw = (
            f"http://127.0.0.1:{gateway}{PATH.replace('/files/payload.bin', '/files')}/payload.bin"
        )
        wait(direct)
        wait(via_nginx)
        wait(via_gw, headers)
        before = audit_entries(db)
        wrk(via_gw, headers, CONNECTIONS, 3)  # warm the pools and caches
        base = wrk(via_nginx, {}, CONNECTIONS, seconds)
        spy = None
        if args.py_spy:
            spy = subprocess.Popen(
                [str(BIN / "py-spy"), "record", "--pid", str(gw.pid), "--subprocesses",
                 "--nonblocking", "--format", "raw", "--rate", "250",
                 "--duration", str(seconds), "--output", args.py_spy],
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        cpu = cpu_seconds(gw.pid)
        ours = wrk(via_gw, headers, CONNECTIONS, seconds)
        cpu = cpu_seconds(gw.pid) - cpu
        if spy is not None:
            spy.wait(timeout=60)
        up1 = wrk(direct, {}, 1, 5)
        gw1 = wrk(via_gw, headers, 1, 5)
        time.sleep(1.0)  # the last batches of evidence
        written = audit_entries(db) - before
    finally:
        gw.send_signal(signal.SIGTERM)
        gw.wait(timeout=30)
        subprocess.run(
            [NGINX, "-c", str(HERE / "nginx.conf"), "-p", str(HERE), "-s", "stop"], check=False
        )
    sent = ours["requests"] + gw1["requests"]
    ratio = ours["rps"] / base["rps"]
    print(f"nginx proxy: {base['rps']:,.0f} req/s, p99 {base['p99']:.1f} ms")
    print(
        f"gateway ({workers} workers, access check + evidence): {ours['rps']:,.0f} req/s, "
        f"p99 {ours['p99']:.1f} ms, {ratio:.2f} × nginx; target ≥ 3,000 req/s and p99 ≤ 50 ms: "
        f"{'met' if ours['rps'] >= 3000 and ours['p99'] <= 50 else 'NOT met'}"
    )
    print(
        f"gateway CPU per request (all workers, user + system): "
        f"{cpu / ours['requests'] * 1e6:,.0f} µs"
    )
    print(
        f"added latency at 1 connection vs the upstream directly: "
        f"p50 {gw1['p50'] - up1['p50']:.2f} ms, p99 {gw1['p99'] - up1['p99']:.2f} ms "
        f"(direct p50 {up1['p50']:.2f} / p99 {up1['p99']:.2f} ms)"
    )
    print(
        f"evidence: {written:,} exchange entries written for ≥ {sent:,.0f} measured requests "
        f"(plus the warm-up)",
        flush=True,
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
