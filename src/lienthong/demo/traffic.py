"""Synthetic live traffic for the demo: new dossiers arrive every few seconds.

Each tick copies a handful of recent dossiers as new ones (fresh codes, submitted now)
and ingests them through the ordinary path, so the indicators follow and the open
scoreboard pages update live. Everything it adds is synthetic, like the pack it copies.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from lienthong.catalog.service import get_dataset, table_name
from lienthong.core.auth import local_operator
from lienthong.core.platform import Platform
from lienthong.demo.packs.dossiers import DOSSIERS
from lienthong.warehouse.ingest import Source, ingest
from lienthong.warehouse.writer import Mode

log = logging.getLogger("lienthong.demo.traffic")


class Traffic:
    """A background thread that ingests `rows` synthetic dossiers every `interval` seconds."""

    def __init__(self, platform: Platform, interval: float = 3.0, rows: int = 25) -> None:
        self.platform, self.interval, self.rows = platform, interval, rows
        self.ticks = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-traffic", daemon=True)

    def start(self) -> Traffic:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.tick()
            except Exception:  # a failed tick must not end the demo's traffic
                log.exception("synthetic traffic tick failed")

    def tick(self) -> int:
        """One batch of new dossiers; returns how many were ingested."""
        self.ticks += 1
        records = self._copies()
        if records:
            ingest(
                self.platform,
                local_operator("demo-traffic"),
                DOSSIERS.name,
                Source.json_records(records),
                Mode.INSERT,
            )
        return len(records)

    def _copies(self) -> list[dict[str, Any]]:
        with self.platform.store.read() as conn:
            name = table_name(get_dataset(conn, DOSSIERS.name))
            rows = (
                conn.execute(
                    text(f"SELECT * FROM {name} ORDER BY _id DESC LIMIT :n"),  # noqa: S608  (ds_<id>)
                    {"n": self.rows},
                )
                .mappings()
                .all()
            )
        now = datetime.now(UTC)
        stamp = now.strftime("%Y%m%d%H%M%S")
        out = []
        for i, row in enumerate(rows):
            record = {k: _plain(v) for k, v in row.items() if k != "_id"}
            record["ma_ho_so"] = f"LIVE-{stamp}-{self.ticks}-{i:03d}"
            record["thoi_diem_nop"] = now.isoformat()
            out.append(record)
        return out


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
