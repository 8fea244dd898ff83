"""Indicator engine: full recompute, incremental update, Spark — over SYNTHETIC facts.

Data (generated here, deterministic, labelled synthetic): 1,000,000 administrative-procedure
files and 100,000 business registrations over Hải Phòng's 114 communes × 60 months
(2021-01 … 2025-12), loaded through the warehouse. Baseline: the same plan written by hand
as plain SQL (one GROUP BY per dataset), run by sqlite3 on the same file.

    python -m benchmarks.bench_indicators [--no-spark]
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from tests.test_indicators_support import (
    DOANH_NGHIEP_SCHEMA,
    HO_SO_SCHEMA,
    OPERATOR,
    make_dataset,
    setup_member,
)

from benchmarks.common import WORK, machine, report
from lienthong.audit.chain import load_or_create_signer
from lienthong.audit.service import Auditor
from lienthong.bootstrap import register_parts
from lienthong.core import events, migrate
from lienthong.core.db import Store
from lienthong.core.platform import Platform
from lienthong.core.settings import Settings
from lienthong.indicators import compute, live
from lienthong.units import loader as units_loader
from lienthong.units import service as units
from lienthong.warehouse.ingest import Source, ingest
from lienthong.warehouse.writer import Mode

FILES, FIRMS, MONTHS = 1_000_000, 100_000, 60
BASELINE_SQL = {
    "ho-so-tthc": """SELECT ma_xa, strftime('%Y-%m', ngay_tiep_nhan) AS m, count(*),
        sum(kenh = 'truc_tuyen'), sum(toan_trinh), sum(dung_han), sum(thanh_toan_truc_tuyen),
        sum(so_hoa_ket_qua), sum(so_ngay), count(so_ngay)
        FROM {t} GROUP BY 1, 2""",
    "doanh-nghiep": """SELECT ma_xa, strftime('%Y-%m', ngay_dang_ky) AS m, count(*),
        sum(hoa_don_dien_tu), sum(nganh_ict), sum(von_dang_ky) FROM {t} GROUP BY 1, 2""",
}


def synthetic(n: int, communes: list[str], seed: int, kind: str) -> pa.Table:
    """SYNTHETIC records, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    month = rng.integers(0, MONTHS, n)
    days = np.array(
        [(date(2021 + m // 12, m % 12 + 1, 1) - date(1970, 1, 1)).days for m in range(MONTHS)]
    )
    day = (days[month] + rng.integers(0, 28, n)).astype("datetime64[D]")
    xa = np.array(communes)[rng.integers(0, len(communes), n)]
    ids = np.arange(seed * 10_000_000, seed * 10_000_000 + n)
    if kind == "ho-so-tthc":
        kenh = np.array(["truc_tuyen", "truc_tiep", "buu_chinh"])[
            rng.choice(3, n, p=[0.7, 0.2, 0.1])
        ]
        return pa.table(
            {
                "ma_ho_so": pa.array([f"HS{i:010d}" for i in ids]),
                "ma_xa": xa,
                "ngay_tiep_nhan": day,
                "kenh": kenh,
                "toan_trinh": rng.random(n) < 0.4,
                "dung_han": rng.random(n) < 0.95,
                "thanh_toan_truc_tuyen": rng.random(n) < 0.33,
                "so_hoa_ket_qua": rng.random(n) < 0.75,
                "so_ngay": rng.integers(1, 30, n) / 2,
            }
        )
    return pa.table(
        {
            "ma_so_thue": pa.array([f"02{i:010d}" for i in ids]),
            "ma_xa": xa,
            "ngay_dang_ky": day,
            "nganh_ict": rng.random(n) < 0.1,
            "hoa_don_dien_tu": rng.random(n) < 0.66,
            "von_dang_ky": rng.integers(1, 200, n) / 4,
        }
    )


def platform_at(path: Path) -> Platform:
    register_parts()
    settings = Settings(
        database_url=f"sqlite:///{path}",
        data_dir=WORK / "ind-data",
        instance="VN",
        checkpoint_every=100_000,
        checkpoint_seconds=3600,
    )
    auditor = Auditor(load_or_create_signer(settings.signing_key_file), every=100_000, seconds=3600)
    return Platform(settings=settings, store=Store(settings.database_url), audit=auditor)


def prepare(path: Path) -> tuple[Platform, list[str]]:
    if path.exists():
        path.unlink()
    p = platform_at(path)
    migrate.upgrade(p.store)
    with p.store.write() as conn:
        units_loader.load(conn, p.audit, "bench")
    setup_member(p)
    make_dataset(p, "ho-so-tthc", HO_SO_SCHEMA)
    make_dataset(p, "doanh-nghiep", DOANH_NGHIEP_SCHEMA)
    with p.store.read() as conn:
        communes = [u.code for u in units.descendants(conn, "31", 3)]
    for name, n, seed in (("ho-so-tthc", FILES, 1), ("doanh-nghiep", FIRMS, 2)):
        csv = WORK / f"{name}.csv"
        pacsv.write_csv(synthetic(n, communes, seed, name), csv)
        ingest(p, OPERATOR, name, Source.file(csv), Mode.INSERT)
    return p, communes


def baseline(path: Path) -> float:
    db = sqlite3.connect(path)
    tables = dict(db.execute("SELECT name, id FROM datasets").fetchall())
    started = time.perf_counter()
    for name, sql in BASELINE_SQL.items():
        db.execute(sql.format(t=f"ds_{tables[name]}")).fetchall()
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def incremental(p: Platform, communes: list[str]) -> dict[str, float]:
    """10,000 new files → values updated → change event received."""
    got = threading.Event()
    follower = live.Follower(p.store).start()
    rows = synthetic(10_000, communes[:20], 7, "ho-so-tthc")
    records: list[dict[str, Any]] = rows.to_pylist()
    for r in records:
        r["ngay_tiep_nhan"] = r["ngay_tiep_nhan"].replace(year=2025).isoformat()
    with events.subscribe(live.INDICATORS_CHANGED, lambda _t, _e: got.set()):
        started = time.perf_counter()
        report_ = ingest(p, OPERATOR, "ho-so-tthc", Source.json_records(records), Mode.INSERT)
        ingested = time.perf_counter()
        events.publish(
            live.DATASET_CHANGED,
            {
                "dataset": "ho-so-tthc",
                "mode": "insert",
                "inserted": report_["inserted"],
                "updated": 0,
                "database": p.store.url,
            },
        )
        got.wait(30)
        done = time.perf_counter()
    follower.stop()
    return {"ingest": ingested - started, "update": done - ingested, "total": done - started}


def spark_time(p: Platform) -> tuple[float, float]:
    from lienthong.indicators.engines import spark_session

    started = time.perf_counter()
    session = spark_session("lienthong-bench")
    up = time.perf_counter() - started
    started = time.perf_counter()
    compute.compute_all(p.store, "spark", spark=session, workdir=WORK / "snapshots")
    took = time.perf_counter() - started
    session.stop()
    return up, took


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    print(machine())
    path = WORK / "indicators.db"
    started = time.perf_counter()
    p, communes = prepare(path)
    took = time.perf_counter() - started
    print(f"setup (units, {FILES + FIRMS:,} SYNTHETIC rows ingested): {took:.1f} s")
    base = min(baseline(path) for _ in range(3))
    runs = []
    for _ in range(3):
        s = compute.compute_all(p.store)
        runs.append(s.seconds)
    print(f"facts {s.facts:,} cube rows, {s.values:,} values, {len(communes)} communes")
    report("full recompute, SQLite (best of 3)", min(runs) * 1000, "ms", base * 1000, "plain SQL")
    report("plain SQL of the same plan (best of 3)", base * 1000, "ms", None, "")
    shutil.copy(path, WORK / "indicators-before-incremental.db")
    inc = incremental(p, communes)
    report("incremental: ingest 10,000 rows", inc["ingest"] * 1000, "ms", None, "")
    report("incremental: committed → values updated → event", inc["update"] * 1000, "ms", None, "")
    report("incremental: ingest + update + event", inc["total"] * 1000, "ms", None, "")
    if "--no-spark" not in sys.argv:
        up, took = spark_time(p)
        report("Spark: session start", up * 1000, "ms", None, "")
        report(
            "Spark: full recompute (snapshots + plan + store)",
            took * 1000,
            "ms",
            min(runs) * 1000,
            "SQLite",
        )
    p.store.dispose()


if __name__ == "__main__":
    main()
