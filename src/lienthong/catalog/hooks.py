"""Hooks through which parts downstream of the catalog follow its datasets.

The warehouse registers here to create, alter and drop each dataset's table
in the same transaction as the catalog's change.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Connection
from sqlalchemy.engine import RowMapping

from lienthong.catalog.tableschema import TableSchema


class DatasetHooks(Protocol):
    def dataset_created(self, conn: Connection, dataset: RowMapping, schema: TableSchema) -> None:
        """The dataset's row exists; build what holds its records."""

    def schema_changing(
        self, conn: Connection, dataset: RowMapping, old: TableSchema, new: TableSchema
    ) -> None:
        """Apply the change to stored records, or raise ValidationFailed to refuse it."""

    def dataset_deleted(self, conn: Connection, dataset: RowMapping) -> None:
        """Remove what holds its records."""


_registered: list[DatasetHooks] = []


def register(hooks: DatasetHooks) -> None:
    if not any(type(h) is type(hooks) for h in _registered):
        _registered.append(hooks)


def registered() -> list[DatasetHooks]:
    return list(_registered)
