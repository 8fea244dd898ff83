"""Schema changes on a dataset that holds records: checked against the data, then applied.

A change is applied only when every existing record satisfies the new schema:
removed fields must be empty, new required fields impossible on a non-empty
table, changed fields re-validated value by value, new keys free of duplicates.
Otherwise it is refused with the reasons and an example row. The table is
rebuilt in the same transaction, so a refused or failed change leaves it as it was.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
from sqlalchemy import Connection, cast, column, insert, select, table
from sqlalchemy.engine import RowMapping

from lienthong.catalog.service import table_name
from lienthong.catalog.tableschema import SchemaField, TableSchema
from lienthong.core.errors import ValidationFailed
from lienthong.warehouse import tables
from lienthong.warehouse.validate import Findings, Validator

CHUNK = 50_000


def apply(conn: Connection, dataset: RowMapping, old: TableSchema, new: TableSchema) -> None:
    name = table_name(dataset)
    if tables.count_rows(conn, name) == 0:
        tables.drop(conn, dataset)
        tables.create(conn, dataset, new)
        return
    problems = _problems(conn, name, old, new)
    if problems:
        first = next(iter(problems.items()))
        raise ValidationFailed(
            f"the schema change is refused: `{first[0]}` {first[1][0]}", errors=problems
        )
    _rebuild(conn, dataset, old, new)


def _problems(
    conn: Connection, name: str, old: TableSchema, new: TableSchema
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    before = {f.name: f for f in old.fields}
    for f in old.fields:
        if f.name not in new.names:
            held = _count(conn, f"SELECT count(*) FROM {name} WHERE {f.name} IS NOT NULL")
            if held:
                out[f.name] = [f"cannot be removed: {held:,} records hold a value in it"]
    for f in new.fields:
        was = before.get(f.name)
        if was is None:
            if f.constraints.required:
                out[f.name] = ["is new and required, but the existing records have no value for it"]
            continue
        if _definition(was) != _definition(f):
            reason = _revalidate(conn, name, f)
            if reason:
                out[f.name] = [reason]
    keys = [k for k in [tuple(new.primary_key)] if k and list(k) != old.primary_key]
    keys += [
        (f.name,)
        for f in new.fields
        if f.constraints.unique and not before.get(f.name, f).constraints.unique
    ]
    for key in keys:
        cols = ", ".join(key)
        dup = _count(
            conn,
            f"SELECT count(*) FROM (SELECT {cols} FROM {name} "
            f"GROUP BY {cols} HAVING count(*) > 1) d",
        )
        if dup:
            out.setdefault(cols, []).append(
                f"cannot become unique: {dup:,} values occur more than once"
            )
    return out


def _count(conn: Connection, sql: str) -> int:
    return int(conn.exec_driver_sql(sql).scalar_one())


def _definition(f: SchemaField) -> object:
    fmt = f.format if f.type not in ("date", "datetime") else "stored"
    return (f.type, fmt, f.constraints.model_dump(), (f.model_extra or {}).get("decimalChar"))


def _revalidate(conn: Connection, name: str, f: SchemaField) -> str | None:
    """Check the stored values against the new field definition; the first failure or None."""
    stored = f.model_copy(update={"format": "default"}) if f.type in ("date", "datetime") else f
    schema = TableSchema.model_validate({"fields": [stored.model_dump(by_alias=True)]})
    validator = Validator(schema, [f.name])
    findings = Findings()
    for batch, ids in _as_text(conn, name, f.name):
        validator.check(batch, 0, findings, rows=ids)
        if findings.errors:
            e = findings.errors[0]
            return (
                f"does not fit existing data: the record with _id {e.row:,} "
                f"holds '{e.value}', which {e.reason}"
            )
    return None


def _as_text(conn: Connection, name: str, field: str) -> Iterator[tuple[pa.RecordBatch, pa.Array]]:
    last = 0
    while True:
        rows = conn.exec_driver_sql(
            f"SELECT _id, CAST({field} AS TEXT) FROM {name} "
            f"WHERE _id > {int(last)} ORDER BY _id LIMIT {CHUNK}"
        ).all()
        if not rows:
            return
        ids = [r[0] for r in rows]
        values = pa.array([r[1] for r in rows], pa.string())
        # rows are numbered by record id, so a refusal can point at the record
        yield pa.RecordBatch.from_arrays([values], names=[field]), pa.array(ids, pa.int64())
        last = ids[-1]


def _rebuild(conn: Connection, dataset: RowMapping, old: TableSchema, new: TableSchema) -> None:
    name = table_name(dataset)
    staging = tables.build_table(f"{name}_new", new)
    staging.create(conn)
    kept = [f for f in new.fields if f.name in old.names]
    src = table(name, column("_id"), *(column(f.name) for f in kept))
    cols = [src.c["_id"], *(cast(src.c[f.name], tables.sql_type(f)) for f in kept)]
    conn.execute(insert(staging).from_select(["_id", *(f.name for f in kept)], select(*cols)))
    tables.drop(conn, dataset)
    conn.exec_driver_sql(f"ALTER TABLE {name}_new RENAME TO {name}")
    tables.create_indexes(conn, tables.build_table(name, new), new)
    tables.create_search(conn, name, tables.searchable(new))
