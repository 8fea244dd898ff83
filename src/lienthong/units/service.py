"""Administrative units: look-up, tree walks, search and the 2025 old→new mapping.

Two hierarchies share the statistics office's codes: ``"2025"`` (34 provinces and 3,321
communes since 1 July 2025, no district level) and ``"legacy"`` (63 provinces, 696
districts, 10,035 communes until 30 June 2025). A code is unique within a hierarchy; most
2025 communes kept the code of one of their predecessors.

With the units loaded, ``descendants(conn, "31", 3)`` gives Hải Phòng's 114 communes and
``successors(conn, "30")`` gives ``[Successor(code='31', partial=False)]``: all of the
former Hải Dương went into Hải Phòng (tests/test_units.py checks both).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, and_, case, func, or_, select

from lienthong.core.errors import NotFound, ValidationFailed
from lienthong.units import names
from lienthong.units.schema import unit_names, unit_successors, units
from lienthong.units.source import LEGACY_TO, MERGER

CURRENT, LEGACY = "2025", "legacy"
HIERARCHIES = (CURRENT, LEGACY)
LEVELS = {CURRENT: (1, 3), LEGACY: (1, 2, 3)}
_CODE = re.compile(r"[0-9]{2}|[0-9]{3}|[0-9]{5}")
_FIELDS = (
    units.c.code, units.c.name, units.c.kind, units.c.level, units.c.parent,
    units.c.hierarchy, units.c.valid_from, units.c.valid_to, units.c.area_km2,
    units.c.lat, units.c.lon, units.c.short_name, units.c.type_vi,
)  # fmt: skip


@dataclass(frozen=True)
class Unit:
    """One administrative unit of one hierarchy; ``valid_to`` is its last day (inclusive)."""

    code: str
    name: str
    kind: str  # province, district, xa, phuong, thi_tran, dac_khu
    level: int  # 1 province, 2 district (legacy only), 3 commune
    parent: str | None
    hierarchy: str  # "2025" or "legacy"
    valid_from: date
    valid_to: date | None
    area_km2: float | None
    lat: float | None
    lon: float | None
    short_name: str = ""  # "Hải Phòng" for "Thành phố Hải Phòng"
    type_vi: str = ""  # "Thành phố", "Tỉnh", "Huyện", "Phường", "Xã", "Đặc khu"…


@dataclass(frozen=True)
class Successor:
    """A unit of today; ``partial``: the old unit was split, so values on it are estimated."""

    code: str
    partial: bool


@dataclass(frozen=True)
class Predecessor:
    """An old unit that went (wholly, or in part when ``partial``) into a unit of today."""

    code: str
    partial: bool


@dataclass(frozen=True)
class Resolution:
    """What a resolve matched, and the units of today it leads to."""

    matched: list[Unit]
    successors: list[Successor]


def hierarchy_at(when: date) -> str:
    """The hierarchy in force on that day.

    >>> hierarchy_at(date(2025, 6, 30)), hierarchy_at(date(2025, 7, 1))
    ('legacy', '2025')
    """
    return CURRENT if when >= MERGER else LEGACY


def check_hierarchy(hierarchy: str) -> str:
    if hierarchy not in HIERARCHIES:
        msg = f"{_shown(hierarchy)} is not a hierarchy: use 2025 or legacy"
        raise ValidationFailed(msg, errors={"hierarchy": [msg]})
    return hierarchy


def check_code(code: str) -> str:
    """A well-formed code: 2 digits (province), 3 (district) or 5 (commune)."""
    if not _CODE.fullmatch(code):
        msg = f"{_shown(code)} is not a unit code: 2 digits (province), 3 (district) or 5 (commune)"
        raise ValidationFailed(msg, errors={"code": [msg]})
    return code


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _unit(row: Any) -> Unit:
    return Unit(*row)


def _one(conn: Connection, code: str, hierarchy: str) -> Unit | None:
    stmt = select(*_FIELDS).where(units.c.hierarchy == hierarchy, units.c.code == code)
    row = conn.execute(stmt).first()
    return _unit(row) if row else None


def get(conn: Connection, code: str, hierarchy: str = CURRENT) -> Unit:
    """The unit with that code; NotFound if the hierarchy has none."""
    found = _one(conn, check_code(code), check_hierarchy(hierarchy))
    if found is None:
        raise NotFound(f"no unit with code {code} in the {hierarchy} hierarchy")
    return found


def children(conn: Connection, code: str, hierarchy: str = CURRENT) -> list[Unit]:
    """The units directly under this one, by code."""
    get(conn, code, hierarchy)
    where = and_(units.c.hierarchy == hierarchy, units.c.parent == code)
    return [_unit(r) for r in conn.execute(select(*_FIELDS).where(where).order_by(units.c.code))]


def count_children(conn: Connection, code: str, hierarchy: str = CURRENT) -> int:
    where = and_(units.c.hierarchy == hierarchy, units.c.parent == code)
    return int(conn.execute(select(func.count()).where(where)).scalar_one())


def descendants(conn: Connection, code: str, level: int, hierarchy: str = CURRENT) -> list[Unit]:
    """The units of `level` within this one (itself when it is of that level), by code."""
    unit = get(conn, code, hierarchy)
    if level not in LEVELS[hierarchy] or level < unit.level:
        msg = f"level {level} is not below {unit.name} in the {hierarchy} hierarchy" + (
            " (it has no district level)" if hierarchy == CURRENT and level == 2 else ""
        )
        raise ValidationFailed(msg, errors={"level": [msg]})
    if level == unit.level:
        return [unit]
    within = units.c.province if unit.level == 1 else units.c.district
    where = and_(units.c.hierarchy == hierarchy, within == code, units.c.level == level)
    return [_unit(r) for r in conn.execute(select(*_FIELDS).where(where).order_by(units.c.code))]


def province_of(conn: Connection, code: str, hierarchy: str = CURRENT) -> str:
    """The code of the province a unit lies in (its own for a province)."""
    get(conn, code, hierarchy)
    where = and_(units.c.hierarchy == hierarchy, units.c.code == code)
    return str(conn.execute(select(units.c.province).where(where)).scalar_one())


def valid_at(conn: Connection, code: str, when: date) -> bool:
    """Whether a unit with that code existed on that day, in either hierarchy."""
    if not _CODE.fullmatch(code):
        return False
    stmt = select(units.c.code).where(
        units.c.code == code,
        units.c.valid_from <= when,
        or_(units.c.valid_to.is_(None), units.c.valid_to >= when),
    )
    return conn.execute(stmt.limit(1)).first() is not None


def search(
    conn: Connection, q: str, hierarchy: str | None = None, limit: int = 20, offset: int = 0
) -> list[Unit]:
    """Units whose name (or short or former name) holds `q`, diacritics and case ignored.

    Exact names first, then names that start with `q`, then the rest; larger units first.
    """
    return find(conn, q=q, hierarchy=hierarchy, limit=limit, offset=offset)[1]


def find(
    conn: Connection,
    *,
    q: str | None = None,
    hierarchy: str | None = None,
    level: int | None = None,
    parent: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[int, list[Unit]]:
    """One page of units matching every filter given, and how many match in all."""
    stmt = select(*_FIELDS)
    if hierarchy is not None:
        stmt = stmt.where(units.c.hierarchy == check_hierarchy(hierarchy))
    if level is not None:
        stmt = stmt.where(units.c.level == level)
    if parent is not None:
        stmt = stmt.where(units.c.parent == check_code(parent))
    order: list[Any] = [units.c.hierarchy, units.c.code]
    if q is not None:
        stmt, rank = _matching(stmt, q)
        order = [rank, units.c.level, units.c.hierarchy, units.c.code]
    total = int(conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one())
    page = stmt.order_by(*order).limit(max(0, limit)).offset(max(0, offset))
    return total, [_unit(r) for r in conn.execute(page)]


def query_key(q: str, field: str = "q") -> str:
    """The search key of a query; ValidationFailed if too long or without letters or digits."""
    if len(q) > names.MAX_QUERY:
        msg = f"the query is {len(q):,} characters long; at most {names.MAX_QUERY} are allowed"
        raise ValidationFailed(msg, errors={field: [msg]})
    k = names.key(q)
    if not k:
        msg = f"{_shown(q)} has no letters or digits to search for"
        raise ValidationFailed(msg, errors={field: [msg]})
    return k


def _matching(stmt: Select[Any], q: str) -> tuple[Select[Any], Any]:
    # keys hold only [0-9a-z], so the LIKE patterns need no escaping
    k = query_key(q)
    rank = case(
        (units.c.search_key.like(f"%|{k}|%"), 0),
        (units.c.search_key.like(f"%|{k}%"), 1),
        else_=2,
    )
    return stmt.where(units.c.search_key.like(f"%{k}%")), rank


def successors(conn: Connection, legacy_code: str) -> list[Successor]:
    """The 2025 unit(s) a legacy unit went to, the source's preferred one first."""
    get(conn, legacy_code, LEGACY)
    stmt = (
        select(unit_successors.c.code, unit_successors.c.partial)
        .where(unit_successors.c.legacy_code == legacy_code)
        .order_by(unit_successors.c.preferred.desc(), unit_successors.c.code)
    )
    return [Successor(r.code, bool(r.partial)) for r in conn.execute(stmt)]


def successor_map(conn: Connection) -> dict[str, list[Successor]]:
    """Every legacy unit's successors at once, as `successors` orders them (for roll-ups)."""
    t = unit_successors.c
    stmt = select(t.legacy_code, t.code, t.partial).order_by(
        t.legacy_code, t.preferred.desc(), t.code
    )
    found: dict[str, list[Successor]] = {}
    for r in conn.execute(stmt):
        found.setdefault(r.legacy_code, []).append(Successor(r.code, bool(r.partial)))
    return found


def predecessors(conn: Connection, code: str) -> list[Predecessor]:
    """The legacy units of the same level (islands: their district) a 2025 unit came from."""
    get(conn, code, CURRENT)
    stmt = (
        select(unit_successors.c.legacy_code, unit_successors.c.partial)
        .where(unit_successors.c.code == code, unit_successors.c.direct.is_(True))
        .order_by(unit_successors.c.legacy_code)
    )
    return [Predecessor(r.legacy_code, bool(r.partial)) for r in conn.execute(stmt)]


def resolve(conn: Connection, code_or_name: str, when: date | None = None) -> list[Successor]:
    """Today's unit(s) for a legacy or current code or name, as of `when` if given.

    A name may carry its district and province after commas ("Xã Lê Ninh, Kinh Môn, Hải
    Dương"). A code both hierarchies use is read as today's unit unless `when` is before
    1 July 2025.
    """
    return resolve_detail(conn, code_or_name, when).successors


def resolve_detail(conn: Connection, code_or_name: str, when: date | None = None) -> Resolution:
    """Like `resolve`, also naming the unit(s) the query matched."""
    text = code_or_name.strip()
    if text.isascii() and text.isdigit():
        return _resolve_code(conn, check_code(text), when)
    matched = _match_names(conn, text, when)
    results = {tuple(_today(conn, u)) for u in matched}
    if len(results) > 1:
        raise _ambiguous(conn, text, matched)
    return Resolution(matched, list(results.pop()))


def _match_names(conn: Connection, text: str, when: date | None) -> list[Unit]:
    """Units named by the first part whose province or district the other parts name.

    The best-quality names win (official over short over former), then the larger units:
    "Hải Dương" is the province, "Thành phố Hải Dương" the city.
    """
    query_key(text)  # refuses an over-long or empty query as a whole
    first, *context = [query_key(p) for p in text.split(",") if names.key(p)]
    joined = and_(unit_names.c.hierarchy == units.c.hierarchy, unit_names.c.code == units.c.code)
    stmt = (
        select(*_FIELDS, unit_names.c.quality, units.c.province, units.c.district)
        .join(unit_names, joined)
        .where(unit_names.c.key == first)
    )
    if when is not None:
        stmt = stmt.where(units.c.valid_from <= when)
        stmt = stmt.where(or_(units.c.valid_to.is_(None), units.c.valid_to >= when))
    rows = list(conn.execute(stmt))
    for part in context:
        where = unit_names.c.key == part
        places = {
            tuple(p)
            for p in conn.execute(select(unit_names.c.hierarchy, unit_names.c.code).where(where))
        }
        rows = [r for r in rows if {(r.hierarchy, r.province), (r.hierarchy, r.district)} & places]
    if not rows:
        at = f" on {when.isoformat()}" if when else ""
        raise NotFound(f"no unit named {_shown(text)}{at}")
    best = min((r.quality, r.level) for r in rows)
    return [_unit(r[: len(_FIELDS)]) for r in rows if (r.quality, r.level) == best]


def _ambiguous(conn: Connection, text: str, matched: list[Unit]) -> ValidationFailed:
    shown = [_described(conn, u) for u in sorted(matched, key=lambda u: (u.hierarchy, u.code))]
    more = f" and {len(shown) - 10} more" if len(shown) > 10 else ""
    msg = (
        f"{_shown(text)} names {len(matched)} units that lead to different units of today: "
        f"{'; '.join(shown[:10])}{more}. Add the district or province after a comma, "
        "give a date, or use a code"
    )
    hint = f"names {len(matched)} units: add the district or province, a date, or use a code"
    return ValidationFailed(msg, errors={"q": [hint]})


def _described(conn: Connection, unit: Unit) -> str:
    places: list[str] = []
    parent = unit.parent
    while parent is not None and len(places) < 2:
        above = get(conn, parent, unit.hierarchy)
        places.append(above.name)
        parent = above.parent
    where = ", ".join(places)
    return f"{unit.name} ({unit.hierarchy} {unit.code}{', ' + where if where else ''})"


def _resolve_code(conn: Connection, code: str, when: date | None) -> Resolution:
    order = [hierarchy_at(when)] if when else [CURRENT, LEGACY]
    for hierarchy in order:
        unit = _one(conn, code, hierarchy)
        if unit and (when is None or _covers(unit, when)):
            return Resolution([unit], _today(conn, unit))
    at = f" on {when.isoformat()}" if when else ""
    raise NotFound(f"no unit with code {code}{at}")


def _covers(unit: Unit, when: date) -> bool:
    return unit.valid_from <= when and (unit.valid_to is None or when <= unit.valid_to)


def _today(conn: Connection, unit: Unit) -> list[Successor]:
    if unit.hierarchy == CURRENT:
        return [Successor(unit.code, False)]
    return successors(conn, unit.code)


__all__ = [
    "CURRENT", "HIERARCHIES", "LEGACY", "LEGACY_TO", "MERGER", "Predecessor", "Resolution",
    "Successor", "Unit", "children", "count_children", "descendants", "find", "get",
    "hierarchy_at", "predecessors", "province_of", "resolve", "resolve_detail", "search",
    "successor_map", "successors", "valid_at",
]  # fmt: skip
