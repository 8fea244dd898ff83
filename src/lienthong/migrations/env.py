"""Alembic environment: runs on the connection handed in by lienthong.core.migrate."""

from __future__ import annotations

from typing import Any

from alembic import context

import lienthong.audit.schema
import lienthong.catalog.schema
import lienthong.exchange.schema
import lienthong.indicators.schema
import lienthong.programs.schema
import lienthong.registry.schema
import lienthong.units.schema
import lienthong.warehouse.schema  # noqa: F401  (tables register on the shared metadata)
from lienthong.core.db import metadata

# dataset tables are created at run time by the warehouse, not by migrations
MANAGED_PREFIXES = ("ds_",)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return not (type_ == "table" and reflected and str(name).startswith(MANAGED_PREFIXES))


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
