"""What a pack is: owner agencies, tables (a dataset each) and how their rows are made.

A table's rows are generated in fixed chunks of CHUNK rows; chunk c of table t draws from
its own random stream (seed, t, c), so the bytes of a chunk never depend on how many
chunks come before or after it, nor on the order they are made in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cached_property
from typing import Any

import numpy as np
import pyarrow as pa

from lienthong.demo import synth
from lienthong.demo.geo import PROVINCE, Commune
from lienthong.demo.people import People

CHUNK = 65_536
MIN_SCALE, MAX_SCALE = 0.01, 10.0
DEMO_TAG = "demo-hai-phong"  # every pack's dataset carries it, synthetic or not
SYNTHETIC_TAGS = ("synthetic", "du-lieu-mo-phong", DEMO_TAG)
SYNTHETIC_NOTE = (
    "(dữ liệu mô phỏng) Dữ liệu tổng hợp, sinh ngẫu nhiên có hạt giống cho bản trình diễn "
    "Hải Phòng: không phải dữ liệu thật; tên, số định danh, mã số thuế đúng định dạng "
    "nhưng giả. Synthetic demo data: not real records."
)


@dataclass(frozen=True)
class Owner:
    """The agency (or firm) that owns a table: a registry member."""

    member_class: str
    member_code: str
    name: str
    name_en: str

    @property
    def ref(self) -> str:
        return f"{self.member_class}/{self.member_code}"


@dataclass
class Context:
    """What a generator needs: the seed, the scale, the communes, the people, and the row
    count of every table at this scale (children refer to their parents by index)."""

    seed: int
    scale: float
    communes: list[Commune]
    counts: dict[str, int] = dc_field(default_factory=dict)

    @cached_property
    def people(self) -> People:
        return People(self.seed, self.communes)

    @cached_property
    def codes(self) -> list[str]:
        return [c.code for c in self.communes]

    def rng(self, table: str, start: int) -> np.random.Generator:
        return synth.generator(self.seed, table, start // CHUNK)

    def commune_array(self, attr: str) -> np.ndarray:
        return np.array([getattr(c, attr) for c in self.communes])


Generate = Callable[[Context, int, int], pa.Table]


@dataclass(frozen=True)
class Table:
    """One dataset of a pack: its catalogue entry, its schema and its generator."""

    name: str
    title: str
    title_en: str
    about: str
    owner: Owner
    fields: list[dict[str, Any]]
    generate: Generate
    rows: int  # at 1×: the articles' scale
    basis: str  # where `rows` comes from: an article's figure, or our assumption
    classification: str = "shared"
    frequency: str = "monthly"
    primary_key: tuple[str, ...] = ()
    indexes: tuple[str | tuple[str, ...], ...] = ()
    fixed: bool = False  # a catalogue (5 junctions, 114 communes…): the same at any scale
    per_parent: tuple[str, int] | None = None  # k rows for each row of another table
    synthetic: bool = True
    tags: tuple[str, ...] = ()
    temporal: tuple[str, str] | None = None

    def count(self, scale: float, counts: dict[str, int] | None = None) -> int:
        """Rows at `scale` (catalogues keep their size; nothing falls below one row)."""
        if self.per_parent is not None and counts is not None:
            parent, k = self.per_parent
            return counts[parent] * k
        if self.fixed:
            return self.rows
        return max(1, round(self.rows * scale))

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    def schema(self) -> dict[str, Any]:
        return {
            "fields": self.fields,
            "primaryKey": list(self.primary_key),
            "indexes": [list(i) if isinstance(i, tuple) else i for i in self.indexes],
        }

    def dataset(self) -> dict[str, Any]:
        """The catalogue entry (DatasetIn's input): synthetic ones say so everywhere."""
        scale_note = f"Quy mô 1× (scale 1×): {self.rows:,} bản ghi — {self.basis}"
        if self.synthetic:
            title, title_en = f"{self.title} (dữ liệu mô phỏng)", f"{self.title_en} (synthetic)"
            description = f"{SYNTHETIC_NOTE}\n\n{self.about}\n\n{scale_note}"
            tags = [*SYNTHETIC_TAGS, *self.tags]
        else:
            title, title_en = self.title, self.title_en
            description, tags = f"{self.about}\n\n{self.basis}", [DEMO_TAG, *self.tags]
        out: dict[str, Any] = {
            "name": self.name,
            "owner": self.owner.ref,
            "title": title,
            "title_en": title_en,
            "description": description,
            "tags": tags,
            "classification": self.classification,
            "update_frequency": self.frequency,
            "spatial": [PROVINCE],
            "schema": self.schema(),
        }
        if self.temporal:
            out["temporal_start"], out["temporal_end"] = self.temporal
        return out


@dataclass(frozen=True)
class Pack:
    """A sector's tables, in load order (parents before children)."""

    key: str
    title: str
    tables: tuple[Table, ...]


def field(
    name: str,
    type_: str,
    title: str,
    description: str | None = None,
    *,
    personal: bool = False,
    subject: str | None = None,
    fmt: str | None = None,
    **constraints: Any,
) -> dict[str, Any]:
    """A Table Schema field; constraints by their Table Schema names (required, enum…)."""
    out: dict[str, Any] = {"name": name, "type": type_, "title": title}
    if description:
        out["description"] = description
    if fmt:
        out["format"] = fmt
    if constraints:
        out["constraints"] = constraints
    if personal:
        out["personal"] = True
    if subject:
        out["subject"] = subject
    return out


def commune_field(
    description: str = "Mã đơn vị hành chính cấp xã (mã thống kê, từ 01/7/2025)",
) -> dict[str, Any]:
    return field(
        "ma_xa", "string", "Mã xã/phường/đặc khu", description, required=True, pattern=r"\d{5}"
    )


def table_of(t: Table, columns: dict[str, pa.Array | np.ndarray]) -> pa.Table:
    """The generated columns in the schema's order (a missing or stray column is a bug)."""
    missing = [n for n in t.field_names if n not in columns]
    extra = [n for n in columns if n not in t.field_names]
    if missing or extra:
        raise AssertionError(f"{t.name}: columns missing {missing}, unexpected {extra}")
    return pa.table({n: columns[n] for n in t.field_names})


def share_split(total: int, shares: list[float]) -> np.ndarray:
    """`total` split by `shares` into integers that add up exactly (largest remainder)."""
    raw = np.asarray(shares, dtype=np.float64) / sum(shares) * total
    out = np.floor(raw).astype(np.int64)
    rest = total - int(out.sum())
    out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out
