"""Data elements, indicators, targets and frameworks, as loaded from the framework YAML.

A data element is either computed from a warehouse dataset by a declarative
aggregation or reported by a member (GRDP from the statistics office). An
indicator is ``numerator ÷ denominator × factor`` over elements and other
indicators; a scored indicator turns another one into points by a
normalisation method. Frameworks group them, with their main indices
(pillars), targets and provenance.

>>> Condition("kenh", "eq", "truc_tuyen").describe()
"kenh = 'truc_tuyen'"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from lienthong.indicators.expr import Expr

Source = Literal["computed", "reported"]
Provenance = Literal["official", "reconstructed"]
MEASURES = ("count", "sum", "avg", "distinct")
OPS = ("eq", "ne", "in", "not_in", "gt", "ge", "lt", "le", "is_null", "not_null")
METHODS = ("rate", "target", "binary", "minmax", "inverse")
PERIOD_KINDS = ("month", "quarter", "year")
PLATFORM = "platform"  # the source of values computed from platform data


@dataclass(frozen=True)
class Condition:
    """One filter clause of a computed data element."""

    field: str
    op: str
    value: Any = None

    def describe(self) -> str:
        symbols = {"eq": "=", "ne": "≠", "gt": ">", "ge": "≥", "lt": "<", "le": "≤"}
        if self.op in ("is_null", "not_null"):
            return f"{self.field} {self.op.replace('_', ' ')}"
        return f"{self.field} {symbols.get(self.op, self.op)} {self.value!r}"


@dataclass(frozen=True)
class DataElement:
    code: str
    name: str
    source: Source
    framework: str
    name_en: str = ""
    unit: str = ""
    dataset: str | None = None
    unit_field: str | None = None
    date_field: str | None = None
    measure: str = "count"
    field: str | None = None
    filter: tuple[Condition, ...] = ()
    provenance: Provenance = "reconstructed"
    periods: tuple[str, ...] = PERIOD_KINDS  # a reported element: the kinds it is reported at

    @property
    def computed(self) -> bool:
        return self.source == "computed"

    @property
    def additive(self) -> bool:
        """Whether values of parts add up to the value of the whole (months, communes)."""
        return self.measure in ("count", "sum", "avg")

    def scan_key(self) -> tuple[str, str, str]:
        """Elements sharing a key are computed together, in one pass over the data."""
        assert self.dataset
        assert self.unit_field
        assert self.date_field
        return (self.dataset, self.unit_field, self.date_field)


@dataclass(frozen=True)
class Normalisation:
    """How a scored component turns its value into a share of its points (0 … 1)."""

    method: str
    scale: float = 1.0  # rate: the value that earns all points (100 for a percentage)
    target: float | None = None  # target: a fixed target; else the framework's targets
    threshold: float = 0.0  # binary: values above it earn all points


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    framework: str
    numerator: Expr
    denominator: Expr | None = None
    factor: float = 1.0
    unit: str = ""
    direction: Literal["up", "down"] = "up"
    periods: tuple[str, ...] = PERIOD_KINDS
    name_en: str = ""
    # a scored indicator: `normalise(score_of) × points`
    score_of: str | None = None
    points: float | None = None
    normalise: Normalisation | None = None
    role: str = "indicator"  # indicator | component | points | main | total
    source: Source = "computed"
    provenance: Provenance = "reconstructed"

    @property
    def refs(self) -> frozenset[str]:
        refs = set(self.numerator.refs)
        if self.denominator is not None:
            refs |= self.denominator.refs
        if self.score_of:
            refs.add(self.score_of)
        return frozenset(refs)


@dataclass(frozen=True)
class Target:
    """A target: `indicator` should reach `value` at `unit` by the end of `period`."""

    indicator: str
    unit: str
    period: str
    value: float
    basis: str  # the document that sets it
    cited: str  # where we read it (a seed article, or "not in the seeds")
    framework: str = ""


@dataclass(frozen=True)
class Component:
    """A component of a main index: what the official text lists, and what we measure."""

    code: str
    name: str | None
    source: Source
    provenance: Provenance
    transcribed: bool = True
    points: float | None = None
    indicator: str | None = None  # the indicator that measures it, if we measure it


@dataclass(frozen=True)
class Pillar:
    code: str
    name: str | None
    points: float
    components: tuple[Component, ...] = ()
    transcribed: bool = True
    name_en: str = ""


@dataclass(frozen=True)
class Framework:
    code: str
    title: str
    legal_basis: tuple[str, ...]
    periods: tuple[str, ...]
    elements: tuple[DataElement, ...]
    indicators: tuple[Indicator, ...]
    pillars: tuple[Pillar, ...] = ()
    targets: tuple[Target, ...] = ()
    scale: float | None = None
    official_components: int | None = None
    title_en: str = ""
    notes: tuple[str, ...] = ()
    path: str = ""

    def components(self) -> list[Component]:
        return [c for p in self.pillars for c in p.components]

    def coverage(self) -> dict[str, Any]:
        """How many components we list, and which share is computed from platform data."""
        comps = self.components()
        if not comps:  # a framework of plain indicators: count those
            comps = [
                Component(i.code, i.name, i.source, i.provenance)
                for i in self.indicators
                if i.role in ("indicator", "component")
            ]
        computed = sum(1 for c in comps if c.source == "computed" and c.transcribed)
        total = self.official_components or len(comps)
        return {
            "components_official": self.official_components,
            "components_listed": len(comps),
            "components_transcribed": sum(1 for c in comps if c.transcribed),
            "computed": computed,
            "reported": sum(1 for c in comps if c.source == "reported" and c.transcribed),
            "share_computed": round(computed / total, 4) if total else 0.0,
        }


@dataclass
class Registry:
    """Every loaded framework, with their elements and indicators by code."""

    frameworks: dict[str, Framework] = field(default_factory=dict)
    elements: dict[str, DataElement] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # indicators, dependencies first

    @property
    def targets(self) -> list[Target]:
        return [t for f in self.frameworks.values() for t in f.targets]

    def computed_elements(self) -> list[DataElement]:
        return [e for e in self.elements.values() if e.computed]

    def dependents(self, codes: Mapping[str, Any] | set[str]) -> set[str]:
        """Indicators that depend, directly or not, on any of `codes`."""
        found: set[str] = set()
        for code in self.order:
            if self.indicators[code].refs & (set(codes) | found):
                found.add(code)
        return found

    def describe(self, code: str) -> dict[str, Any]:
        if code in self.elements:
            e = self.elements[code]
            return {"code": code, "name": e.name, "kind": "data_element", "unit": e.unit}
        i = self.indicators[code]
        return {"code": code, "name": i.name, "kind": "indicator", "unit": i.unit}
