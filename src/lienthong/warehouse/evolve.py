"""Schema changes on a dataset that holds records: checked against the data, then applied.

A change is applied only when every existing record satisfies the new schema:
removed fields must be empty, new required fields impossible on a non-empty
table, changed fields re-validated value by value, new keys free of duplicates.
Otherwise it is refused with the reasons and an example row. The table is
rebuilt in the same transaction, so a refused or failed change leaves it as it was.
Values whose type changes are converted by the validator, not by SQL casts, so
that they come out the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, Table, bindparam, insert, select, update
from sqlalchemy.engine import RowMapping

from lienthong.catalog.service import table_name
from lienthong.catalog.tableschema import SchemaField, TableSchema
from lienthong.core.errors import ValidationFailed
from lienthong.warehouse import tables
from lienthong.warehouse.convert import canonical
from lienthong.warehouse.sources import render
from lienthong.warehouse.validate import Findings, Validator

CHUNK = 50_000
# columns that hold text as it was given, to be read in the field's own formats
RAW_TEXT = ("string", "any")


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
            reason = _revalidate(conn, name, old, was, f)
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


def _checker(was: SchemaField, f: SchemaField) -> SchemaField:
    """`f` as it must read the stored values: raw text in its own formats, typed values
    as canonical text (ISO dates, '.' decimals, true/false)."""
    return f if was.type in RAW_TEXT else canonical(f)


def _validator(checker: SchemaField) -> Validator:
    schema = TableSchema.model_validate({"fields": [checker.model_dump(by_alias=True)]})
    return Validator(schema, [checker.name])


def _revalidate(
    conn: Connection, name: str, old: TableSchema, was: SchemaField, f: SchemaField
) -> str | None:
    """Check the stored values against the new field definition; the first failure or None."""
    checker = _checker(was, f)
    validator = _validator(checker)
    findings = Findings()
    for batch, ids in _as_text(conn, tables.build_table(name, old), checker):
        validator.check(batch, 0, findings, rows=ids)
        if findings.errors:
            e = findings.errors[0]
            return (
                f"does not fit existing data: the record with _id {e.row:,} "
                f"holds '{e.value}', which {e.reason}"
            )
    return None


def _as_text(
    conn: Connection, source: Table, checker: SchemaField
) -> Iterator[tuple[pa.RecordBatch, pa.Array]]:
    """A column's stored values as text `checker` reads, chunk by chunk, with their ids."""
    col, last = source.c[checker.name], 0
    while True:
        rows = conn.execute(
            select(source.c["_id"], col)
            .where(source.c["_id"] > last)
            .order_by(source.c["_id"])
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        ids = [r[0] for r in rows]
        values = pa.array([render(_utc(r[1]), checker) for r in rows], pa.string())
        # rows are numbered by record id, so a refusal can point at the record
        yield pa.RecordBatch.from_arrays([values], names=[checker.name]), pa.array(ids, pa.int64())
        last = ids[-1]


def _utc(value: Any) -> Any:
    # SQLite hands datetimes back without their zone: they are UTC
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _rebuild(conn: Connection, dataset: RowMapping, old: TableSchema, new: TableSchema) -> None:
    name = table_name(dataset)
    source = tables.build_table(name, old)
    staging = tables.build_table(f"{name}_new", new)
    staging.create(conn)
    before = {f.name: f for f in old.fields}
    same = [f.name for f in new.fields if f.name in before and before[f.name].type == f.type]
    conn.execute(
        insert(staging).from_select(
            ["_id", *same], select(source.c["_id"], *(source.c[n] for n in same))
        )
    )
    for f in new.fields:
        if f.name in before and f.name not in same:
            _convert(conn, source, staging, _checker(before[f.name], f))
    tables.drop(conn, dataset)
    conn.exec_driver_sql(f"ALTER TABLE {name}_new RENAME TO {name}")
    if conn.dialect.name == "postgresql":
        _rename_pg_leftovers(conn, name)
    tables.create_indexes(conn, tables.build_table(name, new), new)
    tables.create_search(conn, name, tables.searchable(new))


def _convert(conn: Connection, source: Table, staging: Table, checker: SchemaField) -> None:
    """Fill a column whose type changed with its values converted by the validator."""
    validator = _validator(checker)
    stmt = (
        update(staging)
        .where(staging.c["_id"] == bindparam("b_id"))
        .values({checker.name: bindparam("b_value")})
    )
    for batch, ids in _as_text(conn, source, checker):
        checked = validator.check(batch, 0, Findings(), rows=ids)
        values = checked.table.column(checker.name).to_pylist()
        params = [
            {"b_id": i, "b_value": v}
            for i, v in zip(ids.to_pylist(), values, strict=True)
            if v is not None
        ]
        if params:
            conn.execute(stmt, params)


def _rename_pg_leftovers(conn: Connection, name: str) -> None:
    """The renamed table keeps its staging names and sequence: name them for the table and
    move the sequence past the copied ids, so the next change and the next insert work."""
    conn.exec_driver_sql(f"ALTER TABLE {name} RENAME CONSTRAINT {name}_new_pkey TO {name}_pkey")
    seq = conn.exec_driver_sql(f"SELECT pg_get_serial_sequence('{name}', '_id')").scalar_one()
    conn.exec_driver_sql(f"ALTER SEQUENCE {seq} RENAME TO {name}__id_seq")
    conn.exec_driver_sql(
        f"SELECT setval('{name}__id_seq', (SELECT coalesce(max(_id), 0) + 1 FROM {name}), false)"
    )
