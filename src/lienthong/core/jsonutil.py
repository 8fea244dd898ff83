"""Canonical JSON: one byte form for the same value, for hashing and signing."""

from __future__ import annotations

import json
from typing import Any


def canonical(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text kept as is.

    >>> canonical({"b": 1, "a": "Hải Phòng"})
    '{"a":"Hải Phòng","b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
