"""Reading records: filters, diacritic-free search, sort, field selection, keyset pages, totals.

Everything a caller names (fields, operators, sort keys) is checked against
the dataset's schema before any SQL is built, and values are bound, never
spliced: there is no raw SQL to inject into.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa
from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Select,
    and_,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.sql.elements import TextClause

from lienthong.catalog.tableschema import SchemaField, TableSchema
from lienthong.core import vntext
from lienthong.core.errors import Forbidden, ValidationFailed
from lienthong.warehouse import prepared, tables
from lienthong.warehouse.convert import CONVERTERS, canonical

OPERATORS = ("eq", "in", "gt", "gte", "lt", "lte", "prefix", "null")
JSON_TYPES = ("object", "array", "geojson")
# types stored as text: compared as text, and the only ones a prefix applies to
TEXT_TYPES = ("string", "any", "time", *JSON_TYPES)
NULL_FLAGS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
COUNT_CAP = 100_000
MAX_IN = 1000
TOKEN = re.compile(r"[0-9a-zđ]+")


@dataclass(frozen=True)
class Filter:
    field: str
    op: str
    values: tuple[Any, ...]


@dataclass
class Query:
    filters: list[Filter] = field(default_factory=list)
    q: str | None = None
    fields: list[str] | None = None
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    limit: int = 100
    offset: int = 0
    after: str | None = None
    total: str = "estimate"  # exact | estimate | none


def typed(f: SchemaField, raw: Any) -> Any:
    """One filter value in the field's type, or ValidationFailed naming it."""
    if raw is None:
        return None
    if "\x00" in str(raw):
        raise ValidationFailed(f"filter on `{f.name}`: a value may not hold a NUL character")
    if f.type in TEXT_TYPES:
        return str(raw)
    text_value = str(raw).strip() if not isinstance(raw, bool) else str(raw).lower()
    conv = CONVERTERS[f.type](pa.array([text_value], pa.string()), canonical(f))
    if conv.invalid[0].as_py() or not conv.values[0].is_valid:
        raise ValidationFailed(
            f"filter on `{f.name}`: '{str(raw)[:100]}' {conv.reason}",
            errors={f.name: [conv.reason]},
        )
    return conv.values[0].as_py()


def parse_filter(schema: TableSchema, key: str, raw: Any) -> Filter:
    """`name`, `name__in`, `name__gte`… with the value(s) typed for the field."""
    name, _, op = key.partition("__")
    op = op or "eq"
    if name not in schema.names:
        raise ValidationFailed(
            f"unknown field `{name[:63]}` in filter", errors={name[:63]: ["not in the schema"]}
        )
    if op not in OPERATORS:
        raise ValidationFailed(f"unknown filter operator `{op[:20]}`: use {', '.join(OPERATORS)}")
    f = schema.field(name)
    if op == "null":
        flag = str(raw).lower()
        if flag not in NULL_FLAGS:
            raise ValidationFailed(f"filter `{name}__null` takes true or false, not '{flag[:20]}'")
        return Filter(name, op, (NULL_FLAGS[flag],))
    if op == "prefix":
        if f.type not in TEXT_TYPES:
            raise ValidationFailed(f"`{name}__prefix` needs a text field; `{name}` is {f.type}")
        return Filter(name, op, (typed(f, raw),))
    raw_values = raw if isinstance(raw, list) else ([raw] if op != "in" else str(raw).split(","))
    if op == "in" and not isinstance(raw, list):
        raw_values = str(raw).split(",")
    if len(raw_values) > MAX_IN:
        raise ValidationFailed(f"filter on `{name}` lists more than {MAX_IN} values")
    if not raw_values:
        if op not in ("eq", "in"):
            raise ValidationFailed(
                f"filter `{key[:63]}` needs a value", errors={name: ["no value given"]}
            )
        op = "in"  # any of no values: matches nothing
    op = "in" if len(raw_values) > 1 and op == "eq" else op
    return Filter(name, op, tuple(typed(f, v) for v in raw_values))


def parse_sort(schema: TableSchema, spec: str | None) -> list[tuple[str, bool]]:
    """`-ngay_nop,ma` or CKAN's `ngay_nop desc, ma`."""
    out: list[tuple[str, bool]] = []
    for part in (spec or "").split(","):
        part = part.strip()
        if not part:
            continue
        words = part.split()
        name, desc = words[0], False
        if name.startswith("-"):
            name, desc = name[1:], True
        if len(words) > 1:
            if len(words) > 2 or words[1].lower() not in ("asc", "desc"):
                raise ValidationFailed(
                    f"cannot sort by '{part[:100]}': write `field` or `field desc`"
                )
            desc = words[1].lower() == "desc"
        if name != "_id" and name not in schema.names:
            raise ValidationFailed(f"cannot sort by unknown field `{name[:63]}`")
        out.append((name, desc))
    return out


def parse_fields(schema: TableSchema, spec: str | list[str] | None) -> list[str] | None:
    if not spec:
        return None
    names = spec if isinstance(spec, list) else [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [n for n in names if n not in schema.names and n != "_id"]
    if unknown:
        raise ValidationFailed(f"unknown fields: {', '.join(n[:63] for n in unknown[:10])}")
    return [n for n in names if n != "_id"]


def condition(col: Column[Any], flt: Filter) -> Any:
    """The SQL condition of one filter (a boolean column expression)."""
    v = flt.values
    match flt.op:
        case "eq":
            return col.is_(None) if v[0] is None else col == v[0]
        case "in":
            return col.in_(list(v))
        case "gt":
            return col > _bound(col, v[0])
        case "gte":
            return col >= _bound(col, v[0])
        case "lt":
            return col < _bound(col, v[0])
        case "lte":
            return col <= _bound(col, v[0])
        case "prefix":
            return col.startswith(str(v[0]), autoescape=True)
        case _:
            return col.is_(None) if v[0] else col.is_not(None)


def _bound(col: Column[Any], value: Any) -> Any:
    # a bound parameter: SQLAlchemy refuses `col < True` with a bare boolean
    return literal(value, col.type)


def search_condition(
    conn: Connection, name: str, schema: TableSchema, q: str
) -> ColumnElement[bool] | TextClause:
    """Full-text search that ignores diacritics: "hai phong" finds "Hải Phòng"."""
    fields = tables.searchable(schema)
    if not fields:
        raise ValidationFailed(
            "this dataset has no searchable text fields (personal fields are never searched)"
        )
    words = TOKEN.findall(vntext.fold(q)[:500])[:20]
    if not words:
        return true()
    if conn.dialect.name == "sqlite":
        match = " AND ".join(_fts_word(w) for w in words)
        return literal_column("_id").in_(
            text(f"SELECT rowid FROM {name}_fts WHERE {name}_fts MATCH :m").bindparams(m=match)
        )
    return literal_column("_id").in_(
        text(
            f"SELECT _id FROM {name}_fts WHERE doc @@ plainto_tsquery('simple'::regconfig, :q)"
        ).bindparams(q=" ".join(words))
    )


def _fts_word(word: str) -> str:
    """SQLite's index keeps đ (it is a letter, not a mark): try d and đ in each place."""
    spots = [i for i, c in enumerate(word) if c == "d"][:4]
    variants = {word}
    for i in spots:
        variants |= {v[:i] + "đ" + v[i + 1 :] for v in variants}
    return "(" + " OR ".join(f'"{v}"' for v in sorted(variants)) + ")"


@dataclass
class Page:
    records: list[dict[str, Any]]
    fields: list[str]
    total: int | None
    total_was_estimated: bool
    next_after: str | None


def _order(cols: dict[str, Column[Any]], sort: list[tuple[str, bool]]) -> list[Any]:
    out: list[Any] = []
    for name, desc in sort:
        col = cols[name]
        # NULLs last going up, first going down, the same on SQLite and PostgreSQL
        out += [col.is_(None).desc(), col.desc()] if desc else [col.is_(None), col.asc()]
    return out


def _after(
    cols: dict[str, Column[Any]], sort: list[tuple[str, bool]], cursor: list[Any]
) -> ColumnElement[bool]:
    """Rows that come after `cursor` in the order `sort` (+ _id)."""
    ors: list[ColumnElement[bool]] = []
    equal: list[ColumnElement[bool]] = []
    for (name, desc), value in zip([*sort, ("_id", False)], cursor, strict=True):
        col = cols[name]
        if value is None:
            gt: ColumnElement[bool] = col.is_not(None) if desc else false()
            eq: ColumnElement[bool] = col.is_(None)
        else:
            bound = _bound(col, value)
            gt = col < bound if desc else or_(col > bound, col.is_(None))
            eq = col == bound
        ors.append(and_(*equal, gt))
        equal.append(eq)
    return or_(*ors)


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, date | datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str, schema: TableSchema, sort: list[tuple[str, bool]]) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except ValueError:
        raise ValidationFailed("the `after` cursor is not one this API issued") from None
    if not isinstance(values, list) or len(values) != len(sort) + 1:
        raise ValidationFailed("the `after` cursor does not fit this sort order")
    out = [
        _cursor_id(v) if n == "_id" else typed(schema.field(n), v) if v is not None else None
        for (n, _), v in zip(sort, values, strict=False)
    ]
    return [*out, _cursor_id(values[-1])]


def _cursor_id(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
        raise ValidationFailed("the `after` cursor is not one this API issued")
    return value


def run(
    conn: Connection,
    name: str,
    schema: TableSchema,
    query: Query,
    visible: list[str],
    blocked: frozenset[str] = frozenset(),
    version: object = None,
) -> Page:
    """One page of records.

    `blocked`: masked fields, which may not be filtered or sorted on; `version`: what
    identifies the table's current contents, so counts can be reused until it changes.
    """
    probing = [f.field for f in query.filters if f.field in blocked] + [
        s for s, _ in query.sort if s in blocked
    ]
    if probing:
        raise Forbidden(f"cannot filter or sort on masked personal field `{probing[0]}`")
    table = tables.query_table(name, schema)
    cols = {c.name: c for c in table.columns}
    # sort keys not asked for are read too: the next page's cursor holds them
    shown = ["_id", *visible]
    unshown = list(dict.fromkeys(n for n, _ in query.sort if n not in shown))
    names = [*shown, *unshown]
    ready = prepared.prepare(table, query, names, lambda: [*_order(cols, query.sort), cols["_id"]])
    if ready is not None:
        params = ready.params
        result = conn.execute(ready.page, params)
        matching: Select[Any] = ready.matching
    else:
        params = {}
        where = [condition(cols[f.field], f) for f in query.filters]
        if query.q:
            where.append(search_condition(conn, name, schema, query.q))
        base: Select[Any] = select(*(cols[n] for n in names)).where(*where)
        stmt = base.order_by(*_order(cols, query.sort), cols["_id"])
        if query.after:
            cursor = decode_cursor(query.after, schema, query.sort)
            stmt = stmt.where(_after(cols, query.sort, cursor))
        elif query.offset:
            stmt = stmt.offset(query.offset)
        result = conn.execute(stmt.limit(query.limit + 1))
        matching = select(literal_column("1")).select_from(table).where(*where)
    # plain str keys (SQLAlchemy's are a subclass); a Result, not a dict: keys() is needed
    keys = [str(k) for k in result.keys()]  # noqa: SIM118
    rows = [dict(zip(keys, r, strict=True)) for r in result.all()]
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    nxt = None
    if more and rows:
        last = rows[-1]
        nxt = encode_cursor([last[n] for n, _ in query.sort] + [last["_id"]])
    _as_json_types(rows, schema, unshown)
    filters = tuple((f.field, f.op, f.values) for f in query.filters)
    key = None if version is None else (name, filters, query.q, query.total, version)
    total, estimated = _total(conn, matching, params, query.total, key)
    return Page(rows, shown, total, estimated, nxt)


def _as_json_types(rows: list[dict[str, Any]], schema: TableSchema, unshown: list[str]) -> None:
    """Values as the API gives them, the same on every database: objects and arrays as
    JSON, datetimes in UTC (SQLite hands them back without a zone)."""
    kinds = {
        f.name: f.type
        for f in schema.fields
        if f.type in ("datetime", *JSON_TYPES) and f.name not in unshown
    }
    for r in rows:
        for n in unshown:
            del r[n]
        for n, t in kinds.items():
            v = r.get(n)
            if v is None:
                continue
            if t != "datetime":
                r[n] = json.loads(v)
            elif v.tzinfo is None:
                r[n] = v.replace(tzinfo=UTC)


# counts by (statement, parameters, data version): a count is reused until the data changes
_COUNTS: dict[tuple[Any, ...], tuple[int, bool]] = {}


def _total(
    conn: Connection,
    matching: Select[Any],
    params: dict[str, Any],
    how: str,
    key: tuple[Any, ...] | None,
) -> tuple[int | None, bool]:
    if how == "none":
        return None, False
    if key is None:
        return _count(conn, matching, params, how)
    hit = _COUNTS.get(key)
    if hit is None:
        if len(_COUNTS) > 10_000:
            _COUNTS.clear()
        hit = _COUNTS[key] = _count(conn, matching, params, how)
    return hit


def _count(
    conn: Connection, inner: Select[Any], params: dict[str, Any], how: str
) -> tuple[int, bool]:
    if how == "exact":
        stmt = select(func.count()).select_from(inner.subquery())
        return int(conn.execute(stmt, params).scalar_one()), False
    stmt = select(func.count()).select_from(inner.limit(COUNT_CAP + 1).subquery())
    capped = int(conn.execute(stmt, params).scalar_one())
    return min(capped, COUNT_CAP), capped > COUNT_CAP
