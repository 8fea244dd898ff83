"""The fact cube (``ind_facts``): built in full, or folded forward by an append.

An append (an ``insert`` ingestion) only adds rows after the dataset's
watermark: their counts and sums are added to the cube's cells, read through
the primary key, never by a full scan. Distinct counts do not add up, so the
cells the new rows touch are recounted. Any other change (upsert with
updates, update, replace, delete) rebuilds the cube for that dataset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import ColumnElement, Connection, delete, insert, select
from sqlalchemy.engine import RowMapping

from lienthong.catalog.service import get_dataset, schema_of
from lienthong.core.db import executemany, fetchall, param_mark
from lienthong.core.errors import NotFound
from lienthong.core.timeutil import utcnow
from lienthong.indicators import plan
from lienthong.indicators.engines import Engine, arrow_rows, max_id
from lienthong.indicators.evaluate import CUBE_SCHEMA
from lienthong.indicators.model import DataElement
from lienthong.indicators.schema import ind_facts, ind_state


@dataclass
class Built:
    rows: int = 0
    years: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)  # datasets not (yet) in the catalog
    tables: list[pa.Table] = field(default_factory=list)  # the rows written, when rebuilt
    # an append: the (raw unit, month) cells it added to; None: any cell may have changed
    cells: set[tuple[str, str]] | None = None

    def table(self) -> pa.Table:
        """The cube rows this build wrote (a full build: the whole cube, no need to read it)."""
        return pa.concat_tables(self.tables) if self.tables else CUBE_SCHEMA.empty_table()


def long_rows(wide: pa.Table, elements: Sequence[DataElement]) -> pa.Table:
    """Wide plan output → (element, unit, period, num, den), one row per present cell."""
    parts = []
    for e in elements:
        # no matching row: a count or sum of 0 (a rate of 0%), not a missing value
        num = pc.fill_null(wide[f"{e.code}__num"].cast(pa.float64()), 0.0)
        den = wide[f"{e.code}__den"].cast(pa.float64())
        part = pa.table(
            {
                "element": pa.array([e.code] * wide.num_rows, pa.string()),
                "unit": wide["unit"],
                "period": wide["period"],
                "num": num,
                "den": den,
            }
        )
        parts.append(part)
    return pa.concat_tables(parts) if parts else CUBE_SCHEMA.empty_table()


def _dataset(conn: Connection, name: str) -> RowMapping | None:
    try:
        return get_dataset(conn, name)
    except NotFound:
        return None


def run_scan(
    engine: Engine,
    dataset: RowMapping,
    scan: plan.Scan,
    after_id: int | None = None,
    units: Sequence[str] | None = None,
    elements: Sequence[DataElement] | None = None,
    split: str | None = None,
) -> pa.Table:
    """The cube rows of a scan, for every period kind it needs.

    `split`: a raw unit code; each kind's plan then runs as two, for the units before it
    and from it on, which the engine may run side by side (a group is a unit's, so the
    halves add up to the whole, distinct counts too)."""
    schema = schema_of(dataset)
    plan.check_fields(scan, schema)
    t = engine.table(dataset, schema)
    ranges: list[tuple[str | None, str | None]] = (
        [(None, None)] if split is None else [(None, split), (split, None)]
    )
    exprs, picks = [], []
    for kind in plan.kinds(scan):
        chosen = elements if kind == "month" else scan.distinct
        if chosen is not None and not chosen:
            continue
        chosen = list(chosen) if chosen is not None else None
        exprs += [plan.cube(t, scan, kind, after_id, units, chosen, r) for r in ranges]
        picks.append(
            chosen if chosen is not None else (scan.elements if kind == "month" else scan.distinct)
        )
    results = engine.run_all(exprs)
    parts = [
        long_rows(pa.concat_tables(results[i * len(ranges) : (i + 1) * len(ranges)]), picked)
        for i, picked in enumerate(picks)
    ]
    return pa.concat_tables(parts) if parts else CUBE_SCHEMA.empty_table()


def build(conn: Connection, engine: Engine, scans: Sequence[plan.Scan]) -> Built:
    """Rebuild the whole cube from the datasets; only the cells that differ are written."""
    out = Built()
    old = _stored(conn)
    conn.execute(delete(ind_state))
    for scan in scans:
        dataset = _dataset(conn, scan.dataset)
        if dataset is None:
            out.missing.append(scan.dataset)
            continue
        top = max_id(conn, dataset)
        split = _middle(old, scan) if engine.lanes > 1 else None
        rows = run_scan(engine, dataset, scan, split=split)
        _watermark(conn, scan.dataset, top)
        out.rows += rows.num_rows
        out.tables.append(rows)
    new = out.table()
    cells = dict(
        zip(
            zip(*(new[c].to_pylist() for c in ("element", "unit", "period")), strict=True),
            zip(new["num"].to_pylist(), new["den"].to_pylist(), strict=True),
            strict=True,
        )
    )
    gone = [k for k in old if k not in cells]
    changed = {k: v for k, v in cells.items() if old.get(k) != v}
    _delete_cells(conn, gone)
    _put(conn, [(*k, *v) for k, v in changed.items()], existing="replace")
    out.years = {k[2][:4] for k in old} | {k[2][:4] for k in changed}
    return out


def _middle(old: dict[tuple[str, str, str], Any], scan: plan.Scan) -> str | None:
    """The median raw unit of the scan's cells in the cube as last built (None: too few):
    where to split its plans in two of about the same size."""
    codes = {e.code for e in scan.elements}
    units = sorted({u for e, u, _ in old if e in codes})
    return units[len(units) // 2] if len(units) > 1 else None


def _stored(conn: Connection) -> dict[tuple[str, str, str], tuple[float, float | None]]:
    rows = fetchall(conn, "SELECT element, unit, period, num, den FROM ind_facts")
    return {(r[0], r[1], r[2]): (r[3], r[4]) for r in rows}


_CELL = "element = {m} AND unit = {m} AND period = {m}"
_COLUMNS = ("element", "unit", "period", "num", "den")
# what a cell already there becomes (_put): the new numerator and denominator, or their sum
_ON_CONFLICT = {
    "replace": "num = excluded.num, den = excluded.den",
    "add": "num = ind_facts.num + excluded.num, den = ind_facts.den + excluded.den",
}


def _put(conn: Connection, rows: pa.Table | Sequence[Sequence[object]], existing: str = "") -> None:
    """Write cube cells (a table, or (element, unit, period, num, den) tuples). `existing`:
    "" (no cell is there yet), "replace" or "add" (see `_ON_CONFLICT`)."""
    if isinstance(rows, pa.Table):
        rows = list(zip(*(rows[c].to_pylist() for c in _COLUMNS), strict=True))
    mark = param_mark(conn)
    sql = f"INSERT INTO ind_facts ({', '.join(_COLUMNS)}) VALUES ({', '.join([mark] * 5)})"  # noqa: S608
    if existing:
        sql += f" ON CONFLICT (element, unit, period) DO UPDATE SET {_ON_CONFLICT[existing]}"
    executemany(conn, sql, rows)


def _delete_cells(conn: Connection, keys: Sequence[tuple[str, str, str]]) -> None:
    mark = param_mark(conn)
    executemany(conn, f"DELETE FROM ind_facts WHERE {_CELL.format(m=mark)}", keys)  # noqa: S608


def rebuild(conn: Connection, engine: Engine, scan: plan.Scan) -> Built:
    """Recompute the cube rows of one scan from all its dataset's rows."""
    codes = [e.code for e in scan.elements]
    old = _years(conn, codes)
    conn.execute(delete(ind_facts).where(ind_facts.c.element.in_(codes)))
    dataset = _dataset(conn, scan.dataset)
    if dataset is None:
        return Built(0, old, [scan.dataset])
    top = max_id(conn, dataset)
    rows = run_scan(engine, dataset, scan)
    _put(conn, rows)
    _watermark(conn, scan.dataset, top)
    return Built(rows.num_rows, old | _years_of(rows), tables=[rows])


def fold(conn: Connection, engine: Engine, scan: plan.Scan, seen: int) -> Built:
    """Add the rows after `seen` to the cube; recount the distinct cells they touch."""
    dataset = _dataset(conn, scan.dataset)
    if dataset is None:
        return rebuild(conn, engine, scan)
    top = max_id(conn, dataset)
    if top <= seen:
        return Built(cells=set())
    delta = run_scan(engine, dataset, scan, after_id=seen, elements=scan.additive)
    _put(conn, delta, existing="add")
    years = _years_of(delta)
    if scan.distinct:
        touched = engine.run(plan.touched(engine.table(dataset, schema_of(dataset)), scan, seen))
        units = sorted(set(touched["unit"].to_pylist()))
        recount = run_scan(engine, dataset, scan, units=units, elements=scan.distinct)
        codes = [e.code for e in scan.distinct]
        conn.execute(
            delete(ind_facts).where(ind_facts.c.element.in_(codes), ind_facts.c.unit.in_(units))
        )
        _put(conn, recount)
        years |= _years_of(recount)
    _watermark(conn, scan.dataset, top)
    cells = None if scan.distinct else set(zip(*_columns(delta, "unit", "period"), strict=True))
    return Built(delta.num_rows, years, cells=cells)


def _columns(rows: pa.Table, *names: str) -> list[list[Any]]:
    return [rows[n].to_pylist() for n in names]


def seen_id(conn: Connection, dataset: str) -> int | None:
    row = conn.execute(select(ind_state.c.seen_id).where(ind_state.c.dataset == dataset)).first()
    return None if row is None else int(row.seen_id)


def _watermark(conn: Connection, dataset: str, top: int) -> None:
    conn.execute(delete(ind_state).where(ind_state.c.dataset == dataset))
    conn.execute(insert(ind_state).values(dataset=dataset, seen_id=top, computed_at=utcnow()))


def _years_of(rows: pa.Table) -> set[str]:
    return {p[:4] for p in pc.unique(rows["period"]).to_pylist()}


def _years(conn: Connection, codes: Sequence[str]) -> set[str]:
    stmt = select(ind_facts.c.period).where(ind_facts.c.element.in_(codes)).distinct()
    return {str(p)[:4] for p in conn.execute(stmt).scalars()}


def read(conn: Connection, years: Sequence[str] | None = None) -> pa.Table:
    """The cube's rows, all or those of some years (through the driver: tens of thousands of
    rows, where SQLAlchemy's per-row processing would cost more than the query)."""
    sql = "SELECT element, unit, period, num, den FROM ind_facts"
    params: tuple[str, ...] = ()
    if years:
        mark = param_mark(conn)
        sql += f" WHERE period >= {mark} AND period < {mark}"
        params = (min(years), str(int(max(years)) + 1))
    return arrow_rows(fetchall(conn, sql, params), CUBE_SCHEMA)


def period_range(column: ColumnElement[str], years: Sequence[str]) -> list[ColumnElement[bool]]:
    """Periods of the years from the first to the last given: codes sort by year first."""
    lo, hi = min(years), str(int(max(years)) + 1)
    return [column >= lo, column < hi]
