"""Indicator values, targets and rankings, read from the indicator engine's store.

The engine (`lienthong.indicators`) owns the frameworks and writes `ind_values`;
this module only reads them. While that part is not installed, or has computed
nothing yet, every function returns an empty result and the pages say "no data
yet" instead of inventing numbers.
"""

from __future__ import annotations

import calendar
import importlib
import logging
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, func, select

from lienthong.web.messages import MESSAGES
from lienthong.web.sources import catalog
from lienthong.web.sources.model import Figure, IndicatorInfo, Point, Provenance, Ranked, Target
from lienthong.web.sources.ready import has_tables

log = logging.getLogger("lienthong.web.scores")

# the overview's slots and the indicators that fill them, first found wins
HEADLINE: dict[str, tuple[str, ...]] = {
    "de_share": ("KTS_TY_TRONG",),
    "dti": ("DTI922",),
    "online_dossiers": ("TTHC_TL_TOAN_TRINH",),
    "portal_services": ("DVC_TL_TICH_HOP", "DVC_TICH_HOP_QG"),
}
DTI_FRAMEWORK = "dti-province-922"
PLATFORM_SOURCE = "platform"
SYNTHETIC_SOURCES = re.compile(r"synth|demo|gia-lap|gia_lap", re.IGNORECASE)
SERIES_LENGTH = 8


def _module(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


@lru_cache(maxsize=1)
def registry() -> Any | None:
    """The engine's loaded frameworks, or None while the engine is not installed."""
    loader = _module("lienthong.indicators.loader")
    if loader is None:
        return None
    try:
        return loader.load_shipped()
    except Exception:
        log.exception("the indicator frameworks do not load: indicator pages stay empty")
        return None


def _values_table() -> Any | None:
    schema = _module("lienthong.indicators.schema")
    return getattr(schema, "ind_values", None) if schema else None


def available() -> bool:
    return registry() is not None and _values_table() is not None


def period_kind(code: str) -> str:
    """The kind of a period code.

    >>> [period_kind(c) for c in ("2025", "2025-Q4", "2025-11", "2025-11-23")]
    ['year', 'quarter', 'month', 'day']
    """
    if "Q" in code:
        return "quarter"
    return {4: "year", 7: "month"}.get(len(code), "day")


def rows(conn: Connection, dx: str, units: Iterable[str]) -> list[dict[str, Any]]:
    """Every stored value of `dx` at `units`, oldest period first."""
    table = _values_table()
    if table is None or not has_tables(conn, table.name):
        return []
    q = select(table).where(table.c.dx == dx, table.c.ou.in_(list(units))).order_by(table.c.pe)
    return [dict(r) for r in conn.execute(q).mappings()]


def _pick(found: list[dict[str, Any]]) -> tuple[str, str, list[dict[str, Any]]] | None:
    """The (source, period kind) whose latest value is newest: quarters before years."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in found:
        if r["value"] is not None:
            groups.setdefault((r["source"], period_kind(r["pe"])), []).append(r)
    if not groups:
        return None
    rank = {"quarter": 0, "year": 1, "month": 2, "day": 3}

    def key(item: tuple[tuple[str, str], list[dict[str, Any]]]) -> tuple[str, int, int, str]:
        (source, kind), rs = item
        return (rs[-1]["pe"][:4], -rank[kind], source == PLATFORM_SOURCE, source)

    (source, kind), chosen = max(groups.items(), key=key)
    return source, kind, chosen


def _aware(dt: datetime | None) -> datetime | None:
    return dt.replace(tzinfo=UTC) if dt is not None and dt.tzinfo is None else dt


def period_end(code: str) -> date:
    """The last day of a period code.

    >>> period_end("2025-Q4"), period_end("2024-02"), period_end("2025")
    (datetime.date(2025, 12, 31), datetime.date(2024, 2, 29), datetime.date(2025, 12, 31))
    """
    year = int(code[:4])
    kind = period_kind(code)
    if kind == "year":
        return date(year, 12, 31)
    month = int(code[-1]) * 3 if kind == "quarter" else int(code[5:7])
    if kind == "day":
        return date.fromisoformat(code)
    return date(year, month, calendar.monthrange(year, month)[1])


def figure(
    conn: Connection, code: str, unit: str, key: str | None = None, until: str | None = None
) -> Figure | None:
    """The latest value of indicator `code` at `unit` (up to the end of period `until`),
    with its trend, target and provenance."""
    reg = registry()
    if reg is None:
        return None
    found = rows(conn, code, [unit])
    if until is not None:
        end = period_end(until)
        found = [r for r in found if period_end(r["pe"]) <= end]
    picked = _pick(closed(found) or found)
    if picked is None:
        return None
    source, _kind, chosen = picked
    last = chosen[-1]
    info = info_of(code)
    return Figure(
        key=key or code,
        title=info.title if info else code,
        title_en=info.title_en if info else None,
        value=last["value"],
        unit=info.unit if info else "",
        period=last["pe"],
        digits=_digits(info.unit if info else ""),
        series=tuple(Point(r["pe"], r["value"]) for r in chosen[-SERIES_LENGTH:]),
        target=_target(reg, code, unit, last["pe"]),
        direction=info.direction if info else "up",
        updated_at=_aware(max(r["computed_at"] for r in chosen)),
        provenance=provenance(conn, code, source),
        source=_source_label(source),
        estimated=bool(last["estimated"]),
        href=f"/indicators/{code}",
    )


def _digits(unit: str) -> int:
    return 1 if unit in ("%", "") else 0


def _source_label(source: str) -> str:
    """A message key for sources the scoreboard names (the platform, the press), else the
    source's own code."""
    key = f"source.{source}"
    return key if key in MESSAGES else source


def _target(reg: Any, code: str, unit: str, period: str) -> Target | None:
    """The nearest target at or after the value's year, else the latest one."""
    found = sorted(
        (t for t in reg.targets if t.indicator == code and t.unit == unit), key=lambda t: t.period
    )
    if not found:
        return None
    year = period[:4]
    ahead = [t for t in found if t.period[:4] >= year]
    t = ahead[0] if ahead else found[-1]
    return Target(value=float(t.value), period=t.period, source=t.basis)


def provenance(conn: Connection, code: str, source: str) -> Provenance:
    """Official for reported values, computed for platform values; synthetic when the
    value rests on generated data (a generated source, or a dataset tagged synthetic)."""
    if SYNTHETIC_SOURCES.search(source):
        return Provenance.SYNTHETIC
    if source != PLATFORM_SOURCE:
        return Provenance.OFFICIAL
    datasets = _datasets_behind(code)
    if datasets and catalog.any_synthetic(conn, datasets):
        return Provenance.SYNTHETIC
    return Provenance.COMPUTED


def _datasets_behind(code: str) -> set[str]:
    reg = registry()
    if reg is None:
        return set()
    seen: set[str] = set()
    out: set[str] = set()
    todo = [code]
    while todo:
        c = todo.pop()
        if c in seen:
            continue
        seen.add(c)
        if c in reg.elements and reg.elements[c].dataset:
            out.add(reg.elements[c].dataset)
        if c in reg.indicators:
            todo.extend(reg.indicators[c].refs)
    return out


def info_of(code: str) -> IndicatorInfo | None:
    """An indicator's (or data element's) definition, as the framework states it."""
    reg = registry()
    if reg is None:
        return None
    if code in reg.indicators:
        i = reg.indicators[code]
        return IndicatorInfo(
            code=code,
            title=i.name,
            title_en=i.name_en or None,
            numerator=i.numerator.text,
            denominator=i.denominator.text if i.denominator is not None else "",
            unit=i.unit,
            factor=float(i.factor),
            direction=i.direction,
            framework=i.framework,
            role=i.role,
            provenance=i.provenance,
            source_kind=i.source,
        )
    if code in reg.elements:
        e = reg.elements[code]
        return IndicatorInfo(
            code=code,
            title=e.name,
            title_en=e.name_en or None,
            unit=e.unit,
            framework=e.framework,
            role="element",
            provenance=e.provenance,
            source_kind=e.source,
            dataset=e.dataset,
        )
    return None


def headline(conn: Connection, province: str, until: str | None = None) -> dict[str, Figure]:
    """The overview's indicator slots that have a value."""
    out: dict[str, Figure] = {}
    for slot, codes in HEADLINE.items():
        for code in codes:
            fig = figure(conn, code, province, key=slot, until=until)
            if fig is not None:
                out[slot] = _with_parts(conn, fig, province, until) if slot == "dti" else fig
                break
    return out


def _with_parts(conn: Connection, fig: Figure, province: str, until: str | None) -> Figure:
    """The DTI with its main indices underneath."""
    reg = registry()
    framework = reg.frameworks.get(DTI_FRAMEWORK) if reg is not None else None
    parts = []
    for pillar in getattr(framework, "pillars", ()):
        if not pillar.points:
            continue
        part = figure(conn, pillar.code, province, until=until)
        if part is not None:
            parts.append(replace(part, title=pillar.name or pillar.code, digits=3))
    codes = [c.code for c in framework.components()] if framework is not None else []
    table = _values_table()
    if table is None or not codes:
        return replace(fig, parts=tuple(parts), digits=4)
    v = table.c
    measured = conn.execute(
        select(func.count(func.distinct(v.dx))).where(
            v.dx.in_(codes), v.ou == province, v.pe == fig.period, v.value.is_not(None)
        )
    ).scalar_one()
    official = getattr(framework, "official_components", None) or len(codes)
    note = (("measured", int(measured)), ("official", int(official)))
    return replace(
        fig, parts=tuple(parts), digits=4, note_key="note.dti_coverage", note_values=note
    )


def indicator_list() -> list[IndicatorInfo]:
    """Every indicator of every framework, frameworks in file order."""
    reg = registry()
    if reg is None:
        return []
    return [i for code in sorted(reg.indicators) if (i := info_of(code)) is not None]


def frameworks() -> list[Any]:
    reg = registry()
    return list(reg.frameworks.values()) if reg is not None else []


def latest_period(conn: Connection, code: str, units: list[str], kind: str) -> str | None:
    """The latest closed period of `kind` with a value (an open one if none is closed)."""
    found = [r for r in rows(conn, code, units) if period_kind(r["pe"]) == kind]
    found = closed(found) or found
    return max(r["pe"] for r in found) if found else None


def closed(found: list[dict[str, Any]], today: date | None = None) -> list[dict[str, Any]]:
    """The values of periods that have ended: the scoreboard publishes closed periods, as
    DHIS2's "last quarter"; the period in progress is still arriving.

    >>> closed([{"pe": "2025-Q4"}, {"pe": "2026-Q4"}], date(2026, 12, 6))
    [{'pe': '2025-Q4'}]
    """
    today = today or datetime.now(UTC).date()
    return [r for r in found if period_end(r["pe"]) < today]


def ranking(conn: Connection, code: str, units: dict[str, Any], period: str) -> list[Ranked]:
    """`units` (code → unit with name, lat, lon) ranked on `code` in `period`, best first."""
    info = info_of(code)
    down = info is not None and info.direction == "down"
    values = {
        r["ou"]: r
        for r in rows(conn, code, list(units))
        if r["pe"] == period and r["source"] == PLATFORM_SOURCE
    }
    if not values:  # reported values only (provinces' published DTI): take any source
        values = {r["ou"]: r for r in rows(conn, code, list(units)) if r["pe"] == period}
    known = sorted(
        (r for r in values.values() if r["value"] is not None),
        key=lambda r: (r["value"] if down else -r["value"], r["ou"]),
    )
    place = {r["ou"]: i + 1 for i, r in enumerate(known)}
    out = []
    for c, u in units.items():
        r = values.get(c)
        out.append(
            Ranked(
                rank=place.get(c),
                code=c,
                name=getattr(u, "name", c),
                value=r["value"] if r else None,
                lat=getattr(u, "lat", None),
                lon=getattr(u, "lon", None),
                estimated=bool(r and r["estimated"]),
            )
        )
    return sorted(out, key=lambda x: (x.rank is None, x.rank or 0, x.name))
