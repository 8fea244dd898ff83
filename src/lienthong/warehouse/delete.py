"""Deleting records by filter, audited, in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select

from lienthong.catalog.service import get_dataset, record_data_change, schema_of, table_name
from lienthong.core import events
from lienthong.core.auth import Principal, Role
from lienthong.core.platform import Platform
from lienthong.warehouse import query as q
from lienthong.warehouse import tables
from lienthong.warehouse.reads import RESERVED


def delete_matching(
    platform: Platform, principal: Principal, name: str, filters: Mapping[str, Any]
) -> dict[str, Any]:
    with platform.store.write() as conn:
        dataset = get_dataset(conn, name)
        principal.require(dataset["owner_member_id"], Role.PUBLISHER)
        schema = schema_of(dataset)
        parsed = [q.parse_filter(schema, k, v) for k, v in filters.items() if k not in RESERVED]
        table = tables.build_table(table_name(dataset), schema)
        cond = [q.condition(table.c[f.field], f) for f in parsed]
        ids = select(table.c["_id"]).where(*cond).scalar_subquery()
        gone = conn.execute(delete(table).where(table.c["_id"].in_(ids))).rowcount
        tables.mark_search_stale(conn, dataset)
        count = tables.count_rows(conn, table.name)
        record_data_change(conn, dataset, count)
        details = {
            "filters": [[f.field, f.op, [str(v) for v in f.values]] for f in parsed],
            "deleted": gone,
        }
        platform.audit.record(
            conn,
            principal.actor,
            "dataset.delete_records",
            f"dataset:{name}",
            details,
            dataset["owner_member_id"],
        )
    events.publish(
        "dataset.changed",
        {
            "dataset": name,
            "mode": "delete",
            "inserted": 0,
            "updated": 0,
            "database": platform.store.url,
        },
    )
    return {"dataset": name, "deleted": gone, "record_count": count}
