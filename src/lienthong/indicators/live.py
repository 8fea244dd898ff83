"""Keeping values live: follow ingestions, take reports, announce what changed.

The warehouse publishes ``dataset.changed`` after an ingestion commits; a
`Follower` folds the new rows in and publishes ``indicators.changed`` with the
cells whose value changed (the web part turns that into SSE).

    follower = follow(platform)   # at start-up; follower.stop() at shutdown
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from lienthong.core import events, gcpause
from lienthong.core.auth import Principal
from lienthong.core.db import Store
from lienthong.core.platform import Platform
from lienthong.indicators import compute, engines, reported
from lienthong.indicators.loader import load_shipped
from lienthong.indicators.model import Registry

DATASET_CHANGED = "dataset.changed"
INDICATORS_CHANGED = "indicators.changed"
log = logging.getLogger("lienthong.indicators")


def announce(summary: compute.Summary, cause: dict[str, Any]) -> None:
    """Publish the change, after the transaction that made it has committed."""
    if summary.changed:
        events.publish(INDICATORS_CHANGED, summary.as_dict() | {"cause": cause})


class Follower:
    """Subscribes to dataset changes of one database and recomputes what they touch."""

    def __init__(self, store: Store, registry: Registry | None = None) -> None:
        self.store = store
        self.registry = registry or load_shipped()
        self._sub: events.Subscription | None = None
        # one recomputation at a time: two ingestions racing would fold rows twice
        self._lock = threading.Lock()

    def start(self) -> Follower:
        engines.warm(self.store.dialect)
        self._sub = events.subscribe(DATASET_CHANGED, self.handle)
        return self

    def stop(self) -> None:
        if self._sub is not None:
            self._sub.close()
            self._sub = None

    def handle(self, topic: str, event: dict[str, Any]) -> None:
        if event.get("database") not in (None, self.store.url):
            return  # another database in this process (tests run several)
        with self._lock, gcpause.paused():
            summary = compute.apply_change(
                self.store,
                str(event["dataset"]),
                str(event.get("mode", "insert")),
                int(event.get("updated") or 0),
                self.registry,
            )
        if summary is not None:
            announce(summary, {"topic": topic, "dataset": event["dataset"]})


def follow(platform: Platform) -> Follower:
    return Follower(platform.store).start()


def report(
    platform: Platform,
    actor: Principal,
    items: list[dict[str, Any]],
    member: str | None = None,
    registry: Registry | None = None,
) -> dict[str, Any]:
    """Check, store and fold in reported values; the affected values are recomputed at once."""
    registry = registry or load_shipped()
    with platform.store.write() as conn:
        rows = reported.check(conn, registry, items)
        stored = reported.store_rows(
            conn, platform.audit, actor, member, rows, platform.settings.instance
        )
        summary = compute.refresh(conn, registry, stored["years"])
    announce(summary, {"topic": "indicators.reported", "member": member})
    return stored | {"values_changed": summary.changed}
