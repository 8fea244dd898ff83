"""Rankings per period, and progress towards targets.

Rankings are read from the stored values at query time, so they are always
as fresh as the values (no table to keep in step). Ties share a rank
("1, 2, 2, 4"); the direction of the indicator says whether more is better.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, select

from lienthong.core.errors import NotFound
from lienthong.indicators.loader import load_shipped
from lienthong.indicators.model import PLATFORM, Registry
from lienthong.indicators.schema import ind_values
from lienthong.units import periods
from lienthong.units.periods import Period
from lienthong.units.schema import units


def _indicator_direction(registry: Registry, dx: str) -> str:
    if dx in registry.indicators:
        return registry.indicators[dx].direction
    if dx in registry.elements:
        return "up"
    raise NotFound(f"no indicator or data element '{dx[:64]}'")


def ranking(
    conn: Connection,
    dx: str,
    period: Period,
    level: int | None = None,
    within: str | None = None,
    source: str = PLATFORM,
    registry: Registry | None = None,
) -> list[dict[str, Any]]:
    """Units ranked on `dx` for one period, best first (optionally one level, one province)."""
    registry = registry or load_shipped()
    down = _indicator_direction(registry, dx) == "down"
    v = ind_values.c
    join = and_(units.c.code == v.ou, units.c.hierarchy == "2025")
    stmt = (
        select(v.ou, units.c.name, units.c.level, v.value, v.estimated)
        .select_from(ind_values.join(units, join))
        .where(v.dx == dx, v.pe == period.code, v.source == source, v.value.is_not(None))
    )
    if level is not None:
        stmt = stmt.where(units.c.level == level)
    if within is not None:
        stmt = stmt.where(units.c.province == within)
    rows = sorted(conn.execute(stmt), key=lambda r: (r.value if down else -r.value, r.ou))
    out: list[dict[str, Any]] = []
    for i, r in enumerate(rows):
        tied = out and out[-1]["value"] == r.value
        out.append(
            {
                "rank": out[-1]["rank"] if tied else i + 1,
                "unit": r.ou,
                "name": r.name,
                "level": r.level,
                "value": r.value,
                "estimated": bool(r.estimated),
            }
        )
    return out


def target_progress(
    conn: Connection, unit: str | None = None, registry: Registry | None = None
) -> list[dict[str, Any]]:
    """Each target with the latest value of its indicator at its unit, by source."""
    registry = registry or load_shipped()
    out = []
    for t in registry.targets:
        if unit is not None and t.unit != unit:
            continue
        kind = periods.parse(t.period).kind
        latest = _latest(conn, t.indicator, t.unit, kind, t.period)
        ind = registry.indicators[t.indicator]
        for source, (pe, value) in sorted(latest.items()):
            out.append(_progress(t.__dict__, ind.direction, source, pe, value))
        if not latest:
            out.append(_progress(t.__dict__, ind.direction, None, None, None))
    return out


def _latest(
    conn: Connection, dx: str, unit: str, kind: str, until: str
) -> dict[str, tuple[str, float]]:
    """Per source, the newest value of that period kind up to the target's period."""
    v = ind_values.c
    stmt = select(v.source, v.pe, v.value).where(
        v.dx == dx, v.ou == unit, v.pe <= until, v.value.is_not(None)
    )
    found: dict[str, tuple[str, float]] = {}
    for r in conn.execute(stmt.order_by(v.pe)):
        if periods.parse(r.pe).kind == kind:
            found[r.source] = (r.pe, r.value)
    return found


def _progress(
    target: dict[str, Any], direction: str, source: str | None, pe: str | None, value: float | None
) -> dict[str, Any]:
    share = None
    if value is not None and target["value"]:
        share = value / target["value"] if direction == "up" else target["value"] / value
    return {
        "indicator": target["indicator"],
        "unit": target["unit"],
        "target_period": target["period"],
        "target": target["value"],
        "basis": target["basis"],
        "cited": target["cited"],
        "source": source,
        "period": pe,
        "value": value,
        "progress": None if share is None else round(share, 4),
        "reached": None if share is None else share >= 1,
    }
