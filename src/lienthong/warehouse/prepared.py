"""Prepared page statements: one statement per query shape, its values bound at each call.

Building a SQLAlchemy statement and deriving its cache key costs more than running it on an
indexed SQLite table. Pages of one shape (the table, the fields read, each filter's field,
operator and number of values, the sort, whether there is an offset) share one statement
object; only the parameters change. Searches, cursors and prefix filters are built afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Column, Select, Table, bindparam, literal_column, select

if TYPE_CHECKING:  # query imports this module
    from lienthong.warehouse.query import Filter, Query

CACHEABLE = ("eq", "in", "gt", "gte", "lt", "lte", "null")
MAX_PLANS = 2048


@dataclass(frozen=True)
class Prepared:
    page: Select[Any]  # takes :_limit, and :_offset when the shape has one
    matching: Select[Any]  # the matching rows, for counts
    params: dict[str, Any]


@dataclass(frozen=True)
class _Plan:
    page: Select[Any]
    matching: Select[Any]


_PLANS: dict[tuple[Any, ...], _Plan] = {}


def _shape(flt: Filter) -> tuple[Any, ...]:
    if flt.op == "null":
        return (flt.field, flt.op, bool(flt.values[0]))
    if flt.op == "eq":
        return (flt.field, flt.op, flt.values[0] is None)
    return (flt.field, flt.op, len(flt.values) if flt.op == "in" else 1)


def _condition(col: Column[Any], flt: Filter, key: str) -> Any:
    v = flt.values
    match flt.op:
        case "eq":
            return col.is_(None) if v[0] is None else col == bindparam(key, type_=col.type)
        case "in":
            return col.in_(bindparam(key, expanding=True, type_=col.type))
        case "gt":
            return col > bindparam(key, type_=col.type)
        case "gte":
            return col >= bindparam(key, type_=col.type)
        case "lt":
            return col < bindparam(key, type_=col.type)
        case "lte":
            return col <= bindparam(key, type_=col.type)
        case _:
            return col.is_(None) if v[0] else col.is_not(None)


def _value(flt: Filter) -> Any:
    return list(flt.values) if flt.op == "in" else flt.values[0]


def prepare(
    table: Table, query: Query, names: Sequence[str], order: Callable[[], list[Any]]
) -> Prepared | None:
    """The page statement and its parameters, or None when this query is built afresh."""
    if query.q or query.after or any(f.op not in CACHEABLE for f in query.filters):
        return None
    shape = (
        table,
        tuple(names),
        tuple(_shape(f) for f in query.filters),
        tuple(query.sort),
        bool(query.offset),
    )
    plan = _PLANS.get(shape)
    if plan is None:
        cols = table.c
        where = [_condition(cols[f.field], f, f"_f{i}") for i, f in enumerate(query.filters)]
        page = select(*(cols[n] for n in names)).where(*where).order_by(*order())
        if query.offset:
            page = page.offset(bindparam("_offset", type_=BigInteger))
        page = page.limit(bindparam("_limit", type_=BigInteger))
        matching: Select[Any] = select(literal_column("1")).select_from(table).where(*where)
        if len(_PLANS) > MAX_PLANS:
            _PLANS.clear()
        plan = _PLANS[shape] = _Plan(page, matching)
    params: dict[str, Any] = {
        f"_f{i}": _value(f)
        for i, f in enumerate(query.filters)
        if f.op not in ("null",) and not (f.op == "eq" and f.values[0] is None)
    }
    params["_limit"] = query.limit + 1
    if query.offset:
        params["_offset"] = query.offset
    return Prepared(plan.page, plan.matching, params)
