"""Per-client rate limit and daily quota, and a circuit breaker per upstream host.

All three live in the worker process. With N workers each takes 1/N of a client's rate
and burst; the quota is shared through the database (`exchange_usage`, refreshed after
each evidence flush), so N workers may admit a few requests beyond it within a flush window.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lienthong.exchange.snapshot import Limits


class RateLimiter:
    """A token bucket per client subsystem.

    >>> r = RateLimiter()
    >>> lim = Limits(rate_per_second=1, burst=2, daily_quota=10)
    >>> [r.take(7, lim, now=0.0) is None for _ in range(3)]
    [True, True, False]
    """

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)
        self.buckets: dict[int, tuple[float, float]] = {}

    def take(self, client: int, limits: Limits, now: float | None = None) -> float | None:
        """None when admitted; else the seconds to wait before the next token."""
        now = time.monotonic() if now is None else now
        rate = limits.rate_per_second / self.workers
        burst = max(1.0, limits.burst / self.workers)
        tokens, last = self.buckets.get(client, (burst, now))
        tokens = min(burst, tokens + (now - last) * rate)
        if tokens >= 1.0:
            self.buckets[client] = (tokens - 1.0, now)
            return None
        self.buckets[client] = (tokens, now)
        return (1.0 - tokens) / rate


def utc_day(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y-%m-%d")


def seconds_to_midnight(now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int((midnight - now).total_seconds()) + 1)


class Quota:
    """Requests per client and UTC day: what the database holds plus what is not yet written."""

    def __init__(self) -> None:
        self.day = utc_day()
        self.written: dict[int, int] = {}
        self.unwritten: dict[int, int] = {}

    def _roll(self) -> None:
        today = utc_day()
        if today != self.day:
            self.day, self.written, self.unwritten = today, {}, {}

    def take(self, client: int, quota: int) -> int | None:
        """None when admitted; else the seconds until the quota resets (UTC midnight)."""
        self._roll()
        used = self.written.get(client, 0) + self.unwritten.get(client, 0)
        if used >= quota:
            return seconds_to_midnight()
        self.unwritten[client] = self.unwritten.get(client, 0) + 1
        return None

    def flushed(self, day: str, counts: dict[int, int], usage: dict[int, int]) -> None:
        """After a flush: `counts` moved from memory to the database, which now holds `usage`."""
        if day != self.day:
            return
        for client, n in counts.items():
            left = self.unwritten.get(client, 0) - n
            if left > 0:
                self.unwritten[client] = left
            else:
                self.unwritten.pop(client, None)
        self.written = dict(usage)


@dataclass
class _Circuit:
    failures: int = 0
    opened_at: float | None = None
    trial: bool = False


class Breaker:
    """Opens after `failures` consecutive transport failures or timeouts of an upstream;
    after `reset_seconds` lets one trial request through (half-open).

    >>> b = Breaker(failures=2, reset_seconds=5)
    >>> b.failure("h", now=0); b.failure("h", now=0); b.check("h", now=1) is not None
    True
    >>> b.check("h", now=6) is None, b.check("h", now=6) is not None
    (True, True)
    """

    def __init__(self, failures: int = 5, reset_seconds: float = 10.0) -> None:
        self.limit = failures
        self.reset = reset_seconds
        self.circuits: dict[str, _Circuit] = {}

    def check(self, host: str, now: float | None = None) -> float | None:
        """None when a request may go; else the seconds until the next trial."""
        c = self.circuits.get(host)
        if c is None or c.opened_at is None:
            return None
        now = time.monotonic() if now is None else now
        waited = now - c.opened_at
        if waited >= self.reset and not c.trial:
            c.trial = True
            return None
        return max(1.0, self.reset - waited)

    def success(self, host: str) -> None:
        self.circuits.pop(host, None)

    def failure(self, host: str, now: float | None = None) -> None:
        c = self.circuits.setdefault(host, _Circuit())
        c.failures += 1
        if c.trial or c.failures >= self.limit:
            c.opened_at = time.monotonic() if now is None else now
            c.trial = False

    def state(self, host: str) -> str:
        c = self.circuits.get(host)
        if c is None or c.opened_at is None:
            return "closed"
        return "half-open" if c.trial else "open"
