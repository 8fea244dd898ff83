"""One framework document → model objects; problems are collected, not raised one by one.

Main indices (``pillars``) are written once in the YAML and turned here into
indicators: each scored component's points, each main index's points and
value (points ÷ max), and the framework's total (Σ points ÷ scale).
"""

from __future__ import annotations

import re
from typing import Any

from lienthong.indicators import expr
from lienthong.indicators.model import (
    MEASURES,
    METHODS,
    OPS,
    PERIOD_KINDS,
    Component,
    Condition,
    DataElement,
    Framework,
    Indicator,
    Normalisation,
    Pillar,
    Target,
)
from lienthong.indicators.pillars import (
    MEASURED_SUFFIX,
    POINTS_SUFFIX,
    PUBLISHED_SUFFIX,
    generated_indicator,
    points_indicator,
    published_element,
)

CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
FIELD = re.compile(r"^[a-z][a-z0-9_]*$")

TOP_KEYS = {
    "code",
    "title",
    "title_en",
    "legal_basis",
    "periods",
    "score_periods",
    "scale",
    "official_components",
    "notes",
    "data_elements",
    "indicators",
    "pillars",
    "total",
    "targets",
}
ELEMENT_KEYS = {
    "code",
    "name",
    "name_en",
    "source",
    "unit",
    "dataset",
    "unit_field",
    "date_field",
    "measure",
    "field",
    "filter",
    "periods",
    "provenance",
}
INDICATOR_KEYS = {
    "code",
    "name",
    "name_en",
    "numerator",
    "denominator",
    "factor",
    "unit",
    "direction",
    "periods",
    "source",
    "provenance",
}
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


class Problems:
    """Messages by path in the file, e.g. ``dti.yaml: indicators[3].numerator``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.errors: dict[str, list[str]] = {}

    def add(self, where: str, message: str) -> None:
        self.errors.setdefault(f"{self.name}: {where}", []).append(message)

    def keys(self, where: str, item: Any, allowed: set[str]) -> bool:
        if not isinstance(item, dict):
            self.add(where, f"must be a mapping, not {type(item).__name__}")
            return False
        for k in sorted(set(item) - allowed):
            self.add(where, f"unknown key '{k}' (allowed: {', '.join(sorted(allowed))})")
        return True

    def code(self, where: str, item: dict[str, Any]) -> str:
        code = str(item.get("code", ""))
        if not CODE.match(code):
            self.add(where, f"code {code!r} must be upper-case letters, digits and _")
        return code


def framework(doc: Any, p: Problems, path: str) -> Framework | None:
    if not p.keys("(top)", doc, TOP_KEYS):
        return None
    code = str(doc.get("code", ""))
    periods = _periods(doc.get("periods"), "periods", p, required=True)
    elements = [
        _element(e, f"data_elements[{n}]", p, code) for n, e in _items(doc, "data_elements")
    ]
    indicators = [
        _indicator(i, f"indicators[{n}]", p, code, periods) for n, i in _items(doc, "indicators")
    ]
    pillars = [_pillar(x, f"pillars[{n}]", p) for n, x in _items(doc, "pillars")]
    scale = float(doc.get("scale") or sum(x.points for x in pillars) or 0) or None
    scored = _periods(doc.get("score_periods"), "score_periods", p) or periods
    gen_elements, gen_indicators = _generated(doc, pillars, code, scored, scale, p)
    return Framework(
        code=code,
        title=str(doc.get("title", code)),
        title_en=str(doc.get("title_en", "")),
        legal_basis=tuple(str(x) for x in doc.get("legal_basis") or ()),
        periods=periods,
        elements=tuple(e for e in [*elements, *gen_elements] if e is not None),
        indicators=tuple(i for i in [*indicators, *gen_indicators] if i is not None),
        pillars=tuple(pillars),
        targets=tuple(_target(t, f"targets[{n}]", p, code) for n, t in _items(doc, "targets")),
        scale=scale,
        official_components=doc.get("official_components"),
        notes=tuple(str(x) for x in doc.get("notes") or ()),
        path=path,
    )


def _items(doc: dict[str, Any], key: str) -> list[tuple[int, Any]]:
    return list(enumerate(doc.get(key) or []))


def _periods(raw: Any, where: str, p: Problems, required: bool = False) -> tuple[str, ...]:
    if raw is None or raw == []:
        if required:
            p.add(where, f"periods are missing: give a list of {', '.join(PERIOD_KINDS)}")
        return ()
    kinds = tuple(str(k) for k in (raw if isinstance(raw, list) else [raw]))
    for k in kinds:
        if k not in PERIOD_KINDS:
            p.add(where, f"unknown period kind {k!r}: use {', '.join(PERIOD_KINDS)}")
    return tuple(k for k in PERIOD_KINDS if k in kinds)


def _element(item: Any, where: str, p: Problems, fw: str) -> DataElement | None:
    if not p.keys(where, item, ELEMENT_KEYS):
        return None
    code, source = p.code(where, item), item.get("source")
    if source not in ("computed", "reported"):
        p.add(where, f"source must be computed or reported, not {source!r}")
        return None
    reported = source == "reported"
    element = DataElement(
        code=code,
        name=str(item.get("name", code)),
        name_en=str(item.get("name_en", "")),
        source=source,
        framework=fw,
        unit=str(item.get("unit", "")),
        provenance=item.get("provenance", "reconstructed"),
        periods=_periods(item.get("periods"), f"{where}.periods", p, True) if reported else (),
    )
    if reported:
        return element
    return _computed(item, where, p, element)


def _computed(item: dict[str, Any], where: str, p: Problems, e: DataElement) -> DataElement:
    for key in ("dataset", "unit_field", "date_field"):
        if not item.get(key):
            p.add(where, f"a computed data element needs '{key}'")
    measure = str(item.get("measure", "count"))
    if measure not in MEASURES:
        p.add(where, f"measure {measure!r} is not one of {', '.join(MEASURES)}")
    if measure != "count" and not item.get("field"):
        p.add(where, f"measure {measure} needs 'field'")
    for key in ("unit_field", "date_field", "field"):
        if item.get(key) and not FIELD.match(str(item[key])):
            p.add(where, f"{key} {item[key]!r} is not a field name")
    return DataElement(
        **{k: getattr(e, k) for k in ("code", "name", "name_en", "source", "framework", "unit")},
        dataset=item.get("dataset"),
        unit_field=item.get("unit_field"),
        date_field=item.get("date_field"),
        measure=measure,
        field=item.get("field"),
        filter=_filter(item.get("filter"), f"{where}.filter", p),
        provenance=e.provenance,
    )


def _filter(raw: Any, where: str, p: Problems) -> tuple[Condition, ...]:
    if raw is None:
        return ()
    if isinstance(raw, dict):  # {field: value}: equality, the common case
        raw = [{"field": k, "op": "eq", "value": v} for k, v in raw.items()]
    out = []
    for n, c in enumerate(raw if isinstance(raw, list) else [raw]):
        if not p.keys(f"{where}[{n}]", c, {"field", "op", "value"}):
            continue
        op = str(c.get("op", "eq"))
        if op not in OPS:
            p.add(f"{where}[{n}]", f"op {op!r} is not one of {', '.join(OPS)}")
        if not FIELD.match(str(c.get("field", ""))):
            p.add(f"{where}[{n}]", f"field {c.get('field')!r} is not a field name")
        if op in ("in", "not_in") and not isinstance(c.get("value"), list):
            p.add(f"{where}[{n}]", f"op {op} needs a list value")
        out.append(Condition(str(c.get("field")), op, _hashable(c.get("value"))))
    return tuple(out)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _expr(raw: Any, where: str, p: Problems) -> expr.Expr | None:
    if raw is None:
        return None
    try:
        return expr.parse(raw)
    except expr.ExpressionError as exc:
        p.add(where, exc.message)
        return None


def _indicator(
    item: Any, where: str, p: Problems, fw: str, periods: tuple[str, ...]
) -> Indicator | None:
    if not p.keys(where, item, INDICATOR_KEYS):
        return None
    code = p.code(where, item)
    if "numerator" not in item:
        p.add(where, "an indicator needs a numerator")
    numerator = _expr(item.get("numerator"), f"{where}.numerator", p)
    denominator = _expr(item.get("denominator"), f"{where}.denominator", p)
    own = _periods(item.get("periods"), f"{where}.periods", p) or periods
    for k in own:
        if k not in periods:
            p.add(f"{where}.periods", f"period kind {k} is not among the framework's periods")
    direction = item.get("direction", "up")
    if direction not in ("up", "down"):
        p.add(where, f"direction must be up or down, not {direction!r}")
    if numerator is None:
        return None
    return Indicator(
        code=code,
        name=str(item.get("name", code)),
        name_en=str(item.get("name_en", "")),
        framework=fw,
        numerator=numerator,
        denominator=denominator,
        factor=float(item.get("factor", 1)),
        unit=str(item.get("unit", "")),
        direction=direction,
        periods=own,
        source=item.get("source", "computed"),
        provenance=item.get("provenance", "reconstructed"),
    )


def _pillar(item: Any, where: str, p: Problems) -> Pillar:
    if not p.keys(where, item, PILLAR_KEYS):
        return Pillar("INVALID", None, 0)
    comps = [_component(c, f"{where}.components[{n}]", p) for n, c in _items(item, "components")]
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


def _generated(
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
                own = _periods(rc.get("periods"), f"{at}.periods", p) or periods
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


def _target(item: Any, where: str, p: Problems, fw: str) -> Target:
    if not p.keys(where, item, {"indicator", "unit", "period", "value", "basis", "cited"}):
        return Target("", "", "", 0, "", "")
    for key in ("indicator", "unit", "period", "value", "basis", "cited"):
        if item.get(key) is None:
            p.add(where, f"a target needs '{key}'")
    return Target(
        indicator=str(item.get("indicator")),
        unit=str(item.get("unit")),
        period=str(item.get("period")),
        value=float(item.get("value") or 0),
        basis=str(item.get("basis")),
        cited=str(item.get("cited")),
        framework=fw,
    )
