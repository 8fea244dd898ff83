"""Problems found in a framework file, collected by path, and the checks every part uses."""

from __future__ import annotations

import re
from typing import Any

from lienthong.indicators.model import PERIOD_KINDS

CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")


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


def items(doc: dict[str, Any], key: str) -> list[tuple[int, Any]]:
    return list(enumerate(doc.get(key) or []))


def periods_of(raw: Any, where: str, p: Problems, required: bool = False) -> tuple[str, ...]:
    if raw is None or raw == []:
        if required:
            p.add(where, f"periods are missing: give a list of {', '.join(PERIOD_KINDS)}")
        return ()
    kinds = tuple(str(k) for k in (raw if isinstance(raw, list) else [raw]))
    for k in kinds:
        if k not in PERIOD_KINDS:
            p.add(where, f"unknown period kind {k!r}: use {', '.join(PERIOD_KINDS)}")
    return tuple(k for k in PERIOD_KINDS if k in kinds)
