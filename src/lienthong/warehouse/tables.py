"""Each dataset's records in a table of their own, `ds_<id>`, typed from its Table Schema.

Columns: `_id` (a surrogate key, also the order of arrival), then one typed
column per field. A unique index enforces the primary key. Full-text search
over non-personal text fields ignores diacritics: SQLite keeps an FTS5 index
(unicode61, diacritics removed), PostgreSQL a GIN index over `lt_fold(...)`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
    text,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.types import TypeEngine

from lienthong.catalog.service import table_name
from lienthong.catalog.tableschema import SchemaField, TableSchema

SQL_TYPES: dict[str, type[TypeEngine[Any]]] = {
    "string": Text,
    "integer": BigInteger,
    "number": Float,
    "boolean": Boolean,
    "date": Date,
    "datetime": DateTime,
    "time": String,
    "year": Integer,
    "object": Text,
    "array": Text,
    "geojson": Text,
    "any": Text,
}


def sql_type(f: SchemaField) -> TypeEngine[Any]:
    if f.type == "datetime":
        return DateTime(timezone=True)
    return SQL_TYPES[f.type]()


def build_table(name: str, schema: TableSchema, md: MetaData | None = None) -> Table:
    """The SQLAlchemy table for a schema (not created: see `create`)."""
    md = md or MetaData()
    cols = [
        Column(
            "_id",
            BigInteger().with_variant(Integer, "sqlite"),
            primary_key=True,
            autoincrement=True,
        )
    ]
    cols += [
        Column(f.name, sql_type(f), nullable=not f.constraints.required) for f in schema.fields
    ]
    return Table(name, md, *cols)


def searchable(schema: TableSchema) -> list[str]:
    """Text fields in the full-text index: personal ones stay out, so search cannot probe them."""
    return [f.name for f in schema.fields if f.type == "string" and not f.personal]


def table_for(dataset: RowMapping, schema: TableSchema) -> Table:
    return build_table(table_name(dataset), schema)


def _pk_index(table: Table, schema: TableSchema) -> Index | None:
    if not schema.primary_key:
        return None
    return Index(f"ux_{table.name}_pk", *(table.c[k] for k in schema.primary_key), unique=True)


def _unique_indexes(table: Table, schema: TableSchema) -> list[Index]:
    return [
        Index(f"ux_{table.name}_{f.name}", table.c[f.name], unique=True)
        for f in schema.fields
        if f.constraints.unique and [f.name] != schema.primary_key
    ]


def create(conn: Connection, dataset: RowMapping, schema: TableSchema) -> None:
    table = table_for(dataset, schema)
    table.create(conn)
    create_indexes(conn, table, schema)


def create_indexes(conn: Connection, table: Table, schema: TableSchema) -> None:
    for idx in [_pk_index(table, schema), *_unique_indexes(table, schema)]:
        if idx is not None:
            idx.create(conn)
    create_search(conn, table.name, searchable(schema))


def create_search(conn: Connection, name: str, fields: list[str]) -> None:
    if not fields:
        return
    if conn.dialect.name == "sqlite":
        cols = ", ".join(fields)
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {name}_fts USING fts5({cols}, content='{name}', "
            "content_rowid='_id', tokenize='unicode61 remove_diacritics 2')"
        )
    else:
        conn.exec_driver_sql(
            f"CREATE INDEX {name}_fts ON {name} USING gin "
            f"(to_tsvector('simple'::regconfig, lt_fold({search_expr(fields)})))"
        )


def search_expr(fields: list[str]) -> str:
    """The text PostgreSQL indexes and searches: the fields joined by spaces."""
    return " || ' ' || ".join(f"coalesce({f}, '')" for f in fields)


def drop_search(conn: Connection, name: str) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}_fts")
    else:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}_fts")


def refresh_search(conn: Connection, name: str, fields: list[str], after_id: int | None) -> None:
    """Bring SQLite's FTS index up to date: new rows only, or a full rebuild."""
    if not fields or conn.dialect.name != "sqlite":
        return  # PostgreSQL's GIN index follows the table by itself
    if after_id is None:
        conn.exec_driver_sql(f"INSERT INTO {name}_fts({name}_fts) VALUES ('rebuild')")
        return
    cols = ", ".join(fields)
    conn.exec_driver_sql(
        f"INSERT INTO {name}_fts(rowid, {cols}) SELECT _id, {cols} FROM {name} WHERE _id > ?",
        (after_id,),
    )


def drop(conn: Connection, dataset: RowMapping) -> None:
    name = table_name(dataset)
    drop_search(conn, name)
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")


def count_rows(conn: Connection, name: str) -> int:
    return int(conn.execute(select(func.count()).select_from(text(name))).scalar_one())


def max_id(conn: Connection, name: str) -> int:
    return int(conn.exec_driver_sql(f"SELECT coalesce(max(_id), 0) FROM {name}").scalar_one())
