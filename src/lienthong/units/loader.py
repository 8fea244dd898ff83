"""Loading the source into our tables: idempotent, in one transaction, audited.

The load compares the source with what is stored and writes only the difference, so a
second run writes nothing, and a new version of the source changes only what it changed.

    >>> from lienthong.units import loader
    >>> report = loader.load_platform(platform)  # doctest: +SKIP
    >>> report.counts["2025.level3"], report.changed  # doctest: +SKIP
    (3321, True)
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, delete, insert, select, update

from lienthong.core.platform import AuditSink, Platform
from lienthong.core.timeutil import utcnow
from lienthong.units import names, source
from lienthong.units.schema import unit_loads, unit_names, unit_successors, units

ACTOR = "system:units-load"
_UNIT_COLS = [c.name for c in units.columns]
_UNIT_KEY = ("hierarchy", "code")


@dataclass(frozen=True)
class LoadReport:
    """What a load found in the source and what it changed."""

    source: str
    version: str
    license: str
    counts: dict[str, int]
    inserted: int
    updated: int
    deleted: int
    seconds: float

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)


def load(
    conn: Connection,
    audit: AuditSink,
    actor: str = ACTOR,
    snapshot: source.Snapshot | None = None,
) -> LoadReport:
    """Bring the units tables in line with the source, inside the caller's transaction."""
    started = time.perf_counter()
    snap = snapshot or source.read()
    unit_rows, name_rows = _rows(snap.units)
    successor_rows = [
        tuple(getattr(s, c.name) for c in unit_successors.columns) for s in snap.successors
    ]
    changes = [
        _sync_units(conn, unit_rows),
        _sync_set(conn, unit_names, name_rows),
        _sync_set(conn, unit_successors, successor_rows),
    ]
    inserted, updated, deleted = (sum(c[i] for c in changes) for i in range(3))
    report = LoadReport(
        snap.package, snap.version, snap.license, _counts(snap), inserted, updated, deleted,
        round(time.perf_counter() - started, 3),
    )  # fmt: skip
    if report.changed:
        _record(conn, audit, actor, report, [unit_rows, successor_rows])
    return report


def load_platform(platform: Platform, actor: str = ACTOR) -> LoadReport:
    """Load in a transaction of its own: what `lienthong units load` and tests call."""
    snap = source.read()  # outside the write transaction: it holds the write lock
    with platform.store.write() as conn:
        return load(conn, platform.audit, actor, snap)


Row = tuple[Any, ...]


def _rows(records: list[source.UnitRecord]) -> tuple[list[Row], list[Row]]:
    """Unit rows and name rows, in their tables' column order."""
    unit_rows: list[Row] = []
    name_rows: list[Row] = []
    for u in records:
        pairs = names.keys(u.name, u.short_name, u.type_vi, u.aliases)
        values = vars(u) | {"search_key": names.search_key(pairs)}
        unit_rows.append(tuple(values[c] for c in _UNIT_COLS))
        name_rows.extend((k, u.hierarchy, u.code, quality) for k, quality in pairs)
    return unit_rows, name_rows


def _counts(snap: source.Snapshot) -> dict[str, int]:
    counts: dict[str, int] = {}
    for u in snap.units:
        for k in (f"{u.hierarchy}.level{u.level}", f"{u.hierarchy}.{u.kind}"):
            counts[k] = counts.get(k, 0) + 1
    split = {s.legacy_code for s in snap.successors if s.partial and len(s.legacy_code) == 5}
    counts["mapping.legacy_communes"] = len(
        {s.legacy_code for s in snap.successors} & _communes(snap)
    )
    counts["mapping.split_communes"] = len(split)
    return dict(sorted(counts.items()))


def _communes(snap: source.Snapshot) -> set[str]:
    return {u.code for u in snap.units if u.hierarchy == "legacy" and u.level == 3}


def _sync_units(conn: Connection, rows: list[Row]) -> tuple[int, int, int]:
    """Insert new units, update changed ones, delete those the source dropped."""
    key = [_UNIT_COLS.index(c) for c in _UNIT_KEY]
    stored = {tuple(r[i] for i in key): tuple(r) for r in conn.execute(select(*units.c))}
    wanted = {tuple(r[i] for i in key): r for r in rows}
    added = [r for k, r in wanted.items() if k not in stored]
    changed = [r for k, r in wanted.items() if k in stored and stored[k] != r]
    gone = [stored[k] for k in stored if k not in wanted]
    _insert(conn, units, added)
    if changed:
        # bound names must differ from the SET columns' names
        values: dict[str, Any] = {c: bindparam(c) for c in _UNIT_COLS if c not in _UNIT_KEY}
        stmt = update(units).where(_by_key(units, _UNIT_KEY)).values(values)
        conn.execute(stmt, [_named(r, _UNIT_COLS) | _keyed(r, units, _UNIT_KEY) for r in changed])
    if gone:
        removal = delete(units).where(_by_key(units, _UNIT_KEY))
        conn.execute(removal, [_keyed(r, units, _UNIT_KEY) for r in gone])
    return len(added), len(changed), len(gone)


def _by_key(table: Table, cols: Sequence[str]) -> Any:
    return and_(*(table.c[c] == bindparam("k_" + c) for c in cols))


def _named(row: Row, cols: Sequence[str]) -> dict[str, Any]:
    return dict(zip(cols, row, strict=True))


def _keyed(row: Row, table: Table, cols: Sequence[str]) -> dict[str, Any]:
    names_ = [c.name for c in table.columns]
    return {"k_" + c: row[names_.index(c)] for c in cols}


def _sync_set(conn: Connection, table: Table, rows: list[Row]) -> tuple[int, int, int]:
    """For tables whose rows are whole facts: delete the ones gone, insert the new ones."""
    stored = {tuple(r) for r in conn.execute(select(*table.c))}
    wanted = set(rows)
    gone = stored - wanted
    if gone:
        pk = [c.name for c in table.primary_key.columns]
        conn.execute(delete(table).where(_by_key(table, pk)), [_keyed(r, table, pk) for r in gone])
    added = wanted - stored
    _insert(conn, table, added)
    return len(added), 0, len(gone)


def _insert(conn: Connection, table: Table, rows: Iterable[Row]) -> None:
    cols = [c.name for c in table.columns]
    batch = [_named(r, cols) for r in rows]
    if batch:
        conn.execute(insert(table), batch)


def _record(
    conn: Connection, audit: AuditSink, actor: str, report: LoadReport, content: list[Any]
) -> None:
    text = json.dumps(content, sort_keys=True, default=str)
    summary = asdict(report)
    conn.execute(
        insert(unit_loads).values(
            loaded_at=utcnow(),
            source=report.source,
            version=report.version,
            license=report.license,
            digest=hashlib.sha256(text.encode()).hexdigest(),
            summary=json.dumps(summary, ensure_ascii=False),
        )
    )
    details = {k: summary[k] for k in ("source", "version", "inserted", "updated", "deleted")}
    audit.record(conn, actor, "units.load", "units", details)
