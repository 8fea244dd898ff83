"""Scoreboard: the overview page's server time (target p95 ≤ 100 ms) and the quarterly
PDF (target ≤ 3 s), with the full demo loaded: `lienthong demo`'s chain (units, every pack
at the demo default scale, the action plans, the articles' reported figures, the port
community, the indicators computed) into SQLite. All of it SYNTHETIC, as the demo is.

    python -m benchmarks.bench_web
"""

from __future__ import annotations

import shutil
import statistics
import time
from datetime import date

from fastapi.testclient import TestClient
from tests.web_support import build_app

from benchmarks.common import WORK, machine
from lienthong.audit.chain import load_or_create_signer
from lienthong.audit.service import Auditor
from lienthong.bootstrap import register_parts
from lienthong.core import migrate
from lienthong.core.auth import local_operator
from lienthong.core.db import Store
from lienthong.core.platform import Platform
from lienthong.core.settings import Settings
from lienthong.demo import load as demo
from lienthong.demo import plans, port, reporting
from lienthong.indicators import compute
from lienthong.registry.auth import init_platform
from lienthong.reports import charts, pdf
from lienthong.units import loader as units_loader

REQUESTS = 300


def setup() -> Platform:
    work = WORK / "web"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    s = Settings(database_url=f"sqlite:///{work}/bench.db", data_dir=work / "data", log_json=False)
    store = Store(s.database_url)
    migrate.upgrade(store)
    register_parts()
    signer = load_or_create_signer(s.signing_key_file)
    p = Platform(s, store, Auditor(signer, every=1000, seconds=3600))
    actor = local_operator("bench")
    started = time.perf_counter()
    with store.write() as conn:
        init_platform(conn, p.audit, "VN", "admin", "Quản trị", "bench")
        units_loader.load(conn, p.audit, "bench")
    report = demo.load(p, actor)
    plans.seed(p, actor, date.today())
    reporting.report(p, actor)
    port.setup(p, actor, s.site_url)
    summary = compute.compute_all(p.store)
    print(
        f"full demo loaded: {report.rows:,} rows in {len(report.tables)} datasets, "
        f"{summary.values:,} indicator values, {time.perf_counter() - started:.1f} s"
    )
    return p


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def main() -> None:
    print(machine())
    platform = setup()
    with TestClient(build_app(platform)) as c:
        for _ in range(20):
            c.get("/")
        times = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            r = c.get("/")
            times.append((time.perf_counter() - started) * 1000)
            assert r.status_code == 200
    print(
        f"overview page, in-process, {REQUESTS} requests: p50 {statistics.median(times):.1f} ms, "
        f"p95 {p95(times):.1f} ms (target ≤ 100 ms)"
    )
    runs, redrawn = [], []
    for _ in range(3):
        started = time.perf_counter()
        data = pdf.quarterly(platform, "31", "2025-Q4")
        runs.append(time.perf_counter() - started)
    for _ in range(2):  # as after new data arrived: every chart drawn again by vl-convert
        charts.clear_cache()
        started = time.perf_counter()
        pdf.quarterly(platform, "31", "2025-Q4")
        redrawn.append(time.perf_counter() - started)
    print(
        f"quarterly PDF ({len(data):,} bytes): first {runs[0]:.2f} s (loads vl-convert), "
        f"then {min(runs[1:]):.2f} s with the charts cached, {min(redrawn):.2f} s with every "
        "chart redrawn (target ≤ 3 s)"
    )


if __name__ == "__main__":
    main()
