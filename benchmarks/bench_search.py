"""datastore_search on a 1M-row table beside Datasette's SQL endpoint on the same SQLite file.

Filter on an indexed field, 20 rows, 32 connections on loopback (wrk), the two servers in
turn for a few rounds (medians reported: the machine is shared). Target
(ARCHITECTURE.md): ≥ 2 × Datasette's requests/s, p99 ≤ 40 ms. Both servers and
the load generator share this machine's 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from statistics import median

from benchmarks.common import WORK, machine
from benchmarks.vndata import SCHEMA, write_csv

ROWS = 1_000_000
SECONDS = 10
ROUNDS = 3
CONNECTIONS = 32
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build(db: Path, data: Path, csv: Path) -> None:
    env = os.environ | {
        "LIENTHONG_DATABASE_URL": f"sqlite:///{db}",
        "LIENTHONG_DATA_DIR": str(data),
    }
    schema = WORK / "schema.json"
    schema.write_text(json.dumps(SCHEMA | {"indexes": ["ma_xa"]}, ensure_ascii=False))
    cli = [str(BIN / "lienthong")]
    for args in (
        ["init"],
        ["member", "create", "GOV", "H31", "--name", "UBND thành phố Hải Phòng"],
        [
            "dataset",
            "create",
            "ho-so",
            "--owner",
            "GOV/H31",
            "--title",
            "Hồ sơ (synthetic)",
            "--schema",
            str(schema),
            "--classification",
            "public",
        ],
        ["ingest", "ho-so", str(csv)],
    ):
        subprocess.run(cli + args, env=env, check=True, capture_output=True)


def wait(url: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).read()  # noqa: S310  (loopback only)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


LUA = """
local codes = {}
for i = 1, 114 do codes[i] = string.format("%05d", 31000 + i) end
local n = 0
request = function()
  n = n + 1
  local path = string.gsub(PATH, "CODE", codes[(n % 114) + 1])
  return wrk.format("GET", path)
end
"""


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its descendants (Linux)."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
            total += sum(int(x) for x in stat.rsplit(")", 1)[1].split()[11:13])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return total / os.sysconf("SC_CLK_TCK")


def load(url: str, path: str, pid: int, seconds: int) -> tuple[float, float, float]:
    """Requests/s, p99 in ms, and the server's CPU milliseconds per request."""
    cpu = tree_cpu(pid)
    script = WORK / "rotate.lua"
    script.write_text(f'PATH = "{path}"\n' + LUA)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99, out
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{errors.group(1)} failed responses:\n{out}")
    count = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    cpu_ms = (tree_cpu(pid) - cpu) * 1000 / max(count, 1)
    return rps, float(p99.group(1)) * scale, cpu_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the 1M-row file in benchmarks/.work and reuse it on the next --keep run",
    )
    parser.add_argument("--workers", type=int, default=2, help="lienthong serve --workers")
    parser.add_argument(
        "--rounds",
        type=int,
        default=ROUNDS,
        help="alternate the two servers this many times (the machine's load moves between "
        "runs); the medians are the figures",
    )
    parser.add_argument("--seconds", type=int, default=SECONDS, help="of load per round")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk not found (apt-get install wrk): search benchmark skipped")
        return
    print(f"machine: {machine()}")
    db, csv = WORK / "search.db", WORK / "ho_so_1m.csv"
    ready = WORK / "search.ready"
    if not (args.keep and ready.exists()):
        shutil.rmtree(WORK, ignore_errors=True)
        WORK.mkdir(parents=True)
        write_csv(csv, ROWS)
        build(db, WORK / "data", csv)
        csv.unlink()
        ready.touch()
    ours_port, dsette_port = free_port(), free_port()
    env = os.environ | {
        "LIENTHONG_DATABASE_URL": f"sqlite:///{db}",
        "LIENTHONG_DATA_DIR": str(WORK / "data"),
        "LIENTHONG_LOG_JSON": "false",
    }
    procs = [
        subprocess.Popen(
            [
                str(BIN / "lienthong"),
                "serve",
                "--port",
                str(ours_port),
                "--workers",
                str(args.workers),
                "--no-migrate",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [
                str(BIN / "datasette"),
                "serve",
                str(db),
                "--port",
                str(dsette_port),
                "--setting",
                "sql_time_limit_ms",
                "5000",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        ours = f"http://127.0.0.1:{ours_port}"
        theirs = f"http://127.0.0.1:{dsette_port}"
        filters = urllib.parse.quote('{"ma_xa":"CODE"}')
        ours_path = f"/api/action/datastore_search?resource_id=ho-so&limit=20&filters={filters}"
        sql = urllib.parse.quote("select * from ds_1 where ma_xa = :m limit 20")
        theirs_path = f"/search.json?sql={sql}&m=CODE&_shape=array"
        wait(ours + ours_path.replace("CODE", "31001"))
        wait(theirs + theirs_path.replace("CODE", "31001"))
        first = ours + ours_path.replace("CODE", "31001")
        sample = json.loads(urllib.request.urlopen(first).read())  # noqa: S310  (loopback only)
        assert sample["success"], sample
        assert len(sample["result"]["records"]) == 20, sample
        rounds = []
        for n in range(1, args.rounds + 1):
            theirs_fig = load(theirs, theirs_path, procs[1].pid, args.seconds)
            ours_fig = load(ours, ours_path, procs[0].pid, args.seconds)
            rounds.append((theirs_fig, ours_fig, ours_fig[0] / theirs_fig[0]))
            print(
                f"round {n}: datasette {theirs_fig[0]:,.0f} req/s, p99 {theirs_fig[1]:.1f} ms; "
                f"ours {ours_fig[0]:,.0f} req/s, p99 {ours_fig[1]:.1f} ms; "
                f"{rounds[-1][2]:.2f} ×; load average {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        base_rps, base_p99, base_cpu = (median(r[0][i] for r in rounds) for i in range(3))
        rps, p99, cpu = (median(r[1][i] for r in rounds) for i in range(3))
        ratio = median(r[2] for r in rounds)
        print("load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
        print(
            f"datasette SQL endpoint: {base_rps:,.0f} req/s, p99 {base_p99:.1f} ms, "
            f"server CPU {base_cpu:.2f} ms/request (medians of {len(rounds)} rounds)"
        )
        print(
            f"datastore_search: {rps:,.0f} req/s, p99 {p99:.1f} ms, server CPU {cpu:.2f} "
            f"ms/request, {ratio:.2f} × Datasette; "
            f"target ≥ 2 × and p99 ≤ 40 ms: {'met' if ratio >= 2 and p99 <= 40 else 'NOT met'}",
            flush=True,
        )
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=10)
        if not args.keep:
            shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
