"""One clock for the platform: timezone-aware UTC, ISO 8601 text with microseconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving since 1975


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    """ISO 8601 in UTC with a fixed width, so text order is time order.

    >>> iso(datetime(2025, 7, 1, tzinfo=UTC))
    '2025-07-01T00:00:00.000000Z'
    """
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
