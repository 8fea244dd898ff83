"""One framework document → model objects; problems are collected, not raised one by one.

Data elements, indicators and targets are read here; the main indices (``pillars``) and the
indicators they generate in `pillars`; the collector and the checks both use in `problems`.
"""

from __future__ import annotations

import re
from typing import Any

from lienthong.indicators import expr
from lienthong.indicators.model import (
    MEASURES,
    OPS,
    Condition,
    DataElement,
    Framework,
    Indicator,
    Target,
)
from lienthong.indicators.pillars import generated, pillar
from lienthong.indicators.problems import Problems, items, periods_of

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


def framework(doc: Any, p: Problems, path: str) -> Framework | None:
    if not p.keys("(top)", doc, TOP_KEYS):
        return None
    code = str(doc.get("code", ""))
    periods = periods_of(doc.get("periods"), "periods", p, required=True)
    elements = [_element(e, f"data_elements[{n}]", p, code) for n, e in items(doc, "data_elements")]
    indicators = [
        _indicator(i, f"indicators[{n}]", p, code, periods) for n, i in items(doc, "indicators")
    ]
    pillars = [pillar(x, f"pillars[{n}]", p) for n, x in items(doc, "pillars")]
    scale = float(doc.get("scale") or sum(x.points for x in pillars) or 0) or None
    scored = periods_of(doc.get("score_periods"), "score_periods", p) or periods
    gen_elements, gen_indicators = generated(doc, pillars, code, scored, scale, p)
    return Framework(
        code=code,
        title=str(doc.get("title", code)),
        title_en=str(doc.get("title_en", "")),
        legal_basis=tuple(str(x) for x in doc.get("legal_basis") or ()),
        periods=periods,
        elements=tuple(e for e in [*elements, *gen_elements] if e is not None),
        indicators=tuple(i for i in [*indicators, *gen_indicators] if i is not None),
        pillars=tuple(pillars),
        targets=tuple(_target(t, f"targets[{n}]", p, code) for n, t in items(doc, "targets")),
        scale=scale,
        official_components=doc.get("official_components"),
        notes=tuple(str(x) for x in doc.get("notes") or ()),
        path=path,
    )


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
        periods=periods_of(item.get("periods"), f"{where}.periods", p, True) if reported else (),
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
    own = periods_of(item.get("periods"), f"{where}.periods", p) or periods
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
