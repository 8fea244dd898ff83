"""A DHIS2-like analytics query: ``dx`` (what), ``pe`` (when), ``ou`` (where).

Items are separated by ``;``. Periods are codes (``2025-Q4``) or relative
(``LAST_4_QUARTERS``); units are codes, and ``LEVEL-n`` with them means the
units of level n inside them (1 province, 3 commune), alone every unit of
that level. Each row carries the numerator and denominator.

>>> parse_list("A;B; A")
['A', 'B']
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from lienthong.core.errors import ValidationFailed
from lienthong.indicators.model import Registry
from lienthong.indicators.schema import ind_values
from lienthong.units import periods, service

HEADERS = ("dx", "ou", "pe", "source", "value", "numerator", "denominator", "estimated")
MAX_ITEMS = 5000
CHUNK = 900  # codes per IN list: SQLite's default limit on bound parameters is 999


@dataclass(frozen=True)
class Query:
    dx: list[str]
    pe: list[str]
    ou: list[str]
    source: str | None = None


def parse_list(raw: str | None) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in (raw or "").split(";") if p.strip()))


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def parse(
    conn: Connection,
    registry: Registry,
    dx: str | None,
    pe: str | None,
    ou: str | None,
    source: str | None = None,
    today: date | None = None,
) -> Query:
    """Check and expand a query; ValidationFailed names the bad part."""
    codes = parse_list(dx)
    if not codes:
        raise _bad("dx", "dx is required: indicator or data element codes, separated by ;")
    unknown = [c for c in codes if c not in registry.indicators and c not in registry.elements]
    if unknown:
        raise _bad("dx", f"unknown indicator or data element: {', '.join(unknown)[:200]}")
    return Query(codes, _periods(pe, today or periods.vietnam_today()), _units(conn, ou), source)


def _periods(raw: str | None, today: date) -> list[str]:
    items = parse_list(raw)
    if not items:
        raise _bad("pe", "pe is required: period codes (2025-Q4) or relative (LAST_4_QUARTERS)")
    out: list[str] = []
    for item in items:
        if item[:1].isdigit():
            out.append(periods.parse(item).code)
        else:
            out += [p.code for p in periods.relative(item, today)]
    return list(dict.fromkeys(out))


def _units(conn: Connection, raw: str | None) -> list[str]:
    items = parse_list(raw)
    if not items:
        raise _bad("ou", "ou is required: unit codes, optionally with LEVEL-n")
    levels = [_level(i) for i in items if i.upper().startswith("LEVEL-")]
    roots = [i for i in items if not i.upper().startswith("LEVEL-")]
    for code in roots:
        service.get(conn, code)  # NotFound names an unknown unit
    if not levels:
        return roots
    out: list[str] = []
    for level in levels:
        if roots:
            out += [u.code for root in roots for u in service.descendants(conn, root, level)]
        else:
            out += [
                u.code
                for u in service.find(conn, hierarchy="2025", level=level, limit=MAX_ITEMS)[1]
            ]
    return list(dict.fromkeys(out))[:MAX_ITEMS]


def _level(item: str) -> int:
    try:
        level = int(item.split("-", 1)[1])
    except ValueError:
        raise _bad("ou", f"{item[:20]!r} is not LEVEL-n") from None
    if level not in (1, 3):
        raise _bad("ou", f"level {level} does not exist since 1 July 2025: use 1 or 3")
    return level


def rows(conn: Connection, q: Query) -> list[tuple[Any, ...]]:
    """The stored values the query selects, ordered by dx, unit, period, source."""
    v = ind_values.c
    cols = (v.dx, v.ou, v.pe, v.source, v.value, v.numerator, v.denominator, v.estimated)
    out: list[tuple[Any, ...]] = []
    for i in range(0, len(q.ou), CHUNK):
        stmt = select(*cols).where(v.dx.in_(q.dx), v.pe.in_(q.pe), v.ou.in_(q.ou[i : i + CHUNK]))
        if q.source:
            stmt = stmt.where(v.source == q.source)
        out += [(*tuple(r[:7]), bool(r[7])) for r in conn.execute(stmt)]
    return sorted(out, key=lambda r: (r[0], r[1], r[2], r[3]))


def respond(conn: Connection, registry: Registry, q: Query) -> dict[str, Any]:
    """The DHIS2-like response: headers, rows, metaData."""
    found = rows(conn, q)
    items: dict[str, Any] = {c: registry.describe(c) for c in q.dx}
    for code in {r[1] for r in found}:
        u = service.get(conn, code)
        items[code] = {"code": code, "name": u.name, "level": u.level}
    return {
        "headers": [{"name": h} for h in HEADERS],
        "rows": [list(r) for r in found],
        "height": len(found),
        "width": len(HEADERS),
        "metaData": {
            "items": items,
            "dimensions": {
                "dx": q.dx,
                "pe": q.pe,
                "ou": q.ou,
                "source": sorted({r[3] for r in found}),
            },
        },
    }
