"""The province overview: six headline slots, each filled from the part that owns it."""

from __future__ import annotations

from dataclasses import replace

from lienthong.core.platform import Platform
from lienthong.web.sources import catalog, exchange, scores
from lienthong.web.sources.model import Figure, Provenance

# the figures the leaders asked for, in the order the articles give them
SLOTS = ("de_share", "dti", "online_dossiers", "portal_services", "warehouse", "exchange")


def figures(platform: Platform, province: str) -> list[Figure]:
    """One figure per slot; a slot with no data yet is an empty figure, shown as such."""
    with platform.store.read() as conn:
        found = scores.headline(conn, province)
    found["warehouse"] = warehouse_figure(platform)
    volume = exchange.volume_figure(platform)
    if volume is not None:
        found["exchange"] = volume
    return [found.get(slot) or empty(slot) for slot in SLOTS]


def empty(slot: str) -> Figure:
    return Figure(key=slot, title=f"slot.{slot}", note_key=f"empty.{slot}")


def warehouse_figure(platform: Platform) -> Figure:
    """Records and fields in the shared warehouse, counted from the catalog now."""
    with platform.store.read() as conn:
        size = catalog.warehouse_size(conn)
    if size.empty:
        return empty("warehouse")
    provenance = Provenance.SYNTHETIC if size.synthetic_datasets else Provenance.COMPUTED
    fields = Figure(
        key="warehouse_fields", title="slot.warehouse_fields", value=size.fields, digits=0
    )
    datasets = Figure(
        key="warehouse_datasets", title="slot.warehouse_datasets", value=size.datasets, digits=0
    )
    figure = Figure(
        key="warehouse",
        title="slot.warehouse",
        value=size.records,
        unit="unit.records",
        digits=0,
        updated_at=size.updated_at,
        provenance=provenance,
        source="source.catalog",
        href="/datasets",
        parts=(fields, datasets),
    )
    if size.synthetic_datasets:
        figure = replace(figure, note_key="note.synthetic_datasets")
    return figure
