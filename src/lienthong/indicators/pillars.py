"""A framework's main indices (``pillars``), read from its document, and the indicators they
generate: each scored component's points, each main index's published value, points and
value (points ÷ max), and the framework's total (Σ points ÷ scale)."""

from __future__ import annotations

from typing import Any

from lienthong.indicators import expr
from lienthong.indicators.model import (
    METHODS,
    Component,
    DataElement,
    Indicator,
    Normalisation,
    Pillar,
)
from lienthong.indicators.problems import Problems, items, periods_of

PUBLISHED_SUFFIX = "_CONG_BO"  # a main index's published value, reported
POINTS_SUFFIX = "_DIEM"
MEASURED_SUFFIX = "_DO_DUOC"
PILLAR_KEYS = {"code", "name", "name_en", "points", "published", "components", "transcribed"}
COMPONENT_KEYS = {
    "code",
    "name",
    "points",
    "source",
    "provenance",
    "transcribed",
    "indicator",
    "normalise",
    "periods",
}


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


def pillar(item: Any, where: str, p: Problems) -> Pillar:
    if not p.keys(where, item, PILLAR_KEYS):
        return Pillar("INVALID", None, 0)
    comps = [_component(c, f"{where}.components[{n}]", p) for n, c in items(item, "components")]
    points = item.get("points")
    if not isinstance(points, int | float) or points < 0:
        p.add(where, f"points must be a number ≥ 0, not {points!r}")
        points = 0
    return Pillar(
        code=p.code(where, item),
        name=item.get("name"),
        name_en=str(item.get("name_en", "")),
        points=float(points),
        components=tuple(comps),
        transcribed=bool(item.get("transcribed", True)),
    )


def _component(item: Any, where: str, p: Problems) -> Component:
    if not p.keys(where, item, COMPONENT_KEYS):
        return Component("INVALID", None, "reported", "reconstructed", False)
    source, prov = item.get("source"), item.get("provenance")
    if source not in ("computed", "reported"):
        p.add(where, f"source must be computed or reported, not {source!r}")
    if prov not in ("official", "reconstructed"):
        p.add(where, f"provenance must be official or reconstructed, not {prov!r}")
    if item.get("points") is not None and not isinstance(item.get("points"), int | float):
        p.add(where, f"points must be a number, not {item.get('points')!r}")
    return Component(
        code=p.code(where, item),
        name=item.get("name"),
        source=source if source in ("computed", "reported") else "reported",
        provenance=prov if prov in ("official", "reconstructed") else "reconstructed",
        transcribed=bool(item.get("transcribed", True)),
        points=item.get("points"),
        indicator=item.get("indicator"),
    )


def _normalisation(raw: Any, where: str, p: Problems) -> Normalisation:
    raw = raw or {"method": "rate"}
    if not p.keys(where, raw, {"method", "scale", "target", "threshold"}):
        return Normalisation("rate")
    method = str(raw.get("method"))
    if method not in METHODS:
        p.add(where, f"method {method!r} is not one of {', '.join(METHODS)}")
    if raw.get("scale") == 0:
        p.add(where, "divides by zero: scale is 0")
    if raw.get("target") == 0:
        p.add(where, "divides by zero: target is 0")
    return Normalisation(
        method,
        float(raw.get("scale", 1)),
        None if raw.get("target") is None else float(raw["target"]),
        float(raw.get("threshold", 0)),
    )


def generated(
    doc: dict[str, Any],
    pillars: list[Pillar],
    fw: str,
    periods: tuple[str, ...],
    scale: float | None,
    p: Problems,
) -> tuple[list[DataElement], list[Indicator]]:
    """The indicators the main indices imply (see the module's docstring)."""
    elements: list[DataElement] = []
    indicators: list[Indicator] = []
    raw_pillars = doc.get("pillars") or []
    scored: list[str] = []
    for n, (pillar, raw) in enumerate(zip(pillars, raw_pillars, strict=True)):
        parts = []
        for m, (c, rc) in enumerate(
            zip(pillar.components, raw.get("components") or [], strict=True)
        ):
            if c.indicator and c.points is not None:
                at = f"pillars[{n}].components[{m}]"
                norm = _normalisation(rc.get("normalise"), f"{at}.normalise", p)
                own = periods_of(rc.get("periods"), f"{at}.periods", p) or periods
                indicators.append(points_indicator(c, fw, own, norm))
                parts.append(c.code)
        if parts:  # the main index over what the platform measures, for quarterly rankings
            top = sum(c.points or 0 for c in pillar.components if c.code in parts)
            name = f"{pillar.name or pillar.code} (trên các thành phần đo được)"
            indicators.append(
                generated_indicator(
                    f"{pillar.code}{MEASURED_SUFFIX}",
                    name,
                    fw,
                    periods,
                    f"sum({', '.join(parts)})",
                    f"{top:g}",
                    "measured",
                )
            )
        if pillar.points <= 0:
            continue  # not scored (đô thị thông minh in 922): no main value
        sources = (
            [f"{pillar.code}{PUBLISHED_SUFFIX} * {pillar.points:g}"] if raw.get("published") else []
        )
        if parts:
            sources.append(f"sum({', '.join(parts)})")
        if not sources:
            continue
        if raw.get("published"):
            elements.append(published_element(pillar, fw))
        pts = f"{pillar.code}{POINTS_SUFFIX}"
        text = sources[0] if len(sources) == 1 else f"first({', '.join(sources)})"
        name = pillar.name or pillar.code
        indicators.append(
            generated_indicator(pts, f"{name} (điểm)", fw, periods, text, None, "points")
        )
        indicators.append(
            generated_indicator(pillar.code, name, fw, periods, pts, f"{pillar.points:g}", "main")
        )
        scored.append(pts)
    total = doc.get("total")
    if total and scored and scale:
        text = f"sum({', '.join(scored)})"
        indicators.append(
            generated_indicator(
                str(total["code"]),
                str(total.get("name", total["code"])),
                fw,
                periods,
                text,
                f"{scale:g}",
                "total",
            )
        )
    return elements, indicators
