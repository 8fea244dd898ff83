"""Ingest a 1M-row, 8-column Vietnamese CSV with validation, beside the bare loaders.

Baselines from the same run: the `sqlite3` CLI's `.import` of the same file
into a table with the same primary key, and `psql \\copy` into PostgreSQL.
Each load runs in a child process so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import WORK, machine, start_pg
from benchmarks.vndata import SCHEMA, write_csv

ROWS = 1_000_000


def child(argv: list[str]) -> dict[str, float]:
    """Run a loader in a child process; its wall time and peak memory."""
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    seconds = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "peak_mib": peak_kib / 1024}


def sqlite_import(csv: Path, db: Path) -> dict[str, float]:
    db.unlink(missing_ok=True)
    cols = ", ".join(f"{f['name']} TEXT" for f in SCHEMA["fields"])
    script = (
        f"CREATE TABLE t ({cols}, PRIMARY KEY (ma_ho_so));\n.mode csv\n.import --skip 1 {csv} t\n"
    )
    t0 = time.perf_counter()
    subprocess.run(["sqlite3", str(db)], input=script.encode(), check=True)
    return {"seconds": time.perf_counter() - t0}


def our_ingest(url: str, csv: Path, data: Path) -> dict[str, float]:
    code = f"""
import json, resource, sys, time
from pathlib import Path
from lienthong.bootstrap import build_platform
from lienthong.core import migrate
from lienthong.core.settings import Settings
from lienthong.core.auth import local_operator
from lienthong.registry.members import create_member
from lienthong.registry.models import MemberIn
from lienthong.catalog.models import DatasetIn
from lienthong.catalog.service import create_dataset
from lienthong.warehouse.ingest import ingest, Source
p = build_platform(Settings(database_url={url!r}, data_dir=Path({str(data)!r})))
migrate.upgrade(p.store)
op = local_operator("bench")
with p.store.write() as c:
    member = MemberIn(member_class="GOV", member_code="H31", name="UBND")
    create_member(c, p.audit, op, "VN", member)
    meta = {{"name": "ho-so", "owner": "GOV/H31", "title": "Hồ sơ (synthetic)"}}
    schema = json.loads({json.dumps(SCHEMA)!r})
    create_dataset(c, p.audit, op, "VN", DatasetIn.model_validate(meta | {{"schema": schema}}))
t0, c0 = time.perf_counter(), time.process_time()
r = ingest(p, op, "ho-so", Source.file(Path({str(csv)!r})))
took, cpu = time.perf_counter() - t0, time.process_time() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": took, "cpu": cpu, "rows": r["inserted"], "peak_mib": peak}}))
"""
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def psql_copy(cluster: object, csv: Path) -> dict[str, float]:
    from tests.pgcluster import Cluster

    assert isinstance(cluster, Cluster)
    name = cluster.create_database()
    cols = ", ".join(f"{f['name']} TEXT" for f in SCHEMA["fields"])
    psql = [str(cluster.bin_dir / "psql"), "-q", "-v", "ON_ERROR_STOP=1", cluster.dsn(name)]
    subprocess.run(
        [*psql, "-c", f"CREATE TABLE t (_id bigserial, {cols}, UNIQUE (ma_ho_so))"], check=True
    )
    t0 = time.perf_counter()
    subprocess.run(
        [
            *psql,
            "-c",
            f"\\copy t ({', '.join(f['name'] for f in SCHEMA['fields'])}) FROM '{csv}' CSV HEADER",
        ],
        check=True,
    )
    return {"seconds": time.perf_counter() - t0}


def line(
    label: str, ours: dict[str, float], base: dict[str, float], base_name: str, target: float
) -> None:
    rate, base_rate = ROWS / ours["seconds"], ROWS / base["seconds"]
    ratio = rate / base_rate
    print(
        f"ingest {label}: {rate:,.0f} rows/s ({ours['seconds']:.2f} s, "
        f"CPU {ours['cpu']:.2f} s, peak {ours['peak_mib']:.0f} MiB), "
        f"{ratio:.2f} × {base_name} ({base['seconds']:.2f} s); target ≥ {target} ×: "
        f"{'met' if ratio >= target else 'NOT met'}",
        flush=True,
    )


def main() -> None:
    global ROWS
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS, help="rows in the file (1,000,000)")
    ROWS = parser.parse_args().rows
    print(f"machine: {machine()}; load average {_load()}")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    csv = WORK / "ho_so_1m.csv"
    write_csv(csv, ROWS)
    print(f"data: {ROWS:,} rows × 8 columns, {csv.stat().st_size / 2**20:.0f} MiB, synthetic")
    base = sqlite_import(csv, WORK / "baseline.db")
    ours = our_ingest(f"sqlite:///{WORK / 'ours.db'}", csv, WORK / "data")
    line("sqlite", ours, base, "sqlite3 .import", 0.6)
    cluster = start_pg()
    if cluster:
        try:
            base = psql_copy(cluster, csv)
            name = cluster.create_database()
            ours = our_ingest(cluster.url(name), csv, WORK / "data-pg")
            line("postgresql", ours, base, "psql \\copy", 0.6)
        finally:
            cluster.stop()
    shutil.rmtree(WORK, ignore_errors=True)
    print(f"load average at the end: {_load()}")


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
