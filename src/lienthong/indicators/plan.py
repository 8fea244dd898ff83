"""Computed data elements → Ibis expressions: one pass over a dataset per scan.

Elements that read the same dataset with the same unit and date fields are
computed together, each with its own filter as a conditional aggregate, so a
framework costs one scan per dataset, not one per element. The expression is
engine-neutral: compiled to SQL for SQLite and PostgreSQL, run by PySpark
over Parquet snapshots.

Output columns: ``unit``, ``period`` (``2025-11``; ``2025-Q4`` and ``2025``
for distinct counts, which do not add up over time), then ``<CODE>__num``
and ``<CODE>__den`` per element.

>>> import ibis
>>> from lienthong.indicators.model import DataElement
>>> e = DataElement("N", "n", "computed", "f", dataset="d", unit_field="xa", date_field="ngay")
>>> t = ibis.table({"_id": "int64", "xa": "string", "ngay": "date"}, name="ds_1")
>>> [c for c in cube(t, Scan.of([e]), "month").columns]
['unit', 'period', 'N__num', 'N__den']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from lienthong.catalog.tableschema import TableSchema
from lienthong.core.errors import ValidationFailed
from lienthong.indicators.model import Condition, DataElement

IBIS_TYPES = {
    "string": "string",
    "integer": "int64",
    "number": "float64",
    "boolean": "boolean",
    "date": "date",
    "datetime": "timestamp",
    "year": "int64",
}


@dataclass(frozen=True)
class Scan:
    """Elements computed in one pass: same dataset, unit field and date field."""

    dataset: str
    unit_field: str
    date_field: str
    elements: tuple[DataElement, ...]

    @classmethod
    def of(cls, elements: Sequence[DataElement]) -> Scan:
        dataset, unit_field, date_field = elements[0].scan_key()
        return cls(dataset, unit_field, date_field, tuple(elements))

    @property
    def additive(self) -> tuple[DataElement, ...]:
        return tuple(e for e in self.elements if e.additive)

    @property
    def distinct(self) -> tuple[DataElement, ...]:
        return tuple(e for e in self.elements if not e.additive)


def scans(elements: Iterable[DataElement]) -> list[Scan]:
    """Group computed elements into scans, in a stable order."""
    groups: dict[tuple[str, str, str], list[DataElement]] = {}
    for e in sorted(elements, key=lambda e: e.code):
        if e.computed:
            groups.setdefault(e.scan_key(), []).append(e)
    return [Scan.of(v) for _, v in sorted(groups.items())]


def ibis_schema(schema: TableSchema) -> dict[str, str]:
    """The dataset table's columns as Ibis types (`_id` first, as stored)."""
    cols = {"_id": "int64"}
    cols |= {f.name: IBIS_TYPES.get(f.type, "string") for f in schema.fields}
    return cols


def check_fields(scan: Scan, schema: TableSchema) -> None:
    """Refuse elements that name fields the dataset does not have."""
    have = {f.name: f.type for f in schema.fields}
    for e in scan.elements:
        wanted = [scan.unit_field, scan.date_field, *(c.field for c in e.filter)]
        wanted += [e.field] if e.field else []
        missing = sorted({w for w in wanted if w not in have})
        if missing:
            msg = (
                f"data element {e.code}: dataset '{scan.dataset}' has no field {', '.join(missing)}"
            )
            raise ValidationFailed(msg, errors={e.code: [msg]})
        if have[scan.date_field] not in ("date", "datetime"):
            msg = f"data element {e.code}: '{scan.date_field}' is not a date or datetime field"
            raise ValidationFailed(msg, errors={e.code: [msg]})


def period_of(t: ir.Table, date_field: str, kind: str) -> ir.StringValue:
    """The period code of each row, as text: ``2025-11``, ``2025-Q4`` or ``2025``."""
    d = t[date_field]
    if kind == "month":
        return d.strftime("%Y-%m")
    year = d.strftime("%Y")
    if kind == "year":
        return year
    quarter = ((d.month() + 2) // 3).cast("int64").cast("string")
    return year + "-Q" + quarter


def condition(t: ir.Table, c: Condition) -> ir.BooleanValue:
    col = t[c.field]
    value = list(c.value) if isinstance(c.value, tuple) else c.value
    ops: dict[str, Any] = {
        "eq": lambda: col == value,
        "ne": lambda: col != value,
        "in": lambda: col.isin(value),
        "not_in": lambda: col.notin(value),
        "gt": lambda: col > value,
        "ge": lambda: col >= value,
        "lt": lambda: col < value,
        "le": lambda: col <= value,
        "is_null": lambda: col.isnull(),
        "not_null": lambda: col.notnull(),
    }
    result: ir.BooleanValue = ops[c.op]()
    return result


def _where(t: ir.Table, e: DataElement) -> ir.BooleanValue | None:
    clauses = [condition(t, c) for c in e.filter]
    if not clauses:
        return None
    out = clauses[0]
    for c in clauses[1:]:
        out = out & c
    return out


def _metrics(t: ir.Table, e: DataElement) -> dict[str, ir.Scalar]:
    where = _where(t, e)
    num, den = f"{e.code}__num", f"{e.code}__den"
    null = ibis.null().cast("float64")
    if e.measure == "count":
        return {num: t.count(where=where).cast("float64"), den: null}
    field = t[e.field or ""]
    if e.measure == "sum":
        return {num: field.sum(where=where).cast("float64"), den: null}
    if e.measure == "avg":  # kept as sum and count, so that it rolls up exactly
        count = field.count(where=where).cast("float64")
        return {num: field.sum(where=where).cast("float64"), den: count}
    return {num: field.nunique(where=where).cast("float64"), den: null}


def cube(
    t: ir.Table,
    scan: Scan,
    kind: str,
    after_id: int | None = None,
    units: Sequence[str] | None = None,
    elements: Sequence[DataElement] | None = None,
    between: tuple[str | None, str | None] = (None, None),
) -> ir.Table:
    """Per (unit, period of `kind`): each element's numerator and denominator.

    By default every element per month, and distinct counts per quarter and year too.
    `after_id` keeps only rows added after that `_id` (an append); `units`
    keeps only rows of those raw unit codes (a recomputation of some cells); `between`
    only those of raw unit codes from the first (included) to the second (excluded).
    """
    if elements is None:
        elements = scan.elements if kind == "month" else scan.distinct
    if after_id is not None:
        t = t.filter(t["_id"] > after_id)
    if units is not None:
        t = t.filter(t[scan.unit_field].cast("string").isin(list(units)))
    low, high = between
    if low is not None:
        t = t.filter(t[scan.unit_field].cast("string") >= low)
    if high is not None:
        t = t.filter(t[scan.unit_field].cast("string") < high)
    t = t.filter(t[scan.date_field].notnull(), t[scan.unit_field].notnull())
    # only the columns the elements read: a narrower row is a faster scan
    used = sorted(
        {c.field for e in elements for c in e.filter} | {e.field for e in elements if e.field}
    )
    keyed = t.select(
        *used, unit=t[scan.unit_field].cast("string"), period=period_of(t, scan.date_field, kind)
    )
    metrics: dict[str, ir.Scalar] = {}
    for e in elements:
        metrics |= _metrics(keyed, e)
    return keyed.group_by(["unit", "period"]).aggregate(**metrics).order_by(["unit", "period"])


def kinds(scan: Scan) -> list[str]:
    """The period kinds a scan is computed at: months, and quarters and years for distinct."""
    return ["month"] + (["quarter", "year"] if scan.distinct else [])


def touched(t: ir.Table, scan: Scan, after_id: int) -> ir.Table:
    """The (unit, month) cells that rows after `after_id` fall in, and the last `_id`."""
    t = t.filter(t["_id"] > after_id)
    keyed = t.mutate(
        unit=t[scan.unit_field].cast("string"), period=period_of(t, scan.date_field, "month")
    )
    return keyed.group_by(["unit", "period"]).aggregate(top=keyed["_id"].max())
