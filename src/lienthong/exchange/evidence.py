"""Evidence of every exchange, written off the hot path.

The proxy appends one `Exchange` per request to an in-process queue. A background task
writes the queue every `flush_seconds` (0.2 s) or as soon as `flush_entries` (1,000) wait,
in ONE transaction per batch: the hash-chained audit entries (`Auditor.record_many`), the
traffic counters behind /metrics and the stats, and the clients' daily usage (quota).

A clean shutdown writes what is queued. A crash loses what was queued since the last
committed batch: at most `flush_seconds` plus the time one batch takes to write.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from lienthong.audit.service import Auditor, Entry
from lienthong.core.db import Store
from lienthong.exchange.limits import utc_day
from lienthong.exchange.schema import BUCKET_NAMES, BUCKETS_MS, COUNTERS, totals, traffic, usage

log = logging.getLogger("lienthong.exchange.evidence")
UNKNOWN_SERVICE = "(unknown)"
MAX_TEXT = 2000


@dataclass(slots=True)
class Exchange:
    """One request through the gateway, as the evidence writer needs it."""

    at: float
    method: str
    service: str
    status: int
    duration_ms: float
    xroad_id: str
    request_id: str
    known_service: bool = False
    audit: bool = False
    action: str = "exchange"
    actor: str = ""
    client: str = ""
    client_id: int | None = None
    member_id: int | None = None
    endpoint: str | None = None
    path: str = ""
    query: str = ""
    bytes_in: int = 0
    bytes_out: int = 0
    request_sha512: str = ""
    response_sha512: str = ""
    request_hash: str = ""
    user_id: str | None = None
    issue: str | None = None
    error: str | None = None

    def details(self) -> dict[str, Any]:
        when = datetime.fromtimestamp(self.at, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        d: dict[str, Any] = {
            "at": when,
            "client": self.client,
            "endpoint": self.endpoint,
            "method": self.method,
            "path": self.path[:MAX_TEXT],
            "status": self.status,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "duration_ms": round(self.duration_ms, 3),
            "request_sha512": self.request_sha512,
            "response_sha512": self.response_sha512,
            "request_hash": self.request_hash,
            "x_road_id": self.xroad_id,
            "request_id": self.request_id,
        }
        for key, value in (
            ("query", self.query[:MAX_TEXT]),
            ("user_id", self.user_id),
            ("issue", self.issue),
            ("error", self.error),
        ):
            if value:
                d[key] = value
        return d

    def entry(self) -> Entry:
        return Entry(self.actor, self.action, self.service, self.details(), self.member_id)


def _bucket(duration_ms: float) -> str:
    return BUCKET_NAMES[bisect.bisect_left(BUCKETS_MS, duration_ms)]


def _counters(batch: list[Exchange]) -> tuple[dict[Any, dict[str, float]], dict[int, int]]:
    """Sum a batch per (minute, service), and count requests per client."""
    sums: dict[Any, dict[str, float]] = {}
    clients: dict[int, int] = {}
    for ex in batch:
        label = ex.service if ex.known_service else UNKNOWN_SERVICE
        row = sums.get((int(ex.at // 60), label))
        if row is None:
            row = sums[(int(ex.at // 60), label)] = dict.fromkeys(COUNTERS, 0)
        row["requests"] += 1
        row["client_errors"] += 400 <= ex.status < 500
        row["server_errors"] += ex.status >= 500
        row["gateway_errors"] += ex.error is not None
        row["bytes_in"] += ex.bytes_in
        row["bytes_out"] += ex.bytes_out
        row["duration_ms"] += ex.duration_ms
        row[_bucket(ex.duration_ms)] += 1
        if ex.audit and ex.client_id is not None:
            clients[ex.client_id] = clients.get(ex.client_id, 0) + 1
    return sums, clients


def _upsert(conn: Connection, table: Table, keys: list[str], rows: list[dict[str, Any]]) -> None:
    """Add the rows' counters to what the table holds (SQLite and PostgreSQL)."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(rows)
    counters = [c for c in rows[0] if c not in keys]
    stmt = stmt.on_conflict_do_update(
        index_elements=keys, set_={c: table.c[c] + stmt.excluded[c] for c in counters}
    )
    conn.execute(stmt)


def write_batch(
    conn: Connection, auditor: Auditor, batch: list[Exchange]
) -> tuple[dict[int, int], dict[int, int]]:
    """Write a batch in the caller's transaction; return (counts per client, today's usage)."""
    entries = [ex.entry() for ex in batch if ex.audit]
    if entries:
        auditor.record_many(conn, entries)
    sums, clients = _counters(batch)
    minute_rows = [{"minute": m, "service": s, **c} for (m, s), c in sorted(sums.items())]
    _upsert(conn, traffic, ["minute", "service"], minute_rows)
    per_service: dict[str, dict[str, float]] = {}
    for (_, service), c in sums.items():
        acc = per_service.setdefault(service, dict.fromkeys(COUNTERS, 0))
        for k, v in c.items():
            acc[k] += v
    _upsert(
        conn, totals, ["service"], [{"service": s, **c} for s, c in sorted(per_service.items())]
    )
    day = utc_day()
    _upsert(
        conn,
        usage,
        ["day", "subsystem_id"],
        [{"day": day, "subsystem_id": k, "requests": v} for k, v in sorted(clients.items())],
    )
    today = conn.execute(select(usage.c.subsystem_id, usage.c.requests).where(usage.c.day == day))
    return clients, {int(r[0]): int(r[1]) for r in today}


Flushed = Callable[[str, dict[int, int], dict[int, int]], None]


class EvidenceWriter:
    """The queue and its background writer."""

    def __init__(
        self,
        store: Store,
        auditor: Auditor,
        flush_seconds: float = 0.2,
        flush_entries: int = 1000,
        on_flushed: Flushed | None = None,
    ) -> None:
        self.store = store
        self.auditor = auditor
        self.flush_seconds = flush_seconds
        self.flush_entries = flush_entries
        self.on_flushed = on_flushed
        self.pending: list[Exchange] = []
        self.written = 0
        self.failures = 0
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    @property
    def backlog(self) -> int:
        return len(self.pending)

    def add(self, exchange: Exchange) -> None:
        self.pending.append(exchange)
        if len(self.pending) >= self.flush_entries and self._wake is not None:
            self._wake.set()

    async def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._wake = asyncio.Event()
            self._task = asyncio.create_task(self._run(), name="lienthong-evidence")

    async def stop(self) -> None:
        """Stop the loop and write everything still queued."""
        if self._task is not None and self._wake is not None:
            # let a batch being written finish rather than cancel it midway
            self._stopping = True
            self._wake.set()
            await self._task
            self._task = None
        while self.pending:
            if not await self.flush():
                log.error("evidence of %d exchanges could not be written", len(self.pending))
                break

    async def _run(self) -> None:
        assert self._wake is not None
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.flush_seconds)
            self._wake.clear()
            if self.pending and not await self.flush() and not self._stopping:
                await asyncio.sleep(min(5.0, 0.5 * self.failures))

    async def flush(self) -> bool:
        """Write what is queued now; on failure put it back in front and report False."""
        batch, self.pending = self.pending, []
        if not batch:
            return True
        try:
            clients, today = await asyncio.to_thread(self._write, batch)
        except Exception:
            self.failures += 1
            log.exception("evidence batch of %d not written; retrying", len(batch))
            self.pending = batch + self.pending
            return False
        self.failures = 0
        self.written += len(batch)
        if self.on_flushed is not None:
            self.on_flushed(utc_day(), clients, today)
        return True

    def _write(self, batch: list[Exchange]) -> tuple[dict[int, int], dict[int, int]]:
        with self.store.write() as conn:
            return write_batch(conn, self.auditor, batch)
