"""The warehouse follows the catalog: a table per dataset, kept in step with its schema."""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.engine import RowMapping

from lienthong.catalog import hooks
from lienthong.catalog.tableschema import TableSchema
from lienthong.warehouse import evolve, tables


class WarehouseTables:
    """Creates, alters and drops dataset tables in the catalog's transaction."""

    def dataset_created(self, conn: Connection, dataset: RowMapping, schema: TableSchema) -> None:
        tables.create(conn, dataset, schema)

    def schema_changing(
        self, conn: Connection, dataset: RowMapping, old: TableSchema, new: TableSchema
    ) -> None:
        evolve.apply(conn, dataset, old, new)

    def dataset_deleted(self, conn: Connection, dataset: RowMapping) -> None:
        tables.drop(conn, dataset)


def register() -> None:
    hooks.register(WarehouseTables())
