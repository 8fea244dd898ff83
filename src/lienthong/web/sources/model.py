"""The values the scoreboard shows, whatever part they come from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Provenance(StrEnum):
    """Where a figure comes from; every figure on every page shows one."""

    OFFICIAL = "official"  # published by an authority (statistics office, ministry, article)
    COMPUTED = "computed"  # computed here from platform data
    SYNTHETIC = "synthetic"  # computed from generated demo data: not a real measurement
    NONE = "none"  # no data yet


@dataclass(frozen=True)
class Point:
    period: str
    value: float | None


@dataclass(frozen=True)
class Target:
    value: float
    period: str
    source: str


@dataclass(frozen=True)
class Figure:
    """One headline figure: value, trend, target and where it comes from."""

    key: str
    title: str
    title_en: str | None = None
    value: float | None = None
    unit: str = ""
    period: str | None = None
    digits: int = 1
    series: tuple[Point, ...] = ()
    target: Target | None = None
    # "up" means higher is better
    direction: str = "up"
    updated_at: datetime | None = None
    provenance: Provenance = Provenance.NONE
    source: str | None = None
    estimated: bool = False
    href: str | None = None
    # smaller figures shown under the headline (e.g. the DTI's main indices)
    parts: tuple[Figure, ...] = field(default=())
    note_key: str | None = None
    # values the note's phrase takes ({measured} of {official} components…)
    note_values: tuple[tuple[str, int | float | str], ...] = ()

    @property
    def has_value(self) -> bool:
        return self.value is not None

    @property
    def progress(self) -> float | None:
        """Share of the way to the target (target ÷ value when lower is better)."""
        if self.value is None or self.target is None or not self.target.value:
            return None
        if self.direction == "down":
            return self.target.value / self.value if self.value else 1.0
        return self.value / self.target.value


@dataclass(frozen=True)
class Ranked:
    """One unit's place in a ranking."""

    rank: int | None
    code: str
    name: str
    value: float | None
    lat: float | None = None
    lon: float | None = None
    estimated: bool = False


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    title: str
    title_en: str | None = None
    definition: str = ""
    numerator: str = ""
    denominator: str = ""
    unit: str = ""
    factor: float = 1.0
    direction: str = "up"
    framework: str = ""
    role: str = "indicator"
    # the framework's words: official | reconstructed, and computed | reported
    provenance: str = ""
    source_kind: str = ""
    dataset: str | None = None
