"""Scoreboard: the overview page's server time (target p95 ≤ 100 ms) and the quarterly
PDF (target ≤ 3 s), on SQLite with the catalog, the 114 communes, the units and eight
quarters of (synthetic) indicator values loaded.

Until the demo (issue 7) can load the full packs, the data is what the web tests seed;
the overview's cost does not grow with record counts (it reads catalog aggregates and
indicator cells, not records).
"""

from __future__ import annotations

import shutil
import statistics
import time

from fastapi.testclient import TestClient
from tests.web_support import build_app, load_units, seed_catalog, seed_values

from benchmarks.common import WORK, machine
from lienthong.audit.chain import load_or_create_signer
from lienthong.audit.service import Auditor
from lienthong.bootstrap import register_parts
from lienthong.core import migrate
from lienthong.core.db import Store
from lienthong.core.platform import Platform
from lienthong.core.settings import Settings
from lienthong.registry.auth import init_platform
from lienthong.reports import charts, pdf

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
    with store.write() as conn:
        admin = init_platform(conn, p.audit, "VN", "admin", "Quản trị", "bench")["key"]["token"]
    with TestClient(build_app(p)) as c:
        seed_catalog(c, str(admin), rows=2000)
    load_units(p)
    seed_values(p)
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
