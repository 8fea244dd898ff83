"""Unit codes as datasets hold them → units of the 2025 hierarchy, through `lienthong.units`.

A code dated before 1 July 2025 is read in the legacy hierarchy and goes to
its successor(s). An old unit split across several new ones has no published
split weights: its values are shared equally among them and flagged
`estimated`. A code that names no unit is left out and counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, select

from lienthong.core.errors import LienthongError
from lienthong.units import periods, service
from lienthong.units.schema import unit_successors
from lienthong.units.schema import units as units_table

CURRENT, LEGACY = service.CURRENT, service.LEGACY


@dataclass(frozen=True)
class Share:
    """Part of a raw unit's value that goes to a 2025 unit."""

    code: str
    weight: float
    estimated: bool


@dataclass
class UnitMap:
    """Cached look-ups for one computation (units do not change while it runs)."""

    conn: Connection
    _resolved: dict[tuple[str, str], tuple[Share, ...]] = field(default_factory=dict)
    _province: dict[str, str | None] = field(default_factory=dict)
    _level: dict[str, int | None] = field(default_factory=dict)
    _known: dict[tuple[str, str], bool] = field(default_factory=dict)
    _successors_of: dict[str, list[service.Successor]] = field(default_factory=dict)

    def prefetch(self, codes: Iterable[str]) -> None:
        """Look many codes up at once (two queries per 900 codes, not up to four per code)."""
        todo = sorted({c for c in codes if (c, CURRENT) not in self._known})
        u = units_table.c
        for i in range(0, len(todo), 900):
            chunk = todo[i : i + 900]
            for code in chunk:
                self._known[(code, CURRENT)] = self._known[(code, LEGACY)] = False
            stmt = select(u.code, u.hierarchy, u.level, u.province).where(
                u.code.in_(chunk), u.hierarchy.in_((CURRENT, LEGACY))
            )
            for code, hierarchy, level, province in self.conn.execute(stmt):
                self._known[(code, hierarchy)] = True
                if hierarchy == CURRENT:
                    self._level[code], self._province[code] = level, province
            for code in chunk:
                if not self._known[(code, CURRENT)]:
                    self._level[code] = self._province[code] = None
            legacy = [c for c in chunk if self._known[(c, LEGACY)]]
            for code in legacy:
                self._successors_of[code] = []
            if legacy:
                self._prefetch_successors(legacy)

    def _prefetch_successors(self, legacy: list[str]) -> None:
        t = unit_successors.c
        stmt = (
            select(t.legacy_code, t.code, t.partial)
            .where(t.legacy_code.in_(legacy))
            .order_by(t.legacy_code, t.preferred.desc(), t.code)  # as service.successors
        )
        for old, code, partial in self.conn.execute(stmt):
            self._successors_of[old].append(service.Successor(code, bool(partial)))

    def era(self, period: str) -> str:
        """The hierarchy a period's codes are read in (a year spanning the merger: today's)."""
        p = periods.parse(period)
        return LEGACY if p.end < service.MERGER else CURRENT

    def resolve(self, raw: str, era: str) -> tuple[Share, ...]:
        key = (raw, era)
        if key not in self._resolved:
            self._resolved[key] = self._lookup(raw, era)
        return self._resolved[key]

    def _lookup(self, raw: str, era: str) -> tuple[Share, ...]:
        order = (LEGACY, CURRENT) if era == LEGACY else (CURRENT, LEGACY)
        for hierarchy in order:
            if self._exists(raw, hierarchy):
                return self._current(raw) if hierarchy == CURRENT else self._successors(raw)
        return ()

    def _exists(self, code: str, hierarchy: str) -> bool:
        if (code, hierarchy) in self._known:
            return self._known[(code, hierarchy)]
        try:
            service.get(self.conn, code, hierarchy)
        except LienthongError:
            return False
        return True

    def _current(self, code: str) -> tuple[Share, ...]:
        return (Share(code, 1.0, False),)

    def _successors(self, legacy: str) -> tuple[Share, ...]:
        found = self._successors_of.get(legacy)
        if found is None:
            found = service.successors(self.conn, legacy)
        if not found:
            return ()
        split = len(found) > 1 or any(s.partial for s in found)
        return tuple(Share(s.code, 1.0 / len(found), split) for s in found)

    def province(self, code: str) -> str | None:
        """The 2025 province of a 2025 unit, or None for an unknown code."""
        if code not in self._province:
            try:
                self._province[code] = service.province_of(self.conn, code, CURRENT)
            except LienthongError:
                self._province[code] = None
        return self._province[code]

    def level(self, code: str) -> int | None:
        if code not in self._level:
            try:
                self._level[code] = service.get(self.conn, code, CURRENT).level
            except LienthongError:
                self._level[code] = None
        return self._level[code]

    def known(self, code: str, when: date | None = None) -> bool:
        """Whether a reported value's unit exists (today, or at `when`)."""
        if when is not None:
            return service.valid_at(self.conn, code, when)
        return self.level(code) is not None
