"""Synthetic live traffic for the demo: new dossiers and port exchanges every few seconds.

Each tick copies a handful of recent dossiers as new ones (fresh codes, submitted now)
and ingests them through the ordinary path, so the indicators follow and the open
scoreboard pages update live. Then customs asks a port's TOS for the port's record through
the X-Road REST gateway; an answered exchange is a clearance confirmation done through the
platform, recorded in the port procedures dataset with its X-Road message id, so the share
of port procedures done digitally follows the traffic too. Everything it adds is
synthetic, like the packs it copies.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import text

from lienthong.catalog.service import get_dataset, table_name
from lienthong.core.auth import Role, local_operator
from lienthong.core.errors import NotFound
from lienthong.core.platform import Platform
from lienthong.core.timeutil import utcnow
from lienthong.demo import port
from lienthong.demo.packs import owners
from lienthong.demo.packs.dossiers import DOSSIERS
from lienthong.demo.packs.port import N_PORTS, port_codes
from lienthong.demo.packs.port_procedures import GATEWAY, PROCEDURES
from lienthong.registry.keys import create_key
from lienthong.registry.members import subsystem_by_ref
from lienthong.registry.models import KeyIn
from lienthong.registry.schema import api_keys
from lienthong.warehouse.ingest import Source, ingest
from lienthong.warehouse.writer import Mode

log = logging.getLogger("lienthong.demo.traffic")


class Traffic:
    """A background thread that ingests `rows` synthetic dossiers every `interval` seconds."""

    def __init__(
        self, platform: Platform, base_url: str, interval: float = 3.0, rows: int = 25
    ) -> None:
        self.platform, self.interval, self.rows = platform, interval, rows
        self.base_url = base_url.rstrip("/")
        self.ticks = 0
        self._customs_key: str | None = None
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
        """One batch of new dossiers and one exchange; returns how many dossiers were added."""
        self.ticks += 1
        records = self._copies()
        actor = local_operator("demo-traffic")
        if records:
            ingest(self.platform, actor, DOSSIERS.name, Source.json_records(records), Mode.INSERT)
        procedure = self._exchange()
        if procedure is not None:
            rows = Source.json_records([procedure])
            ingest(self.platform, actor, PROCEDURES.name, rows, Mode.INSERT)
        return len(records)

    def _exchange(self) -> dict[str, Any] | None:
        """Customs asks a port's TOS for the port's record, through the X-Road REST gateway;
        the answered exchange as a port procedure, or None."""
        inst = self.platform.settings.instance
        if self._customs_key is None:
            self._customs_key = _traffic_key(self.platform)
        if self._customs_key is None:
            return None
        headers = {
            "X-Road-Client": port.client_id(inst),
            "Authorization": f"Bearer {self._customs_key}",
            "X-Road-UserId": "demo-customs-officer",
        }
        code = port_codes()[self.ticks % N_PORTS].as_py()
        url = f"{self.base_url}/r1/{port.service_path(inst)}"
        with httpx.Client(timeout=10) as client:
            reply = client.get(url, headers=headers, params={"ma_cang": code, "limit": 1})
        return procedure_of(reply, self.ticks, port.client_id(inst))

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


def procedure_of(reply: httpx.Response, tick: int, client: str) -> dict[str, Any] | None:
    """The clearance confirmation an answered exchange stands for (None if unanswered).

    >>> body = {"records": [{"ma_cang": "CB007", "ma_xa": "11411"}]}
    >>> reply = httpx.Response(200, json=body, headers={"X-Road-Id": "abc"})
    >>> row = procedure_of(reply, 3, "VN/GOV/G12.31/VNACCS")
    >>> row["ma_cang"], row["ma_xa"], row["kenh"], row["ma_thong_diep_xroad"]
    ('CB007', '11411', 'lien_thong_lgsp', 'abc')
    >>> procedure_of(httpx.Response(403, json={"type": "Client.Forbidden"}), 4, "x") is None
    True
    """
    message = reply.headers.get("X-Road-Id")
    if reply.status_code != 200 or not message:
        return None
    try:
        found = reply.json().get("records") or []
    except ValueError:
        return None
    if not found or not found[0].get("ma_xa"):
        return None
    now = datetime.now(UTC)
    return {
        "ma_thu_tuc_cang": f"LIVE-{now.strftime('%Y%m%d%H%M%S')}-{tick}",
        "ma_luot_tau": None,
        "loai_thu_tuc": "xac_nhan_thong_quan",
        "ma_cang": found[0]["ma_cang"],
        "ma_xa": found[0]["ma_xa"],
        "thoi_diem": now.isoformat(),
        "kenh": GATEWAY,
        "ma_thong_diep_xroad": message,
        "don_vi_yeu_cau": client.split("/", 1)[1].rsplit("/", 1)[0],
    }


def _traffic_key(platform: Platform) -> str | None:
    """A key for customs' subsystem, if the port community is set up."""
    name = "demo key (synthetic traffic)"
    sub = f"{owners.CUSTOMS.ref}/{port.VNACCS}"
    with platform.store.write() as conn:
        try:
            subsystem_by_ref(conn, platform.settings.instance, sub)
        except NotFound:
            return None
        conn.execute(
            api_keys.update()
            .where(api_keys.c.name == name, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        data = KeyIn(name=name, subsystem=sub, roles=[Role.CONSUMER])
        view = create_key(
            conn, platform.audit, local_operator("demo-traffic"), platform.settings.instance, data
        )
    return str(view["token"])


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
