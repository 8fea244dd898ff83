"""The catalog as the pages show it: visible datasets, search, the warehouse's size."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import RowMapping

from lienthong.catalog import access, service
from lienthong.catalog.schema import datasets
from lienthong.core.auth import Principal
from lienthong.core.vntext import fold

# datasets whose records come from a generator carry this tag (the demo's packs do)
SYNTHETIC_TAGS = frozenset({"synthetic", "dữ liệu giả lập", "du-lieu-gia-lap"})


@dataclass(frozen=True)
class WarehouseSize:
    """How big the shared warehouse is: the articles count it in fields and records."""

    datasets: int
    fields: int
    records: int
    updated_at: datetime | None
    synthetic_datasets: int

    @property
    def empty(self) -> bool:
        return self.datasets == 0


def is_synthetic(row: RowMapping) -> bool:
    tags = {str(t).casefold() for t in json.loads(row["tags"] or "[]")}
    return bool(tags & SYNTHETIC_TAGS)


def any_synthetic(conn: Connection, names: set[str]) -> bool:
    """Whether any of these datasets holds generated data."""
    q = select(datasets.c.tags).where(datasets.c.name.in_(sorted(names)))
    return any(is_synthetic(r) for r in conn.execute(q).mappings())


def warehouse_size(conn: Connection) -> WarehouseSize:
    """Counts over every active dataset: an aggregate, so fine to show to anyone."""
    rows = conn.execute(
        select(datasets.c.table_schema, datasets.c.tags).where(datasets.c.state == "active")
    ).mappings()
    n = fields = synthetic = 0
    for row in rows:
        n += 1
        fields += len(json.loads(row["table_schema"]).get("fields", []))
        synthetic += is_synthetic(row)
    totals = conn.execute(
        select(
            func.coalesce(func.sum(datasets.c.record_count), 0),
            func.max(datasets.c.data_modified_at),
        ).where(datasets.c.state == "active")
    ).one()
    return WarehouseSize(n, fields, int(totals[0]), _aware(totals[1]), synthetic)


def watermark(conn: Connection) -> tuple[Any, ...]:
    """A cheap fingerprint of the catalog's data: it changes whenever records do."""
    return tuple(
        conn.execute(
            select(
                func.count(),
                func.coalesce(func.sum(datasets.c.record_count), 0),
                func.max(datasets.c.data_modified_at),
                func.max(datasets.c.modified_at),
            ).where(datasets.c.state == "active")
        ).one()
    )


def _aware(dt: datetime | None) -> datetime | None:
    return dt.replace(tzinfo=UTC) if dt is not None and dt.tzinfo is None else dt


@dataclass(frozen=True)
class DatasetCard:
    name: str
    title: str
    title_en: str | None
    description: str
    owner_name: str
    classification: str
    fields: int
    personal_fields: int
    records: int
    updated_at: datetime | None
    tags: list[str]
    synthetic: bool


def _haystack(view: dict[str, Any]) -> str:
    parts = [view["name"], view["title"], view["title_en"] or "", view["description"]]
    parts += [view["owner_name"], *view["tags"]]
    parts += [f.get("title") or "" for f in view["schema"].get("fields", [])]
    parts += [f.get("name") or "" for f in view["schema"].get("fields", [])]
    return fold(" ".join(parts))


def search(
    conn: Connection, principal: Principal | None, q: str = "", classification: str = ""
) -> list[DatasetCard]:
    """Datasets the viewer may see, matching every word of `q` with or without diacritics."""
    words = fold(q).split()
    cards = []
    for row in service.active_rows(conn):
        if not access.can_see(principal, row):
            continue
        if classification and row["classification"] != classification:
            continue
        view = service.dataset_view(conn, row)
        if words and not all(w in _haystack(view) for w in words):
            continue
        cards.append(_card(view, row))
    return cards


def _card(view: dict[str, Any], row: RowMapping) -> DatasetCard:
    fields = view["schema"].get("fields", [])
    return DatasetCard(
        name=view["name"],
        title=view["title"],
        title_en=view["title_en"],
        description=view["description"],
        owner_name=view["owner_name"],
        classification=view["classification"],
        fields=len(fields),
        personal_fields=sum(1 for f in fields if f.get("personal")),
        records=int(view["record_count"] or 0),
        updated_at=_aware(view["data_modified_at"] or view["modified_at"]),
        tags=list(view["tags"]),
        synthetic=is_synthetic(row),
    )


def detail(conn: Connection, principal: Principal | None, name: str) -> dict[str, Any]:
    """One dataset's metadata and schema, or NotFound when the viewer may not see it."""
    row = service.get_dataset(conn, name)
    access.require_visible(principal, row)
    view = service.dataset_view(conn, row)
    view["synthetic"] = is_synthetic(row)
    view["data_modified_at"] = _aware(view["data_modified_at"])
    view["modified_at"] = _aware(view["modified_at"])
    return view
