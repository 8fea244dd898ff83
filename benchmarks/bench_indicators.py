"""Indicator engine: full recompute, incremental update, Spark — over SYNTHETIC facts.

Data (generated here, deterministic, labelled synthetic): 1,000,000 administrative-procedure
files and 100,000 business registrations over Hải Phòng's 114 communes × 60 months
(2021-01 … 2025-12), loaded through the warehouse. Baseline: the same plan written by hand
as plain SQL (one GROUP BY per dataset), run by sqlite3 on the same file.

    python -m benchmarks.bench_indicators [--no-spark] [--reuse]

`--reuse` starts from the database a previous run prepared (skips the 1.1M-row ingest).
"""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import delete, select
from tests.test_indicators_support import (
    DOANH_NGHIEP_SCHEMA,
    DOSSIERS,
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
from lienthong.indicators.schema import ind_values
from lienthong.units import loader as units_loader
from lienthong.units import service as units
from lienthong.warehouse.ingest import Source, ingest
from lienthong.warehouse.writer import Mode

FILES, FIRMS, MONTHS = 1_000_000, 100_000, 60
SEEDS = range(7, 13)  # six incremental batches of 10,000 new files each
# main's frameworks read whether a dossier's result was digitised, when its schema has it
DIGITISED = any(f["name"] == "so_hoa_ket_qua" for f in HO_SO_SCHEMA["fields"])
BASELINE_SQL = {
    DOSSIERS: """SELECT ma_xa, strftime('%Y-%m', thoi_diem_nop) AS m, count(*),
        sum(kenh_nop IN ('truc_tuyen_mot_phan', 'truc_tuyen_toan_trinh')),
        sum(kenh_nop = 'truc_tuyen_toan_trinh'), sum(dung_han), count(dung_han),
        sum(thanh_toan_truc_tuyen), sum(so_ngay), count(so_ngay){more}
        FROM {t} WHERE thoi_diem_nop IS NOT NULL AND ma_xa IS NOT NULL GROUP BY 1, 2""",
    "doanh-nghiep": """SELECT ma_xa, strftime('%Y-%m', ngay_dang_ky) AS m, count(*),
        sum(hoa_don_dien_tu), sum(nganh_ict), sum(von_dang_ky)
        FROM {t} WHERE ngay_dang_ky IS NOT NULL AND ma_xa IS NOT NULL GROUP BY 1, 2""",
}


def synthetic(
    n: int, communes: list[str], seed: int, kind: str, year: int | None = None
) -> pa.Table:
    """SYNTHETIC records, deterministic for a seed (all in `year` if given)."""
    rng = np.random.default_rng(seed)
    month = rng.integers(0, 12 if year else MONTHS, n)
    first = year or 2021
    days = np.array(
        [
            (date(first + m // 12, m % 12 + 1, 1) - date(1970, 1, 1)).days
            for m in range(12 if year else MONTHS)
        ]
    )
    day = (days[month] + rng.integers(0, 28, n)).astype("datetime64[D]")
    xa = np.array(communes)[rng.integers(0, len(communes), n)]
    ids = np.arange(seed * 10_000_000, seed * 10_000_000 + n)
    if kind == DOSSIERS:
        kenh = np.array(["truc_tuyen_mot_phan", "truc_tuyen_toan_trinh", "truc_tiep"])[
            rng.choice(3, n, p=[0.3, 0.4, 0.3])
        ]
        # office hours, in UTC: the same day in Vietnam (UTC+7)
        at = day.astype("datetime64[s]") + rng.integers(1, 9 * 3600, n).astype("timedelta64[s]")
        decided = rng.random(n) < 0.9  # the rest is still being processed: no verdict yet
        return pa.table(
            {
                "ma_ho_so": pa.array([f"HS{i:010d}" for i in ids]),
                "ma_xa": xa,
                "thoi_diem_nop": pa.array(at, pa.timestamp("s", tz="UTC")),
                "kenh_nop": kenh,
                "dung_han": pa.array(rng.random(n) < 0.95, mask=~decided),
                "thanh_toan_truc_tuyen": rng.random(n) < 0.33,
                "so_ngay": rng.integers(1, 30, n) / 2,
            }
            | ({"so_hoa_ket_qua": rng.random(n) < 0.75} if DIGITISED else {})
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
    """The database with units, member, datasets and the SYNTHETIC rows (kept for `--reuse`)."""
    kept = WORK / "indicators-prepared.db"
    # a WAL left by a process that did not close its database belongs to the old file
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    if "--reuse" in sys.argv and kept.exists():
        shutil.copy(kept, path)
        p = platform_at(path)
        with p.store.read() as conn:
            communes = [u.code for u in units.descendants(conn, "31", 3)]
        return p, communes
    if path.exists():
        path.unlink()
    p = platform_at(path)
    migrate.upgrade(p.store)
    with p.store.write() as conn:
        units_loader.load(conn, p.audit, "bench")
    setup_member(p)
    make_dataset(p, DOSSIERS, HO_SO_SCHEMA)
    make_dataset(p, "doanh-nghiep", DOANH_NGHIEP_SCHEMA)
    with p.store.read() as conn:
        communes = [u.code for u in units.descendants(conn, "31", 3)]
    for name, n, seed in ((DOSSIERS, FILES, 1), ("doanh-nghiep", FIRMS, 2)):
        csv = WORK / f"{name}.csv"
        pacsv.write_csv(synthetic(n, communes, seed, name), csv)
        ingest(p, OPERATOR, name, Source.file(csv), Mode.INSERT)
    shutil.copy(path, kept)
    return p, communes


def baseline(path: Path) -> float:
    db = sqlite3.connect(path)
    tables = dict(db.execute("SELECT name, id FROM datasets").fetchall())
    started = time.perf_counter()
    for name, sql in BASELINE_SQL.items():
        more = ", sum(so_hoa_ket_qua)" if DIGITISED and name == DOSSIERS else ""
        db.execute(sql.format(t=f"ds_{tables[name]}", more=more)).fetchall()
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def stored(p: Platform) -> dict[tuple[str, str, str, str], tuple[Any, ...]]:
    with p.store.read() as conn:
        return {
            (r.dx, r.ou, r.pe, r.source): (r.value, r.numerator, r.denominator, r.estimated)
            for r in conn.execute(select(ind_values))
        }


def incremental(p: Platform, communes: list[str], seed: int) -> dict[str, float]:
    """10,000 new files of 2025 → committed → values updated → change event received.

    The warehouse publishes `dataset.changed` after its commit, in its own thread; a
    handler subscribed before the follower's marks that moment.
    """
    marks: dict[str, float] = {}

    def committed(_t: str, _e: dict[str, Any]) -> None:
        marks["committed"], marks["cpu"] = time.perf_counter(), time.process_time()

    def changed(_t: str, e: dict[str, Any]) -> None:
        marks["changed"], marks["cpu_done"] = time.perf_counter(), time.process_time()
        marks["cells"] = e["changed"]

    rows = synthetic(10_000, communes[:20], seed, DOSSIERS, year=2025)
    records: list[dict[str, Any]] = rows.to_pylist()
    for r in records:
        r["thoi_diem_nop"] = r["thoi_diem_nop"].isoformat()
    with (
        events.subscribe(live.DATASET_CHANGED, committed),
        events.subscribe(live.INDICATORS_CHANGED, changed),
    ):
        follower = live.Follower(p.store).start()
        started = time.perf_counter()
        ingest(p, OPERATOR, DOSSIERS, Source.json_records(records), Mode.INSERT)
        follower.stop()
    return {
        "ingest": marks["committed"] - started,
        "update": marks["changed"] - marks["committed"],
        "cpu": marks["cpu_done"] - marks["cpu"],
        "cells": marks["cells"],
    }


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
    print(f"load average at start: {os.getloadavg()}")
    path = WORK / "indicators.db"
    started = time.perf_counter()
    p, communes = prepare(path)
    took = time.perf_counter() - started
    print(f"setup (units, {FILES + FIRMS:,} SYNTHETIC rows ingested): {took:.1f} s")
    base = min(baseline(path) for _ in range(3))
    # a full recompute writes only what differs from the stored values: measured into an
    # empty values table (everything written) and over the values it stored (nothing differs)
    for label, empty in (("into an empty values table", True), ("over stored values", False)):
        runs, cpus = [], []
        for _ in range(3):
            if empty:
                with p.store.write() as conn:
                    conn.execute(delete(ind_values))
            cpu = time.process_time()
            s = compute.compute_all(p.store)
            cpus.append(time.process_time() - cpu)
            runs.append(s.seconds)
        print(f"facts {s.facts:,} cube rows, {s.values:,} values ({s.changed:,} written)")
        print(f"full recompute {label}: {', '.join(f'{r:.3f}' for r in runs)} s; {s.phases}")
        report(f"full recompute {label} (best of 3)", min(runs) * 1000, "ms", base * 1000, "SQL")
        report(f"  CPU in process, {label} (best of 3)", min(cpus) * 1000, "ms", None, "")
    report("plain SQL of the same plan (best of 3)", base * 1000, "ms", None, "")
    shutil.copy(path, WORK / "indicators-before-incremental.db")
    # what is loaded by now lives as long as the process: frozen out of the full
    # collections, as the server does after start-up (app.py)
    gc.collect()
    gc.freeze()
    totals = []
    for seed in SEEDS:
        inc = incremental(p, communes, seed)
        totals.append(inc["ingest"] + inc["update"])
        report("incremental: ingest 10,000 rows", inc["ingest"] * 1000, "ms", None, "")
        report(
            f"incremental: committed → values updated → event ({inc['cells']:,} cells)",
            inc["update"] * 1000,
            "ms",
            None,
            "",
        )
        report("incremental: CPU of the update", inc["cpu"] * 1000, "ms", None, "")
        report("incremental: ingest started → event", totals[-1] * 1000, "ms", None, "")
    median, worst = sorted(totals)[len(totals) // 2], max(totals)
    print(
        f"incremental over {len(SEEDS)} batches, ingest started → event: "
        f"median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms"
    )
    after = stored(p)
    compute.compute_all(p.store)
    same = after == stored(p)
    print(f"incremental values equal a full recompute's: {same}")
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
    print(f"load average at end: {os.getloadavg()}")
    p.store.dispose()
    if not same:
        sys.exit("incremental values differ from a full recompute's")


if __name__ == "__main__":
    main()
