"""The exchange gateway as the monitor shows it: services, traffic, errors, latency and
pending access requests with their age, read from the exchange part when installed."""

from __future__ import annotations

import importlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from sqlalchemy import Connection, func, select

from lienthong.core.auth import Principal
from lienthong.core.platform import Platform
from lienthong.core.timeutil import VIETNAM
from lienthong.web.sources.model import Figure, Point, Provenance
from lienthong.web.sources.ready import has_tables

log = logging.getLogger("lienthong.web.exchange")
WINDOW_MINUTES = 24 * 60


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


@dataclass(frozen=True)
class Monitor:
    """What the exchange monitor shows; `installed` is False until the gateway exists."""

    installed: bool
    services: list[dict[str, Any]] = field(default_factory=list)
    traffic: list[dict[str, Any]] = field(default_factory=list)
    hourly: list[Point] = field(default_factory=list)
    pending: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, float] = field(default_factory=dict)


def monitor(platform: Platform, principal: Principal) -> Monitor:
    """Services, the last 24 hours of traffic and the pending requests this person may see."""
    schema = _module("lienthong.exchange.schema")
    svc = _module("lienthong.exchange.services")
    reqs = _module("lienthong.exchange.access_requests")
    if schema is None or svc is None or reqs is None:
        return Monitor(installed=False)
    with platform.store.read() as conn:
        if not has_tables(conn, schema.traffic.name, schema.access_requests.name):
            return Monitor(installed=False)
        services = svc.list_services(conn, platform.settings.instance, principal)
        traffic, totals = _traffic(conn, schema.traffic, schema.BUCKETS_MS)
        hourly = _hourly(conn, schema.traffic)
        pending = reqs.list_requests(conn, principal, state="pending")
    by_id = {t["service"]: t for t in traffic}
    for s in services:
        s["traffic"] = by_id.get(s["id"])
    return Monitor(True, services, traffic, hourly, pending, totals)


def _since() -> int:
    return int(time.time() // 60) - WINDOW_MINUTES


def _traffic(
    conn: Connection, table: Any, bounds: tuple[int, ...]
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Per service over the window: counts, error rate, mean and p95 latency."""
    buckets = [c for c in table.c if c.name.startswith("b") and c.name[1:].isdigit()]
    sums = [func.sum(table.c[n]).label(n) for n in _COUNTS] + [
        func.sum(c).label(c.name) for c in buckets
    ]
    q = select(table.c.service, *sums).where(table.c.minute >= _since()).group_by(table.c.service)
    out = []
    totals = dict.fromkeys(_COUNTS, 0.0)
    for r in conn.execute(q).mappings():
        row = {k: float(r[k] or 0) for k in _COUNTS}
        for k in _COUNTS:
            totals[k] += row[k]
        hist = [float(r[c.name] or 0) for c in buckets]
        out.append(_describe(r["service"], row, hist, bounds))
    out.sort(key=lambda t: -t["requests"])
    return out, totals


_COUNTS = (
    "requests", "client_errors", "server_errors", "gateway_errors",
    "bytes_in", "bytes_out", "duration_ms",
)  # fmt: skip


def _describe(
    service: str, row: dict[str, float], hist: list[float], bounds: tuple[int, ...]
) -> dict[str, Any]:
    n = row["requests"]
    errors = row["client_errors"] + row["server_errors"] + row["gateway_errors"]
    return {
        "service": service,
        "requests": int(n),
        "errors": int(errors),
        "server_errors": int(row["server_errors"] + row["gateway_errors"]),
        "error_rate": errors / n if n else 0.0,
        "mean_ms": row["duration_ms"] / n if n else None,
        "p95_ms": percentile(hist, bounds, 0.95),
        "bytes": int(row["bytes_in"] + row["bytes_out"]),
    }


def percentile(hist: list[float], bounds: tuple[int, ...], q: float) -> float | None:
    """The upper bound of the bucket holding the q-th request (">" the last bound above it).

    >>> percentile([5, 90, 5], (10, 100), 0.95)
    100.0
    """
    total = sum(hist)
    if not total:
        return None
    seen = 0.0
    for i, count in enumerate(hist):
        seen += count
        if seen >= q * total:
            return float(bounds[i]) if i < len(bounds) else float(bounds[-1]) * 2
    return float(bounds[-1]) * 2


def _hourly(conn: Connection, table: Any) -> list[Point]:
    """Requests per hour over the window, oldest first, hours with no traffic as zero."""
    since = _since()
    hour = table.c.minute // 60  # integer division on both back ends: true division rounds on PG
    q = select(hour.label("h"), func.sum(table.c.requests).label("n")).where(
        table.c.minute >= since
    )
    counts = {int(r.h): float(r.n) for r in conn.execute(q.group_by(hour))}
    # the current hour and the 23 before it, labelled in Vietnam's time (each label once)
    first = (since + WINDOW_MINUTES) // 60 - 23
    return [
        Point(
            datetime.fromtimestamp((first + i) * 3600, VIETNAM).strftime("%H:00"),
            counts.get(first + i, 0.0),
        )
        for i in range(24)
    ]


def volume_figure(platform: Platform) -> Figure | None:
    """Requests through the gateway over the last 24 hours, for the overview."""
    schema = _module("lienthong.exchange.schema")
    if schema is None:
        return None
    with platform.store.read() as conn:
        if not has_tables(conn, schema.traffic.name):
            return None
        hourly = _hourly(conn, schema.traffic)
        last = conn.execute(select(func.max(schema.traffic.c.minute))).scalar()
    total = sum(p.value or 0 for p in hourly)
    if not total:
        return None
    return Figure(
        key="exchange",
        title="slot.exchange",
        value=total,
        unit="unit.requests_24h",
        digits=0,
        series=tuple(hourly),
        updated_at=datetime.fromtimestamp(int(last) * 60, UTC) if last else None,
        provenance=Provenance.COMPUTED,
        source="source.gateway",
        href="/exchange",
    )


def requests_between(platform: Platform, start: datetime, end: datetime) -> int | None:
    """Requests through the gateway from `start` up to `end` (None before the gateway exists)."""
    schema = _module("lienthong.exchange.schema")
    if schema is None:
        return None
    table = schema.traffic
    lo, hi = int(start.timestamp() // 60), int(end.timestamp() // 60)
    with platform.store.read() as conn:
        if not has_tables(conn, table.name):
            return None
        q = select(func.coalesce(func.sum(table.c.requests), 0)).where(
            table.c.minute >= lo, table.c.minute < hi
        )
        return int(conn.execute(q).scalar_one())
