"""Framework YAML → checked model. Every problem is found before anything is stored.

Checks: unknown keys and codes, cycles between indicators, references to
unknown data elements, divisions by a constant zero, missing or impossible
periods (an indicator computed monthly over an element reported yearly),
targets for unknown indicators or periods.

>>> reg = load_shipped()
>>> sorted(reg.frameworks)[:2]
['digital-economy', 'dti-province-405']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from lienthong.core.errors import ValidationFailed
from lienthong.indicators import build
from lienthong.indicators.model import PERIOD_KINDS, Framework, Indicator, Registry
from lienthong.indicators.problems import Problems

FRAMEWORKS_PACKAGE = "lienthong.indicators.frameworks"


class FrameworkInvalid(ValidationFailed):
    """A framework file that cannot be used; `errors` maps a path in the file to messages."""


def shipped_paths() -> list[Path]:
    """The framework files shipped in the package."""
    root = resources.files(FRAMEWORKS_PACKAGE)
    return sorted(Path(str(p)) for p in root.iterdir() if str(p).endswith(".yaml"))


def load_shipped() -> Registry:
    """The shipped frameworks, checked (cached: they do not change while we run)."""
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = load_paths(shipped_paths())
    return _SHIPPED


_SHIPPED: Registry | None = None


def load_paths(paths: Iterable[Path]) -> Registry:
    docs = []
    for path in paths:
        docs.append((str(path), _read(path)))
    return load_documents(docs)


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FrameworkInvalid(
            f"{path.name} is not valid YAML: {exc}", errors={path.name: [str(exc)]}
        ) from None


def load_documents(docs: Iterable[tuple[str, Any]]) -> Registry:
    """Check and merge framework documents (`(name, parsed YAML)` pairs) into a registry."""
    errors: dict[str, list[str]] = {}
    frameworks = []
    for name, doc in docs:
        problems = Problems(Path(name).name)
        fw = build.framework(doc, problems, name)
        errors |= problems.errors
        if fw is not None:
            frameworks.append(fw)
    registry = _merge(frameworks, errors)
    _check_graph(registry, errors)
    if errors:
        first = next(iter(errors.items()))
        count = sum(len(v) for v in errors.values())
        raise FrameworkInvalid(
            f"{count} problem(s) in the frameworks; first: {first[1][0]}", errors=errors
        )
    return registry


def _merge(frameworks: list[Framework], errors: dict[str, list[str]]) -> Registry:
    reg = Registry()
    for fw in frameworks:
        if fw.code in reg.frameworks:
            errors.setdefault(fw.code, []).append(f"framework {fw.code} is defined twice")
        reg.frameworks[fw.code] = fw
        for e in fw.elements:
            if e.code in reg.elements or e.code in reg.indicators:
                errors.setdefault(f"{fw.code}.{e.code}", []).append(
                    f"code {e.code} is defined twice"
                )
            reg.elements[e.code] = e
        for i in fw.indicators:
            if i.code in reg.elements or i.code in reg.indicators:
                errors.setdefault(f"{fw.code}.{i.code}", []).append(
                    f"code {i.code} is defined twice"
                )
            reg.indicators[i.code] = i
    return reg


def _check_graph(reg: Registry, errors: dict[str, list[str]]) -> None:
    for ind in reg.indicators.values():
        where = f"{ind.framework}.{ind.code}"
        for ref in sorted(ind.refs):
            if ref not in reg.elements and ref not in reg.indicators:
                errors.setdefault(where, []).append(
                    f"indicator {ind.code} refers to an unknown data element or indicator '{ref}'"
                )
        _check_division(ind, errors.setdefault(where, []))
    order, cycle = _topological(reg.indicators)
    if cycle:
        errors.setdefault("cycle", []).append(
            "indicators depend on each other in a cycle: " + " → ".join(cycle)
        )
    reg.order = order
    if not cycle:
        _check_periods(reg, errors)
    _check_targets(reg, errors)
    for key in [k for k, v in errors.items() if not v]:
        del errors[key]


def _check_division(ind: Indicator, out: list[str]) -> None:
    divisors = [*ind.numerator.divisions()]
    if ind.denominator is not None:
        divisors.append(ind.denominator)
        divisors += ind.denominator.divisions()
    for d in divisors:
        if d.constant() == 0:
            out.append(f"indicator {ind.code} divides by zero: its divisor '{d.text}' is always 0")


def _topological(indicators: Mapping[str, Indicator]) -> tuple[list[str], list[str]]:
    """Dependencies first; or the first cycle found, as a path that ends where it starts."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    order: list[str] = []
    path: list[str] = []

    def visit(code: str) -> list[str]:
        state[code] = 1
        path.append(code)
        for ref in sorted(indicators[code].refs):
            if ref not in indicators:
                continue
            if state.get(ref) == 1:
                return [*path[path.index(ref) :], ref]
            if ref not in state and (found := visit(ref)):
                return found
        path.pop()
        state[code] = 2
        order.append(code)
        return []

    for code in sorted(indicators):
        if code not in state and (cycle := visit(code)):
            return order, cycle
    return order, []


def _periods_of(reg: Registry, code: str) -> tuple[str, ...]:
    if code in reg.elements:
        e = reg.elements[code]
        return PERIOD_KINDS if e.computed else e.periods
    return reg.indicators[code].periods


def _check_periods(reg: Registry, errors: dict[str, list[str]]) -> None:
    for code in reg.order:
        ind = reg.indicators[code]
        if ind.role not in ("indicator", "component") and not ind.score_of:
            continue  # main indices and totals add up what is there: missing parts count 0
        for ref in sorted(ind.refs):
            if ref not in reg.elements and ref not in reg.indicators:
                continue
            have = _periods_of(reg, ref)
            missing = [k for k in ind.periods if k not in have]
            if missing:
                errors.setdefault(f"{ind.framework}.{code}", []).append(
                    f"indicator {code} is computed per {', '.join(missing)} but '{ref}' has no "
                    f"values per {', '.join(missing)} (it has: {', '.join(have) or 'none'})"
                )


def _check_targets(reg: Registry, errors: dict[str, list[str]]) -> None:
    from lienthong.units import periods

    for fw in reg.frameworks.values():
        for n, t in enumerate(fw.targets):
            where = f"{fw.code}.targets[{n}]"
            ind = reg.indicators.get(t.indicator)
            if ind is None:
                errors.setdefault(where, []).append(f"target for unknown indicator '{t.indicator}'")
                continue
            try:
                kind = periods.parse(t.period).kind
            except ValidationFailed as exc:
                errors.setdefault(where, []).append(f"target period: {exc.message}")
                continue
            if kind not in ind.periods:
                errors.setdefault(where, []).append(
                    f"target period {t.period} is a {kind}, but {t.indicator} is computed per "
                    f"{', '.join(ind.periods)}"
                )
