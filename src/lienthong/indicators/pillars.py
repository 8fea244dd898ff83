"""The indicators a framework's main indices generate: each component's points, each main
index's published value, points and value, and the framework's total."""

from __future__ import annotations

from lienthong.indicators import expr
from lienthong.indicators.model import Component, DataElement, Indicator, Normalisation, Pillar

PUBLISHED_SUFFIX = "_CONG_BO"  # a main index's published value, reported
POINTS_SUFFIX = "_DIEM"
MEASURED_SUFFIX = "_DO_DUOC"


def points_indicator(
    c: Component, fw: str, periods: tuple[str, ...], norm: Normalisation
) -> Indicator:
    return Indicator(
        code=c.code,
        name=c.name or c.code,
        framework=fw,
        numerator=expr.parse(c.indicator or "0"),
        score_of=c.indicator,
        points=c.points,
        normalise=norm,
        role="points",
        periods=periods,
        source=c.source,
        provenance=c.provenance,
        unit="điểm",
    )


def published_element(pillar: Pillar, fw: str) -> DataElement:
    code = f"{pillar.code}{PUBLISHED_SUFFIX}"
    return DataElement(
        code=code,
        name=f"{pillar.name or pillar.code} — giá trị công bố",
        name_en="published main-index value",
        source="reported",
        framework=fw,
        provenance="official",
        periods=("year",),
    )


def generated_indicator(
    code: str, name: str, fw: str, periods: tuple[str, ...], num: str, den: str | None, role: str
) -> Indicator:
    return Indicator(
        code=code,
        name=name,
        framework=fw,
        numerator=expr.parse(num),
        denominator=expr.parse(den) if den else None,
        periods=periods,
        role=role,
        provenance="official",
        unit="" if role != "points" else "điểm",
    )
