"""Monitoring: per-service counts, error rates and latency percentiles.

The evidence writer sums every exchange into `exchange_traffic` (per minute) and
`exchange_totals` (since the start) in the database, so /metrics and the stats are
the same whichever uvicorn worker answers, with no multiprocess files: a
prometheus_client collector reads the totals at scrape time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector
from sqlalchemy import Connection, func, select

from lienthong.core.db import Store
from lienthong.exchange.schema import BUCKET_NAMES, BUCKETS_MS, COUNTERS, totals, traffic


class TrafficCollector(Collector):
    """Reads `exchange_totals` at each scrape."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        with self.store.read() as conn:
            rows = list(conn.execute(select(totals).order_by(totals.c.service)).mappings())
        requests = CounterMetricFamily(
            "lienthong_exchange_requests",
            "Requests through the gateway, by service",
            labels=["service"],
        )
        errors = CounterMetricFamily(
            "lienthong_exchange_errors",
            "Answers with status >= 400, by service and kind (client: 4xx, server: 5xx, "
            "gateway: carrying X-Road-Error)",
            labels=["service", "kind"],
        )
        moved = CounterMetricFamily(
            "lienthong_exchange_bytes",
            "Body bytes, by service and direction",
            labels=["service", "direction"],
        )
        latency = HistogramMetricFamily(
            "lienthong_exchange_duration_seconds",
            "Time from request to the end of the answer, by service",
            labels=["service"],
        )
        for r in rows:
            svc = r["service"]
            requests.add_metric([svc], r["requests"])
            for kind in ("client", "server", "gateway"):
                errors.add_metric([svc, kind], r[f"{kind}_errors"])
            moved.add_metric([svc, "in"], r["bytes_in"])
            moved.add_metric([svc, "out"], r["bytes_out"])
            cumulative, buckets = 0, []
            for bound, name in zip((*BUCKETS_MS, None), BUCKET_NAMES, strict=True):
                cumulative += r[name]
                buckets.append(("+Inf" if bound is None else str(bound / 1000), cumulative))
            latency.add_metric([svc], buckets, r["duration_ms"] / 1000)
        yield from (requests, errors, moved, latency)


def render(store: Store) -> tuple[bytes, str]:
    """The Prometheus text exposition of the exchange's counters."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(TrafficCollector(store))
    return generate_latest(registry), CONTENT_TYPE_LATEST


def percentile(counts: list[int], q: float) -> float | None:
    """The q-quantile (0–1) of a histogram, interpolated within its bucket, in ms.

    >>> percentile([0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.5)
    7.5
    """
    total = sum(counts)
    if total == 0:
        return None
    rank, seen = q * total, 0
    for i, n in enumerate(counts):
        if n and seen + n >= rank:
            low = 0.0 if i == 0 else float(BUCKETS_MS[i - 1])
            high = float(BUCKETS_MS[i]) if i < len(BUCKETS_MS) else low * 2
            return round(low + (high - low) * (rank - seen) / n, 2)
        seen += n
    return float(BUCKETS_MS[-1])


def stats(conn: Connection, minutes: int = 60, services: set[str] | None = None) -> dict[str, Any]:
    """Per service over the last `minutes`: counts, error rates, latency percentiles."""
    since = int(time.time() // 60) - minutes + 1
    sums = [func.sum(traffic.c[c]).label(c) for c in COUNTERS]
    q = select(traffic.c.service, *sums).where(traffic.c.minute >= since)
    out = []
    for r in conn.execute(q.group_by(traffic.c.service).order_by(traffic.c.service)).mappings():
        if services is not None and r["service"] not in services:
            continue
        n = int(r["requests"])
        counts = [int(r[b]) for b in BUCKET_NAMES]
        out.append(
            {
                "service": r["service"],
                "requests": n,
                "client_errors": int(r["client_errors"]),
                "server_errors": int(r["server_errors"]),
                "gateway_errors": int(r["gateway_errors"]),
                "error_rate": round((int(r["client_errors"]) + int(r["server_errors"])) / n, 4),
                "server_error_rate": round(int(r["server_errors"]) / n, 4),
                "bytes_in": int(r["bytes_in"]),
                "bytes_out": int(r["bytes_out"]),
                "latency_ms": {
                    "mean": round(float(r["duration_ms"]) / n, 2),
                    "p50": percentile(counts, 0.5),
                    "p95": percentile(counts, 0.95),
                    "p99": percentile(counts, 0.99),
                },
            }
        )
    return {"minutes": minutes, "since_minute": since, "services": out}
