"""Search keys for unit names: folded, compact, with the usual abbreviations.

A key drops diacritics, case, spaces and punctuation, so "Hải Phòng", "hai phong" and
"HaiPhong" meet, and "TP.HCM", "tp hcm" and "tphcm" too. Keys of one unit carry a quality:
the full official name beats the short name, which beats a former name (alias).

>>> key("Thành phố Hải Phòng"), key("tp. Hồ Chí Minh")
('thanhphohaiphong', 'tphochiminh')
>>> sorted(keys("Quận 1", "Quận 1", "Quận", ()))
[('q1', 1), ('quan1', 0)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lienthong.core.vntext import fold

OFFICIAL, SHORT, ALIAS = 0, 1, 2
MAX_QUERY = 100  # characters: longer than any unit's full name with its province

_NOT_KEY = re.compile(r"[^0-9a-z]+")
# how addresses abbreviate unit types ("TP. Hải Phòng", "Q.1", "P. 15", "TX Kinh Môn")
_ABBREVIATIONS = {
    "Thành phố": ("tp",),
    "Thị xã": ("tx",),
    "Thị trấn": ("tt",),
    "Quận": ("q",),
    "Huyện": ("h",),
    "Phường": ("p",),
    "Đặc khu": ("dk",),
}


def key(text: str) -> str:
    """The compact folded form of a name or query: letters and digits only."""
    return _NOT_KEY.sub("", fold(text))


def keys(name: str, short: str, type_vi: str, aliases: Iterable[str]) -> set[tuple[str, int]]:
    """Every key a unit answers to, with its quality (lower is better)."""
    found = {(key(name), OFFICIAL), (key(short), SHORT)}
    abbreviations = _ABBREVIATIONS.get(type_vi, ())
    stem = key(short)
    if stem.startswith(key(type_vi)) and stem != key(type_vi):
        stem = stem[len(key(type_vi)) :]  # numbered units: "Quận 1" is short for itself
    found |= {(a + stem, SHORT) for a in abbreviations}
    for alias in filter(None, map(key, aliases)):
        found |= {(alias, ALIAS)} | {(a + alias, ALIAS) for a in abbreviations}  # "tp hcm"
    best: dict[str, int] = {}
    for k, quality in found:
        if k:
            best[k] = min(quality, best.get(k, quality))
    return set(best.items())


def search_key(pairs: Iterable[tuple[str, int]]) -> str:
    """One text holding all keys, bounded by "|", for exact (|k|) and prefix (|k) matches.

    >>> search_key([("haiphong", 1), ("thanhphohaiphong", 0)])
    '|thanhphohaiphong|haiphong|'
    """
    ordered = sorted(pairs, key=lambda p: (p[1], p[0]))
    return "|" + "|".join(k for k, _ in ordered) + "|"
