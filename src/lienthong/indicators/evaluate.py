"""From the fact cube and reported values to every value, vectorised over (unit, period) cells.

1. Raw units → 2025 units (shares of split units are `estimated`).
2. Months roll up to quarters and years, communes to provinces: numerators and
   denominators add up, so ratios are recomputed from the sums.
3. Indicators, dependencies first, per source: ``platform`` (the platform's
   data alone) and each reporting source (its reported values, completed by the
   platform's). A value is kept under a reporting source only if it rests on at
   least one of that source's values.
4. Scored indicators normalise across units of the same level and period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lienthong.indicators.expr import Array
from lienthong.indicators.model import PLATFORM, Indicator, Registry, Target
from lienthong.indicators.unitmap import UnitMap
from lienthong.units import periods

VALUE_COLUMNS = ("dx", "ou", "pe", "source", "value", "numerator", "denominator", "estimated")
CUBE_SCHEMA = pa.schema(
    [
        ("element", pa.string()),
        ("unit", pa.string()),
        ("period", pa.string()),
        ("num", pa.float64()),
        ("den", pa.float64()),
    ]
)


@dataclass(frozen=True)
class Reported:
    element: str
    unit: str
    period: str
    source: str
    value: float


@dataclass
class Outcome:
    rows: dict[tuple[str, str, str, str], tuple[float | None, float | None, float | None, bool]]
    unresolved: set[str] = field(default_factory=set)


def element_cells(cube: pa.Table, units: UnitMap) -> tuple[pa.Table, set[str]]:
    """Cube rows (raw unit, finest period) → rows per (element, 2025 unit, period, ...)."""
    mapped, unresolved = _map_units(cube, units)
    rolled = pa.concat_tables([mapped, *_coarser(mapped)])
    cells = _sum(rolled)
    return pa.concat_tables([cells, _provinces(cells, units)]), unresolved


def _map_units(cube: pa.Table, units: UnitMap) -> tuple[pa.Table, set[str]]:
    pairs = cube.select(["unit", "period"]).group_by(["unit", "period"]).aggregate([])
    units.prefetch(pc.unique(pairs["unit"]).to_pylist())
    eras = {p: units.era(p) for p in pc.unique(pairs["period"]).to_pylist()}
    rows: dict[str, list[Any]] = {"unit": [], "period": [], "code": [], "w": [], "est": []}
    unresolved = set()
    for raw, period in zip(pairs["unit"].to_pylist(), pairs["period"].to_pylist(), strict=True):
        shares = units.resolve(raw, eras[period])
        if not shares:
            unresolved.add(raw)
        for s in shares:
            for key, v in zip(rows, (raw, period, s.code, s.weight, s.estimated), strict=True):
                rows[key].append(v)
    mapping = pa.table(
        rows,
        schema=pa.schema(
            [
                ("unit", pa.string()),
                ("period", pa.string()),
                ("code", pa.string()),
                ("w", pa.float64()),
                ("est", pa.bool_()),
            ]
        ),
    )
    joined = cube.join(mapping, ["unit", "period"], join_type="inner")
    out = pa.table(
        {
            "element": joined["element"],
            "code": joined["code"],
            "period": joined["period"],
            "num": pc.multiply(joined["num"], joined["w"]),
            "den": pc.multiply(joined["den"], joined["w"]),
            "est": joined["est"],
        }
    )
    return out, unresolved


def _coarser(mapped: pa.Table) -> list[pa.Table]:
    """Month rows again, as quarter and year rows (distinct counts come per kind already)."""
    codes = pc.unique(mapped["period"]).to_pylist()
    months = [c for c in codes if periods.parse(c).kind == "month"]
    monthly = mapped.filter(pc.is_in(mapped["period"], pa.array(months, pa.string())))
    out = []
    for kind in ("quarter", "year"):
        lookup = {m: periods.rollup(m, kind).code for m in months}
        keys = pa.array([lookup[m] for m in months], pa.string())
        idx = pc.index_in(monthly["period"], pa.array(months, pa.string()))
        out.append(monthly.set_column(2, "period", pc.take(keys, idx)))
    return out


def _sum(t: pa.Table) -> pa.Table:
    g = t.group_by(["element", "code", "period"]).aggregate(
        [("num", "sum"), ("den", "sum"), ("est", "max")]
    )
    return g.rename_columns(["element", "code", "period", "num", "den", "est"])


def _provinces(cells: pa.Table, units: UnitMap) -> pa.Table:
    codes = pc.unique(cells["code"]).to_pylist()
    units.prefetch(codes)
    parent = {c: units.province(c) for c in codes}
    below = [c for c in codes if parent[c] not in (None, c)]
    lower = cells.filter(pc.is_in(cells["code"], pa.array(below, pa.string())))
    keys = pa.array([parent[c] for c in below], pa.string())
    idx = pc.index_in(lower["code"], pa.array(below, pa.string()))
    return _sum(lower.set_column(1, "code", pc.take(keys, idx)))


class Grid:
    """Aligned arrays over every (unit, period) cell of one computation."""

    def __init__(self, keys: list[tuple[str, str]], units: UnitMap) -> None:
        self.keys = keys
        self.index = {k: i for i, k in enumerate(keys)}
        self.ou = np.array([ou for ou, _ in keys], dtype=object)
        self.pe = np.array([pe for _, pe in keys], dtype=object)
        units.prefetch({ou for ou, _ in keys})
        self.n = len(keys)
        kinds = {pe: periods.parse(pe).kind for _, pe in keys}
        self.kind = np.array([kinds[pe] for _, pe in keys], dtype=object)
        groups: dict[tuple[str, int | None], int] = {}
        self.group = np.array(
            [groups.setdefault((pe, units.level(ou)), len(groups)) for ou, pe in keys],
            dtype=np.int64,
        )
        self.groups = len(groups)

    def empty(self) -> Array:
        return np.full(self.n, np.nan)


@dataclass
class Column:
    value: Array
    num: Array
    den: Array
    est: npt_bool
    own: npt_bool


npt_bool = Any  # a numpy bool array


def evaluate(
    registry: Registry,
    cells: pa.Table,
    reported: Iterable[Reported],
    units: UnitMap,
) -> dict[tuple[str, str, str, str], tuple[float | None, float | None, float | None, bool]]:
    """Every value, keyed by (dx, ou, pe, source)."""
    reported = list(reported)
    keys = sorted(
        set(zip(cells["code"].to_pylist(), cells["period"].to_pylist(), strict=True))
        | {(r.unit, r.period) for r in reported}
    )
    grid = Grid(keys, units)
    base = _platform_columns(cells, grid)
    out: dict[tuple[str, str, str, str], Any] = {}
    sources = [PLATFORM, *sorted({r.source for r in reported})]
    for source in sources:
        cols = (
            dict(base) if source == PLATFORM else _overlay(base, reported, source, grid, registry)
        )
        for code in registry.order:
            cols[code] = _indicator(registry.indicators[code], cols, grid, registry.targets)
        _emit(out, cols, grid, source, registry)
    return out


def _platform_columns(cells: pa.Table, grid: Grid) -> dict[str, Column]:
    cols: dict[str, Column] = {}
    pairs = zip(cells["code"].to_pylist(), cells["period"].to_pylist(), strict=True)
    idx = np.fromiter((grid.index[k] for k in pairs), dtype=np.int64, count=cells.num_rows)
    elements = np.asarray(cells["element"].to_pylist(), dtype=object)
    num = np.asarray(cells["num"].to_numpy(zero_copy_only=False), dtype=float)
    den = np.asarray(cells["den"].to_numpy(zero_copy_only=False), dtype=float)
    est = np.asarray(cells["est"].to_numpy(zero_copy_only=False), dtype=bool)
    for code in sorted(set(elements.tolist())):
        sel = elements == code
        col = cols[code] = Column(
            grid.empty(), grid.empty(), grid.empty(), np.zeros(grid.n, bool), np.zeros(grid.n, bool)
        )
        at = idx[sel]
        col.num[at], col.den[at], col.est[at], col.own[at] = num[sel], den[sel], est[sel], True
        # an average is sum ÷ count; a count or a sum is itself
        col.value[at] = np.where(np.isnan(den[sel]), num[sel], _divide(num[sel], den[sel]))
    return cols


def _overlay(
    base: Mapping[str, Column], reported: list[Reported], source: str, grid: Grid, reg: Registry
) -> dict[str, Column]:
    """The platform's columns, with this source's reported values over them."""
    cols = {
        k: Column(c.value.copy(), c.num.copy(), c.den.copy(), c.est.copy(), np.zeros(grid.n, bool))
        for k, c in base.items()
    }
    for r in reported:
        if r.source != source:
            continue
        col = cols.get(r.element)
        if col is None:
            col = cols[r.element] = Column(
                grid.empty(),
                grid.empty(),
                grid.empty(),
                np.zeros(grid.n, bool),
                np.zeros(grid.n, bool),
            )
        j = grid.index[(r.unit, r.period)]
        col.value[j] = col.num[j] = r.value
        col.den[j], col.est[j], col.own[j] = np.nan, False, True
    return cols


def _refs(ind: Indicator, cols: Mapping[str, Column], grid: Grid) -> tuple[Any, Any]:
    est, own = np.zeros(grid.n, bool), np.zeros(grid.n, bool)
    for ref in ind.refs:
        c = cols.get(ref)
        if c is not None:
            present = ~np.isnan(c.value)
            est |= c.est & present
            own |= c.own & present
    return est, own


def _indicator(
    ind: Indicator, cols: Mapping[str, Column], grid: Grid, targets: list[Target]
) -> Column:
    values = {k: c.value for k, c in cols.items()}
    est, own = _refs(ind, cols, grid)
    if ind.score_of:
        value = _score(ind, values.get(ind.score_of, grid.empty()), grid, targets)
        num, den = value, grid.empty()
    else:
        num = ind.numerator.evaluate(values, grid.n)
        den = ind.denominator.evaluate(values, grid.n) if ind.denominator else grid.empty()
        value = (_divide(num, den) if ind.denominator else num) * ind.factor
    allowed = np.isin(grid.kind, list(ind.periods))
    value = np.where(allowed, value, np.nan)
    return Column(value, num, den, est, own)


def _divide(a: Array, b: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = a / b
    return np.where(np.isfinite(out), out, np.nan)


def _score(ind: Indicator, base: Array, grid: Grid, targets: list[Target]) -> Array:
    norm, points = ind.normalise, ind.points or 0.0
    assert norm is not None
    if norm.method == "rate":
        share = base / norm.scale
    elif norm.method == "target":
        share = _divide(
            base,
            _targets(ind, grid, targets) if norm.target is None else np.full(grid.n, norm.target),
        )
    elif norm.method == "binary":
        share = np.where(np.isnan(base), np.nan, (base > norm.threshold).astype(float))
    else:
        share = _minmax(base, grid, inverse=norm.method == "inverse")
    return np.clip(share, 0.0, 1.0) * points


def _targets(ind: Indicator, grid: Grid, targets: list[Target]) -> Array:
    out = grid.empty()
    for t in targets:
        if t.indicator == ind.score_of and (t.unit, t.period) in grid.index:
            out[grid.index[(t.unit, t.period)]] = t.value
    return out


def _minmax(base: Array, grid: Grid, inverse: bool) -> Array:
    """Position between the lowest and highest unit of the same level and period."""
    lo = np.full(grid.groups, np.inf)
    hi = np.full(grid.groups, -np.inf)
    np.fmin.at(lo, grid.group, base)
    np.fmax.at(hi, grid.group, base)
    low, high = lo[grid.group], hi[grid.group]
    span = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (high - base) / span if inverse else (base - low) / span
    # every unit equal: all are at the top
    return np.where(np.isnan(base), np.nan, np.where(span > 0, share, 1.0))


def _emit(
    out: dict[Any, Any], cols: Mapping[str, Column], grid: Grid, source: str, reg: Registry
) -> None:
    for code, col in cols.items():
        if code in reg.elements and reg.elements[code].computed and source != PLATFORM:
            continue  # platform elements are stored once, under the platform
        keep = ~np.isnan(col.value)
        if source != PLATFORM:
            keep &= col.own
        at = np.flatnonzero(keep)
        # whole columns at a time: a loop over cells is most of the cost at 250k values
        keys = zip(repeat(code), grid.ou[at].tolist(), grid.pe[at].tolist(), repeat(source))
        cells = zip(
            round12(col.value[at]).tolist(),
            _nullable(round12(col.num[at])),
            _nullable(round12(col.den[at])),
            col.est[at].tolist(),
            strict=True,
        )
        out.update(zip(keys, cells, strict=True))


def round12(a: Array) -> Array:
    """12 significant digits: sums added in another order must not count as a change."""
    with np.errstate(divide="ignore", invalid="ignore"):
        digits = 11 - np.floor(np.log10(np.abs(a)))
    digits = np.where(np.isfinite(digits), digits, 0)
    scale = np.power(10.0, digits)
    result: Array = np.round(a * scale) / scale
    return result


def _nullable(a: Array) -> list[float | None]:
    """NaN → None (a missing numerator or denominator is stored as NULL)."""
    boxed = a.astype(object)
    boxed[np.isnan(a)] = None
    result: list[float | None] = boxed.tolist()
    return result
