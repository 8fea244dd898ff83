"""The data source: the offline files of the `vietnamadminunits` package (MIT).

This is the only module that touches that package, and it reads the package's data files
without importing its code: that code imports an online geocoder (geopy) and calls it for
split wards, which we must never do. The statistics office's codes are used as they are:
2-digit provinces, 3-digit districts and 5-digit communes in both hierarchies.

Data files read: ``data/dataset.db`` (tables ``admin_units`` for the 34 provinces since
1 July 2025, ``admin_units_legacy`` for the 63 before) and ``data/converter_2025.json``
(the old→new mapping, keyed by folded names that ``dataset.db`` ties to codes).
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from lienthong.core.errors import NotFound, ValidationFailed

PACKAGE = "vietnamadminunits"
MERGER = date(2025, 7, 1)  # Resolution 202/2025/QH15: the 34 provinces take effect
LEGACY_FROM = date(2008, 8, 1)  # Hà Tây joins Hà Nội: the 63 provinces from then on
LEGACY_TO = date(2025, 6, 30)  # the legacy units' last day (validity ends are inclusive)

# the source's Vietnamese unit types → our kinds
KINDS = {
    "Xã": "xa",
    "Phường": "phuong",
    "Thị trấn": "thi_tran",
    "Đặc khu": "dac_khu",
    "Huyện": "district",
    "Quận": "district",
    "Thị xã": "district",
    "Thành phố": "district",
}


@dataclass(frozen=True)
class UnitRecord:
    """One unit as the source describes it, already in our vocabulary."""

    hierarchy: str
    code: str
    name: str
    short_name: str
    type_vi: str
    kind: str
    level: int
    parent: str | None
    province: str
    district: str | None
    valid_from: date
    valid_to: date | None
    area_km2: float | None
    lat: float | None
    lon: float | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class SuccessorRecord:
    """A legacy unit → a 2025 unit; `preferred` is the source's pick when one is needed."""

    legacy_code: str
    code: str
    partial: bool
    preferred: bool
    direct: bool = True


@dataclass
class Snapshot:
    """Everything the source holds, read once."""

    package: str
    version: str
    license: str
    units: list[UnitRecord] = field(default_factory=list)
    successors: list[SuccessorRecord] = field(default_factory=list)


def data_dir() -> Path:
    """Where the installed package keeps its data files (found without importing it)."""
    try:
        dist = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError:
        raise NotFound(f"the {PACKAGE} package is not installed: pip install {PACKAGE}") from None
    return Path(str(dist.locate_file(PACKAGE))) / "data"


def read(directory: Path | None = None) -> Snapshot:
    """Read both hierarchies and the mapping from the package's files (or a copy of them)."""
    directory = directory or data_dir()
    snap = Snapshot(PACKAGE, *_version_and_license())
    with closing(_open(directory / "dataset.db")) as db:
        current = list(_rows(db, "admin_units"))
        legacy = list(_rows(db, "admin_units_legacy"))
    snap.units = [*_current_units(current), *_legacy_units(legacy)]
    mapping = json.loads((directory / "converter_2025.json").read_text(encoding="utf-8"))
    snap.successors = _successors(mapping, current, legacy)
    return snap


def _version_and_license() -> tuple[str, str]:
    try:
        dist = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError:
        return "unknown", "unknown"
    first_line = license_text().strip().partition("\n")[0].strip()
    return dist.version, first_line or "unknown"


def license_text() -> str:
    """The licence file shipped in the package's wheel ("" if there is none)."""
    dist = metadata.distribution(PACKAGE)
    for name in ("licenses/LICENSE", "LICENSE", "LICENSE.txt"):
        text = dist.read_text(name)
        if text:
            return text
    return ""


def _open(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise NotFound(f"the units source file {path} is missing")
    # immutable: never write -wal/-shm files into site-packages
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    db.row_factory = sqlite3.Row
    return db


def _rows(db: sqlite3.Connection, table: str) -> Iterator[dict[str, Any]]:
    for row in db.execute(f"SELECT * FROM {table}"):  # noqa: S608  (fixed table names)
        yield {k: _text(v) for k, v in dict(row).items()}


def _text(value: Any) -> Any:
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value.strip())
        return value or None
    return value


def _aliases(raw: str | None) -> tuple[str, ...]:
    return tuple(json.loads(raw)) if raw else ()


def _kind(type_vi: str | None, where: str) -> str:
    if type_vi not in KINDS:
        raise ValidationFailed(f"the units source has an unknown unit type {type_vi!r} ({where})")
    return KINDS[type_vi]


def _type_of_province(name: str) -> str:
    return "Thành phố" if name.startswith("Thành phố") else "Tỉnh"


def _current_units(rows: list[dict[str, Any]]) -> Iterator[UnitRecord]:
    areas: dict[str, list[float | None]] = defaultdict(list)
    for r in rows:
        areas[r["provinceCode"]].append(r["wardAreaKm2"])
    seen: set[str] = set()
    for r in rows:
        province = r["provinceCode"]
        if province not in seen:
            seen.add(province)
            yield _province(r, "2025", MERGER, None, _total(areas[province]))
        yield UnitRecord(
            "2025", r["wardCode"], r["ward"], r["wardShort"], r["wardType"],
            _kind(r["wardType"], r["wardCode"]), 3, province, province, None, MERGER, None,
            r["wardAreaKm2"], r["wardLat"], r["wardLon"], _aliases(r["wardAlias"]),
        )  # fmt: skip


def _total(areas: list[float | None]) -> float | None:
    # a province's area is the sum of its communes', and unknown if any of theirs is
    if any(a is None for a in areas):
        return None
    return round(sum(a for a in areas if a is not None), 2)


def _province(
    r: dict[str, Any], hierarchy: str, start: date, end: date | None, area: float | None
) -> UnitRecord:
    code, name = r["provinceCode"], r["province"]
    return UnitRecord(
        hierarchy, code, name, r["provinceShort"], _type_of_province(name), "province", 1,
        None, code, None, start, end, area, r["provinceLat"], r["provinceLon"],
        _aliases(r["provinceAlias"]),
    )  # fmt: skip


def _legacy_units(rows: list[dict[str, Any]]) -> Iterator[UnitRecord]:
    seen: set[str] = set()
    for r in rows:
        province, district = r["provinceCode"], r["districtCode"]
        if province not in seen:
            seen.add(province)
            yield _province(r, "legacy", LEGACY_FROM, LEGACY_TO, None)
        if district not in seen:
            seen.add(district)
            yield UnitRecord(
                "legacy", district, r["district"], r["districtShort"], r["districtType"],
                _kind(r["districtType"], district), 2, province, province, district,
                LEGACY_FROM, LEGACY_TO, None, r["districtLat"], r["districtLon"],
                _aliases(r["districtAlias"]),
            )  # fmt: skip
        if r["wardCode"]:  # five island districts had no communes
            yield UnitRecord(
                "legacy", r["wardCode"], r["ward"], r["wardShort"], r["wardType"],
                _kind(r["wardType"], r["wardCode"]), 3, district, province, district,
                LEGACY_FROM, LEGACY_TO, None, r["wardLat"], r["wardLon"],
                _aliases(r["wardAlias"]),
            )  # fmt: skip


def _successors(
    mapping: dict[str, Any], current: list[dict[str, Any]], legacy: list[dict[str, Any]]
) -> list[SuccessorRecord]:
    """Old commune (or commune-less island district) → new commune, then districts and
    provinces derived from them: a unit is `partial` when it went to several new units."""
    new_code = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in current}
    old_code = {_old_key(r): r["wardCode"] or r["districtCode"] for r in legacy}
    targets: dict[str, dict[str, bool]] = defaultdict(dict)  # old → {new: preferred}

    for province, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, olds in wards.items():
            for old in olds:
                targets[_lookup(old_code, old)][_lookup(new_code, (province, ward))] = True
    for province, olds in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            for part in parts:
                new = _lookup(new_code, (province, part["newWardKey"]))
                targets[_lookup(old_code, old)][new] = bool(part["isDefaultNewWard"])
    derived = _add_districts(targets, legacy)
    _add_provinces(targets, mapping["DICT_PROVINCE"], current, legacy)
    return [
        SuccessorRecord(old, new, len(news) > 1, preferred, old not in derived)
        for old, news in sorted(targets.items())
        for new, preferred in sorted(news.items())
    ]


def _old_key(r: dict[str, Any]) -> str:
    return f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"


def _lookup(table: dict[Any, str], key: Any) -> str:
    if key not in table:
        raise ValidationFailed(f"the units mapping names {key!r}, which the unit tables lack")
    return table[key]


def _add_districts(targets: dict[str, dict[str, bool]], legacy: list[dict[str, Any]]) -> set[str]:
    """A district goes where its communes went; returns the districts so derived."""
    communes: dict[str, set[str]] = defaultdict(set)
    for r in legacy:
        if r["wardCode"]:  # island districts without communes are mapped directly
            communes[r["districtCode"]].add(r["wardCode"])
    for district, members in communes.items():
        news = {new for c in members for new in targets[c]}
        targets[district] = {new: len(news) == 1 for new in news}
    return set(communes)


def _add_provinces(
    targets: dict[str, dict[str, bool]],
    provinces: dict[str, list[str]],
    current: list[dict[str, Any]],
    legacy: list[dict[str, Any]],
) -> None:
    new_code = {r["provinceKey"]: r["provinceCode"] for r in current}
    old_code = {r["provinceKey"]: r["provinceCode"] for r in legacy}
    for new, olds in provinces.items():
        for old in olds:
            # provinces merged whole: each old one lies inside exactly one new one
            targets[_lookup(old_code, old)] = {_lookup(new_code, new): True}
