"""Datasets: create, read, list, change (each change kept as a version), delete."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.engine import RowMapping

from lienthong.catalog import hooks
from lienthong.catalog.models import DatasetIn, DatasetPatch
from lienthong.catalog.schema import dataset_versions, datasets, grants
from lienthong.catalog.tableschema import TableSchema, parse_schema
from lienthong.core.auth import Principal, Role
from lienthong.core.errors import Conflict, NotFound
from lienthong.core.platform import AuditSink
from lienthong.core.timeutil import utcnow
from lienthong.registry.members import member_by_ref, member_view
from lienthong.registry.schema import members

JSON_COLUMNS = ("tags", "spatial")


def table_name(dataset: RowMapping) -> str:
    return f"ds_{int(dataset['id'])}"


def schema_of(dataset: RowMapping) -> TableSchema:
    """The dataset's Table Schema (parsed once per distinct schema; treat it as read-only)."""
    return _parse_stored(dataset["table_schema"])


@lru_cache(maxsize=512)
def _parse_stored(text: str) -> TableSchema:
    return TableSchema.model_validate(json.loads(text))


# built once: the hottest lookup of all (every read of records starts with it)
_BY_NAME = select(datasets).where(
    datasets.c.name == bindparam("name"), datasets.c.state == "active"
)


def get_dataset(conn: Connection, name: str) -> RowMapping:
    row = conn.execute(_BY_NAME, {"name": name}).mappings().first()
    if row is None:
        raise NotFound(f"dataset '{name[:100]}' does not exist")
    return row


def dataset_view(conn: Connection, row: RowMapping) -> dict[str, Any]:
    owner = (
        conn.execute(select(members).where(members.c.id == row["owner_member_id"])).mappings().one()
    )
    return {
        "name": row["name"],
        "title": row["title"],
        "title_en": row["title_en"],
        "description": row["description"],
        "owner": member_view(owner)["id"],
        "owner_name": owner["name"],
        "tags": json.loads(row["tags"]),
        "license_id": row["license_id"],
        "classification": row["classification"],
        "update_frequency": row["update_frequency"],
        "spatial": json.loads(row["spatial"]),
        "temporal": {"start": row["temporal_start"], "end": row["temporal_end"]},
        "schema": json.loads(row["table_schema"]),
        "version": row["version"],
        "record_count": row["record_count"],
        "created_at": row["created_at"],
        "modified_at": row["modified_at"],
        "data_modified_at": row["data_modified_at"],
    }


def _snapshot(conn: Connection, row: RowMapping) -> str:
    view = dataset_view(conn, row)
    for volatile in ("record_count", "data_modified_at", "owner_name"):
        view.pop(volatile)
    return json.dumps(view, default=str, ensure_ascii=False, sort_keys=True)


def _record_version(conn: Connection, row: RowMapping, actor: Principal, change: str) -> None:
    conn.execute(
        insert(dataset_versions).values(
            dataset_id=row["id"],
            version=row["version"],
            modified_at=row["modified_at"],
            actor=actor.actor,
            change=change[:200],
            snapshot=_snapshot(conn, row),
        )
    )


def create_dataset(
    conn: Connection, audit: AuditSink, actor: Principal, instance: str, data: DatasetIn
) -> dict[str, Any]:
    owner = member_by_ref(conn, instance, data.owner)
    actor.require(owner["id"], Role.PUBLISHER)
    schema = parse_schema(data.schema_)
    if conn.execute(select(datasets.c.id).where(datasets.c.name == data.name)).first():
        raise Conflict(f"a dataset named '{data.name}' already exists")
    now = utcnow()
    values = data.model_dump(exclude={"owner", "schema_"}) | {
        "tags": json.dumps(data.tags, ensure_ascii=False),
        "spatial": json.dumps(data.spatial),
        "owner_member_id": owner["id"],
        "table_schema": json.dumps(schema.to_json(), ensure_ascii=False),
        "version": 1,
        "record_count": 0,
        "state": "active",
        "created_at": now,
        "modified_at": now,
        "created_by": actor.actor,
    }
    row = conn.execute(insert(datasets).values(**values).returning(*datasets.c)).mappings().one()
    for h in hooks.registered():
        h.dataset_created(conn, row, schema)
    _record_version(conn, row, actor, "created")
    details = {"classification": data.classification.value, "fields": len(schema.fields)}
    audit.record(conn, actor.actor, "dataset.create", f"dataset:{data.name}", details, owner["id"])
    return dataset_view(conn, row)


def update_dataset(
    conn: Connection, audit: AuditSink, actor: Principal, row: RowMapping, patch: DatasetPatch
) -> dict[str, Any]:
    """Apply a partial change. A schema change goes through the hooks, which may refuse it."""
    actor.require(row["owner_member_id"], Role.PUBLISHER)
    changes = patch.model_dump(exclude_unset=True, exclude={"schema_"})
    for key in JSON_COLUMNS:
        if key in changes:
            changes[key] = json.dumps(changes[key], ensure_ascii=False)
    changed = sorted(changes)
    if patch.schema_ is not None:
        old, new = schema_of(row), parse_schema(patch.schema_)
        if new.to_json() != old.to_json():
            for h in hooks.registered():
                h.schema_changing(conn, row, old, new)
            changes["table_schema"] = json.dumps(new.to_json(), ensure_ascii=False)
            changed.append("schema")
    if not changed:
        return dataset_view(conn, row)
    changes |= {"version": row["version"] + 1, "modified_at": utcnow()}
    conn.execute(update(datasets).where(datasets.c.id == row["id"]).values(**changes))
    fresh = conn.execute(select(datasets).where(datasets.c.id == row["id"])).mappings().one()
    _record_version(conn, fresh, actor, "changed " + ", ".join(changed))
    details = {"version": fresh["version"], "changed": changed}
    audit.record(
        conn,
        actor.actor,
        "dataset.update",
        f"dataset:{row['name']}",
        details,
        row["owner_member_id"],
    )
    return dataset_view(conn, fresh)


def delete_dataset(conn: Connection, audit: AuditSink, actor: Principal, row: RowMapping) -> None:
    """Drop the records and mark the dataset deleted; its versions and grants stay as history."""
    actor.require(row["owner_member_id"], Role.ORG_ADMIN)
    for h in hooks.registered():
        h.dataset_deleted(conn, row)
    conn.execute(
        update(datasets)
        .where(datasets.c.id == row["id"])
        .values(state="deleted", name=f"{row['name']}~deleted~{row['id']}", modified_at=utcnow())
    )
    conn.execute(update(grants).where(grants.c.dataset_id == row["id"]).values(revoked_at=utcnow()))
    details = {"records": row["record_count"]}
    audit.record(
        conn,
        actor.actor,
        "dataset.delete",
        f"dataset:{row['name']}",
        details,
        row["owner_member_id"],
    )


def list_versions(conn: Connection, row: RowMapping) -> list[dict[str, Any]]:
    q = (
        select(dataset_versions)
        .where(dataset_versions.c.dataset_id == row["id"])
        .order_by(dataset_versions.c.version)
    )
    return [
        {
            "version": v["version"],
            "modified_at": v["modified_at"],
            "actor": v["actor"],
            "change": v["change"],
            "snapshot": json.loads(v["snapshot"]),
        }
        for v in conn.execute(q).mappings()
    ]


def active_rows(conn: Connection) -> list[RowMapping]:
    q = select(datasets).where(datasets.c.state == "active").order_by(datasets.c.name)
    return list(conn.execute(q).mappings())


def record_data_change(conn: Connection, row: RowMapping, count: int) -> None:
    conn.execute(
        update(datasets)
        .where(datasets.c.id == row["id"])
        .values(record_count=count, data_modified_at=utcnow())
    )
