"""Shared helpers for benchmarks: a throwaway PostgreSQL, machine facts, printing."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pgcluster import Cluster, find_bin_dir  # noqa: E402

WORK = ROOT / "benchmarks" / ".work"


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def start_pg() -> Cluster | None:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        print("PostgreSQL binaries not found: PostgreSQL figures skipped")
        return None
    # durable: fsync and synchronous commit on, as in production
    return Cluster(bin_dir, port=56000 + os.getpid() % 1000, durable=True).start()


def report(name: str, value: float, unit: str, baseline: float | None, base_name: str) -> None:
    ratio = f", {value / baseline:.2f} × {base_name}" if baseline else ""
    print(f"{name}: {value:,.0f} {unit}{ratio}", flush=True)
