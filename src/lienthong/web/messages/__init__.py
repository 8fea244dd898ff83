"""Every phrase the pages and the report show: key → (Vietnamese, English).

One module per group of pages; `MESSAGES` joins them. A key is defined once: two
groups giving the same key different texts would make one page say the other's words.
"""

from __future__ import annotations

from types import ModuleType

from lienthong.web.messages import (
    auth,
    catalog,
    common,
    exchange,
    indicators,
    overview,
    plan,
    reports,
)

GROUPS: tuple[ModuleType, ...] = (
    common,
    overview,
    catalog,
    auth,
    indicators,
    exchange,
    plan,
    reports,
)


def merged(groups: tuple[ModuleType, ...]) -> dict[str, tuple[str, str]]:
    """The groups' messages in one dict; a key defined twice is an error at import."""
    out: dict[str, tuple[str, str]] = {}
    for group in groups:
        twice = sorted(out.keys() & group.MESSAGES.keys())
        if twice:
            raise ValueError(f"{group.__name__} defines message keys again: {twice}")
        out |= group.MESSAGES
    return out


MESSAGES = merged(GROUPS)
