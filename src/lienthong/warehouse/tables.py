"""Each dataset's records in a table of their own, `ds_<id>`, typed from its Table Schema.

Columns: `_id` (a surrogate key, also the order of arrival), then one typed
column per field. A unique index enforces the primary key. Full-text search
over non-personal text fields ignores diacritics: SQLite keeps an FTS5 index
(unicode61, diacritics removed), PostgreSQL a `tsvector` table over
`lt_fold(...)` with a GIN index. Both are caught up when someone searches.
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
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.types import TypeEngine

from lienthong.catalog.service import table_name
from lienthong.catalog.tableschema import SchemaField, TableSchema
from lienthong.warehouse.schema import search_state

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


_TABLES: dict[tuple[str, str], Table] = {}


# the same schema object (schema_of caches them) finds its table without serialising it;
# the entry holds the schema, so its id cannot be reused while the entry stands
_BY_OBJECT: dict[tuple[str, int], tuple[TableSchema, Table]] = {}


def query_table(name: str, schema: TableSchema) -> Table:
    """A shared Table object per (name, schema), so compiled statements are cached and reused."""
    seen = _BY_OBJECT.get((name, id(schema)))
    if seen is not None and seen[0] is schema:
        return seen[1]
    if len(_BY_OBJECT) > 1024:
        _BY_OBJECT.clear()
    table = _BY_OBJECT[name, id(schema)] = (schema, _by_content(name, schema))
    return table[1]


def _by_content(name: str, schema: TableSchema) -> Table:
    key = (name, schema.model_dump_json())
    table = _TABLES.get(key)
    if table is None:
        if len(_TABLES) > 1024:
            _TABLES.clear()
        table = _TABLES[key] = build_table(name, schema)
    return table


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
    create_search(conn, table.name, searchable(schema))
    conn.execute(delete(search_state).where(search_state.c.dataset_id == dataset["id"]))
    conn.execute(insert(search_state).values(dataset_id=dataset["id"], indexed_to=0, stale=False))


def unique_indexes(table: Table, schema: TableSchema) -> list[Index]:
    return [i for i in [_pk_index(table, schema), *_unique_indexes(table, schema)] if i is not None]


def create_indexes(conn: Connection, table: Table, schema: TableSchema) -> None:
    for idx in unique_indexes(table, schema):
        idx.create(conn)
    for cols in schema.index_columns():
        Index(f"ix_{table.name}_{'_'.join(cols)}"[:63], *(table.c[c] for c in cols)).create(conn)


def create_search(conn: Connection, name: str, fields: list[str]) -> None:
    """The full-text index's storage; it is filled lazily, see `catch_up_search`."""
    if not fields:
        return
    if conn.dialect.name == "sqlite":
        cols = ", ".join(fields)
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {name}_fts USING fts5({cols}, content='{name}', "
            "content_rowid='_id', tokenize='unicode61 remove_diacritics 2')"
        )
    else:
        conn.exec_driver_sql(f"CREATE TABLE {name}_fts (_id BIGINT PRIMARY KEY, doc TSVECTOR)")
        conn.exec_driver_sql(f"CREATE INDEX {name}_fts_doc ON {name}_fts USING gin (doc)")


def search_expr(fields: list[str]) -> str:
    """The text PostgreSQL indexes and searches: the fields joined by spaces."""
    return " || ' ' || ".join(f"coalesce({f}, '')" for f in fields)


def drop_search(conn: Connection, name: str) -> None:
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}_fts")


def mark_search_stale(conn: Connection, dataset: RowMapping) -> None:
    """Rows changed or went away: the next search rebuilds the index."""
    conn.execute(
        update(search_state).where(search_state.c.dataset_id == dataset["id"]).values(stale=True)
    )


def search_lag(conn: Connection, dataset: RowMapping) -> tuple[bool, int]:
    """(stale, indexed_to) of a dataset's full-text index."""
    row = conn.execute(
        select(search_state.c.stale, search_state.c.indexed_to).where(
            search_state.c.dataset_id == dataset["id"]
        )
    ).first()
    return (True, 0) if row is None else (bool(row.stale), int(row.indexed_to))


def search_current(conn: Connection, dataset: RowMapping) -> bool:
    stale, indexed_to = search_lag(conn, dataset)
    return not stale and max_id(conn, table_name(dataset)) <= indexed_to


def catch_up_search(conn: Connection, dataset: RowMapping, schema: TableSchema) -> None:
    """Append new rows to the full-text index, or rebuild it when rows changed."""
    name, fields = table_name(dataset), searchable(schema)
    stale, indexed_to = search_lag(conn, dataset)
    top = max_id(conn, name)
    if fields and (stale or top > indexed_to):
        _fill_search(conn, name, fields, None if stale else indexed_to)
    conn.execute(delete(search_state).where(search_state.c.dataset_id == dataset["id"]))
    conn.execute(insert(search_state).values(dataset_id=dataset["id"], indexed_to=top, stale=False))


def _fill_search(conn: Connection, name: str, fields: list[str], after_id: int | None) -> None:
    cols = ", ".join(fields)
    if conn.dialect.name == "sqlite":
        if after_id is None:
            conn.exec_driver_sql(f"INSERT INTO {name}_fts({name}_fts) VALUES ('rebuild')")
            return
        conn.exec_driver_sql(
            f"INSERT INTO {name}_fts(rowid, {cols}) SELECT _id, {cols} FROM {name} WHERE _id > ?",
            (after_id,),
        )
        return
    if after_id is None:
        conn.exec_driver_sql(f"DELETE FROM {name}_fts")
    conn.exec_driver_sql(
        f"INSERT INTO {name}_fts (_id, doc) SELECT _id, "
        f"to_tsvector('simple'::regconfig, lt_fold({search_expr(fields)})) "
        f"FROM {name} WHERE _id > %(after)s",
        {"after": after_id or 0},
    )


def drop(conn: Connection, dataset: RowMapping) -> None:
    name = table_name(dataset)
    drop_search(conn, name)
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
    conn.execute(delete(search_state).where(search_state.c.dataset_id == dataset["id"]))


def is_empty(conn: Connection, name: str) -> bool:
    return conn.exec_driver_sql(f"SELECT 1 FROM {name} LIMIT 1").first() is None


def count_rows(conn: Connection, name: str) -> int:
    return int(conn.execute(select(func.count()).select_from(text(name))).scalar_one())


def max_id(conn: Connection, name: str) -> int:
    return int(conn.exec_driver_sql(f"SELECT coalesce(max(_id), 0) FROM {name}").scalar_one())
