"""Warehouse bookkeeping tables."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Table

from lienthong.core.db import metadata

# How far each dataset's full-text index has caught up with its table. The
# index is brought up to date when someone searches, not while ingesting,
# so that bulk loads pay nothing for it.
search_state = Table(
    "search_state",
    metadata,
    Column("dataset_id", ForeignKey("datasets.id"), primary_key=True, autoincrement=False),
    Column("indexed_to", BigInteger, nullable=False, default=0),
    # rows were changed or removed: rebuild instead of appending
    Column("stale", Boolean, nullable=False, default=False),
)
