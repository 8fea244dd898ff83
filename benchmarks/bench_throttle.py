"""Login throttle on the database: the time a login attempt spends in it (the check before
the password, the failure written after), beside the Argon2 verification every attempt
costs anyway (the baseline, measured in the same run). The table is first filled as a
distributed guess at its busiest would leave it: FILL failures inside the window.

    python -m benchmarks.bench_throttle
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable

from benchmarks.common import WORK, machine, start_pg
from lienthong.core import migrate
from lienthong.core.db import Store
from lienthong.registry.schema import login_failures
from lienthong.registry.secrets import hash_password, password_matches
from lienthong.web.throttle import Throttle

FILL = 10_000  # failures (two rows each) already in the window
ATTEMPTS = 500


def timed(n: int, step: Callable[[int], None]) -> tuple[float, float]:
    """Wall and CPU (this process) milliseconds per call."""
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        step(i)
    return (time.perf_counter() - wall) * 1e3 / n, (time.process_time() - cpu) * 1e3 / n


def run(label: str, store: Store) -> None:
    migrate.upgrade(store)
    now = time.time()
    with store.write() as conn:
        conn.execute(
            login_failures.insert(),
            [
                {"kind": kind, "key": f"{kind}-{i}", "failed_at": now - 600 * i / FILL}
                for i in range(FILL)
                for kind in ("user", "address")
            ],
        )
    t = Throttle(store)
    check = timed(ATTEMPTS, lambda i: t.retry_after(f"user-{i}", f"address-{i}"))
    fail = timed(ATTEMPTS, lambda i: t.failed(f"new-{i}", f"10.9.{i // 250}.{i % 250}"))
    print(
        f"{label}: check {check[0]:.2f} ms wall / {check[1]:.2f} ms CPU, "
        f"failure written {fail[0]:.2f} ms wall / {fail[1]:.2f} ms CPU",
        flush=True,
    )


def main() -> None:
    print(machine(), "| load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    stored = hash_password("bench-password")
    argon = timed(20, lambda i: password_matches("wrong", stored))
    print(f"baseline, one Argon2 verification: {argon[0]:.1f} ms wall / {argon[1]:.1f} ms CPU")
    work = WORK / "throttle"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    sqlite = Store(f"sqlite:///{work}/bench.db")
    run("sqlite", sqlite)
    sqlite.dispose()
    cluster = start_pg()
    if cluster:
        try:
            pg = Store(cluster.url(cluster.create_database()))
            run("postgresql", pg)
            pg.dispose()
        finally:
            cluster.stop()
    shutil.rmtree(work, ignore_errors=True)
    print("load average after", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
