"""Audit log: append rate on SQLite and PostgreSQL, and verify time over 1M entries.

Targets (ARCHITECTURE.md): ≥ 20,000 entries/s appended; 1M verified in ≤ 3 s.
Baseline: the same rows inserted with a bare executemany, no hashing or chain.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from sqlalchemy import text

from benchmarks.common import WORK, machine, report, start_pg
from lienthong.audit.chain import load_or_create_signer, load_public_key
from lienthong.audit.service import Auditor, Entry
from lienthong.audit.verify import verify
from lienthong.core import migrate
from lienthong.core.db import Store

BATCH = 1000


def entries(n: int, start: int = 0) -> list[Entry]:
    return [
        Entry(
            actor="subsystem:VN/COM/0200236845/TOS",
            action="exchange.request",
            target="VN/GOV/G12.31/VNACCS/declarations",
            details={"status": 200, "bytes": 16384, "ms": 3.2, "x_road_id": f"id-{start + i}"},
            member_id=1,
        )
        for i in range(n)
    ]


def append_rate(store: Store, auditor: Auditor, total: int) -> float:
    batches = [entries(BATCH, i) for i in range(0, total, BATCH)]
    t0 = time.perf_counter()
    for batch in batches:
        with store.write() as conn:
            auditor.record_many(conn, batch)
    return total / (time.perf_counter() - t0)


def single_rate(store: Store, auditor: Auditor, total: int) -> float:
    batch = entries(total)
    t0 = time.perf_counter()
    for e in batch:
        with store.write() as conn:
            auditor.record_many(conn, [e])
    return total / (time.perf_counter() - t0)


def bare_rate(store: Store, total: int) -> float:
    """The baseline: the same rows, inserted without hashing, into a plain copy of the table."""
    with store.write() as conn:
        conn.exec_driver_sql("CREATE TABLE bare_log AS SELECT * FROM audit_log WHERE 1 = 0")
    rows = [
        {
            "seq": i,
            "ts": "2025-12-31T00:00:00.000000Z",
            "actor": e.actor,
            "member_id": 1,
            "action": e.action,
            "target": e.target,
            "details": str(e.details),
            "prev_hash": "0" * 64,
            "hash": "0" * 64,
        }
        for i, e in enumerate(entries(total))
    ]
    stmt = text(
        "INSERT INTO bare_log (seq, ts, actor, member_id, action, target, details, prev_hash, hash)"
        " VALUES (:seq, :ts, :actor, :member_id, :action, :target, :details, :prev_hash, :hash)"
    )
    t0 = time.perf_counter()
    for i in range(0, total, BATCH):
        with store.write() as conn:
            conn.execute(stmt, rows[i : i + BATCH])
    return total / (time.perf_counter() - t0)


def run(label: str, store: Store, key: Path, appended: int, verify_rows: int) -> None:
    migrate.upgrade(store)
    auditor = Auditor(load_or_create_signer(key), every=10_000)
    rate = append_rate(store, auditor, appended)
    base = bare_rate(store, appended)
    report(
        f"audit append ({label}, batches of {BATCH})", rate, "entries/s", base, "bare executemany"
    )
    print(f"  target 20,000 entries/s: {'met' if rate >= 20_000 else 'NOT met'}")
    report(
        f"audit append ({label}, one entry a transaction)",
        single_rate(store, auditor, 2000),
        "entries/s",
        None,
        "",
    )
    remaining = verify_rows - appended - 2000
    if remaining > 0:
        append_rate(store, auditor, remaining - remaining % BATCH)
    t0 = time.perf_counter()
    result = verify(store, load_public_key(key))
    took = time.perf_counter() - t0
    assert result.ok, result.problems
    print(
        f"audit verify ({label}): {result.entries:,} entries in {took:.2f} s "
        f"({result.entries / took:,.0f} entries/s); target ≤ 3 s for 1M: "
        f"{'met' if took * 1_000_000 / result.entries <= 3 else 'NOT met'}",
        flush=True,
    )


def main() -> None:
    print(f"machine: {machine()}")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    key = WORK / "bench-key.pem"
    sqlite = Store(f"sqlite:///{WORK / 'audit.db'}")
    run("sqlite", sqlite, key, 200_000, 1_000_000)
    sqlite.dispose()
    cluster = start_pg()
    if cluster:
        try:
            name = cluster.create_database()
            pg = Store(cluster.url(name))
            run("postgresql", pg, key, 200_000, 1_000_000)
            pg.dispose()
        finally:
            cluster.stop()
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
