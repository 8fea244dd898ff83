"""Writing validated batches into a dataset's table, inside the caller's transaction.

Two paths:
- direct: rows go straight into the table (SQLite `executemany`, PostgreSQL
  `COPY`); the table's unique index refuses duplicate keys.
- staged: rows go to a temporary table first, so that duplicate keys (in the
  file, or against the table) can be named row by row, set aside, and the
  rest merged with one INSERT … SELECT (ON CONFLICT … DO UPDATE for upserts).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy import BigInteger, Column, Connection, Index, MetaData, Table, exc

from lienthong.catalog.tableschema import TableSchema
from lienthong.warehouse import tables
from lienthong.warehouse.tables import sql_type


class Mode(StrEnum):
    INSERT = "insert"
    UPSERT = "upsert"
    UPDATE = "update"
    REPLACE = "replace"


@dataclass
class KeyProblem:
    row: int
    key: str
    reason: str


@dataclass
class Written:
    inserted: int = 0
    updated: int = 0
    problems: list[KeyProblem] = field(default_factory=list)


def sqlite_rows(tbl: pa.Table) -> list[tuple[object, ...]]:
    """Rows as tuples of values sqlite3 binds natively (dates and times as ISO text)."""
    cols = []
    for col in tbl.columns:
        t = col.type
        if pa.types.is_timestamp(t):
            col = pc.cast(pc.cast(col, pa.timestamp("us")), pa.string())
        elif pa.types.is_date(t):
            col = pc.cast(col, pa.string())
        cols.append(_py_values(col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col))
    return list(zip(*cols, strict=True))


def _py_values(col: pa.Array) -> list[object]:
    """Python values of a column; repeated text shares one object per distinct value.

    Sharing is several times cheaper than a new object per cell, and sqlite3
    caches each object's UTF-8 form, so binding repeated values costs less too.
    """
    n = len(col)
    if pa.types.is_string(col.type) and n > 1000:
        sample = pc.count_distinct(col.slice(0, 1000)).as_py()
        if sample < 500:
            encoded = col.dictionary_encode()
            values = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
            indices = encoded.indices
            if indices.null_count:
                values = np.append(values, np.array([None], dtype=object))
                indices = pc.fill_null(indices, len(values) - 1)
            result: list[object] = values[indices.to_numpy()].tolist()
            return result
    return list(col.to_pylist())


def pg_csv(tbl: pa.Table) -> bytes:
    sink = io.BytesIO()
    pacsv.write_csv(tbl, sink, write_options=pacsv.WriteOptions(include_header=False))
    return sink.getvalue()


class DuplicateKey(Exception):
    """The table's unique index refused a row written on the direct path."""


Payload = list[tuple[object, ...]] | bytes


def prepare(dialect: str, tbl: pa.Table) -> Payload:
    """Rows in the form the database takes fastest; pure, so it can run on another thread."""
    return pg_csv(tbl) if dialect == "postgresql" else sqlite_rows(tbl)


def _copy(conn: Connection, table: str, names: list[str], data: bytes) -> None:
    import psycopg

    raw = conn.connection.driver_connection
    assert raw is not None
    cols = ", ".join(names)
    try:
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT csv)") as cp:
            cp.write(data)
    except psycopg.errors.UniqueViolation as err:
        raise DuplicateKey(str(err)) from err


def _insert(conn: Connection, table: str, names: list[str], payload: Payload) -> None:
    if isinstance(payload, bytes):
        _copy(conn, table, names, payload)
        return
    marks = ", ".join("?" for _ in names)
    try:
        conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", payload)
    except exc.IntegrityError as err:
        raise DuplicateKey(str(err.orig)) from err


class Writer:
    """Writes a dataset's new rows, directly or through a staging table."""

    STAGE = "lt_stage"

    def __init__(
        self,
        conn: Connection,
        table: str,
        schema: TableSchema,
        mode: Mode,
        staged: bool,
        present: list[str] | None = None,
    ) -> None:
        self.conn, self.table, self.schema, self.mode = conn, table, schema, mode
        self.names = schema.names
        # upserts and updates change only the columns the source carries
        self.present = [n for n in self.names if present is None or n in present]
        self.staged = staged or mode in (Mode.UPSERT, Mode.UPDATE)
        self.count = 0
        self.deferred: list[Index] = []
        if self.staged:
            self._create_stage()
        elif tables.is_empty(conn, table):
            # a bulk load into an empty table: build its unique indexes once, at the end
            self.deferred = tables.unique_indexes(tables.build_table(table, schema), schema)
            for idx in self.deferred:
                conn.exec_driver_sql(f"DROP INDEX {idx.name}")

    def _create_stage(self) -> None:
        md = MetaData()
        cols = [Column("_row", BigInteger, nullable=False)]
        cols += [Column(f.name, sql_type(f)) for f in self.schema.fields]
        stage = Table(self.STAGE, md, *cols, prefixes=["TEMPORARY"], postgresql_on_commit="drop")
        self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS {self.STAGE}")
        stage.create(self.conn)

    def prepare(self, good: pa.Table, rows: pa.Array) -> tuple[int, Payload]:
        """The payload for `write`; safe to call on another thread."""
        if self.staged:
            good = good.add_column(0, "_row", rows)
        return good.num_rows, prepare(self.conn.dialect.name, good)

    def write(self, prepared: tuple[int, Payload]) -> None:
        count, payload = prepared
        if count == 0:
            return
        self.count += count
        if self.staged:
            _insert(self.conn, self.STAGE, ["_row", *self.names], payload)
        else:
            _insert(self.conn, self.table, self.names, payload)

    def finish(self, set_aside: bool) -> Written:
        """Merge staged rows. With `set_aside`, rows with key problems are left out."""
        if not self.staged:
            for idx in self.deferred:
                try:
                    idx.create(self.conn)
                except exc.IntegrityError as err:
                    raise DuplicateKey(str(err.orig)) from err
            return Written(inserted=self.count)
        problems = self._key_problems()
        if problems and not set_aside:
            return Written(problems=problems)
        if problems:
            bad = sorted({p.row for p in problems})
            for i in range(0, len(bad), 500):
                chunk = bad[i : i + 500]
                marks = ", ".join(str(int(r)) for r in chunk)
                self.conn.exec_driver_sql(f"DELETE FROM {self.STAGE} WHERE _row IN ({marks})")
        written = self._merge()
        written.problems = problems
        self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS {self.STAGE}")
        return written

    def _key_match(self, a: str, b: str) -> str:
        return " AND ".join(f"{a}.{k} = {b}.{k}" for k in self.schema.primary_key)

    def _key_text(self, alias: str) -> str:
        keys = [f"CAST({alias}.{k} AS TEXT)" for k in self.schema.primary_key]
        return " || '|' || ".join(keys)

    def _key_problems(self) -> list[KeyProblem]:
        if not self.schema.primary_key:
            return []
        s, t = self.STAGE, self.table
        found = [
            KeyProblem(int(r), str(k), "repeats the primary key of an earlier row in the file")
            for r, k in self.conn.exec_driver_sql(
                f"SELECT a._row, {self._key_text('a')} FROM {s} a WHERE EXISTS "
                f"(SELECT 1 FROM {s} b WHERE {self._key_match('a', 'b')} AND b._row < a._row) "
                "ORDER BY a._row"
            )
        ]
        clash = {
            Mode.INSERT: ("EXISTS", "a record with this primary key is already in the dataset"),
            Mode.UPDATE: ("NOT EXISTS", "no record with this primary key to update"),
        }.get(self.mode)
        if clash:
            op, reason = clash
            found += [
                KeyProblem(int(r), str(k), reason)
                for r, k in self.conn.exec_driver_sql(
                    f"SELECT a._row, {self._key_text('a')} FROM {s} a WHERE {op} "
                    f"(SELECT 1 FROM {t} b WHERE {self._key_match('a', 'b')}) ORDER BY a._row"
                )
            ]
        return sorted(found, key=lambda p: p.row)

    def _merge(self) -> Written:
        s, t, cols = self.STAGE, self.table, ", ".join(self.names)
        total = int(self.conn.exec_driver_sql(f"SELECT count(*) FROM {s}").scalar_one())
        if self.mode in (Mode.INSERT, Mode.REPLACE):
            self.conn.exec_driver_sql(
                f"INSERT INTO {t} ({cols}) SELECT {cols} FROM {s} ORDER BY _row"
            )
            return Written(inserted=total)
        existing = int(
            self.conn.exec_driver_sql(
                f"SELECT count(*) FROM {s} a WHERE EXISTS "
                f"(SELECT 1 FROM {t} b WHERE {self._key_match('a', 'b')})"
            ).scalar_one()
        )
        others = [n for n in self.present if n not in self.schema.primary_key]
        if self.mode == Mode.UPDATE:
            sets = (
                ", ".join(f"{n} = {s}.{n}" for n in others)
                or f"{self.names[0]} = {t}.{self.names[0]}"
            )
            self.conn.exec_driver_sql(
                f"UPDATE {t} SET {sets} FROM {s} WHERE {self._key_match(t, s)}"
            )
            return Written(updated=existing)
        keys = ", ".join(self.schema.primary_key)
        cols = ", ".join(self.present)
        action = (
            "DO UPDATE SET " + ", ".join(f"{n} = excluded.{n}" for n in others)
            if others
            else "DO NOTHING"
        )
        self.conn.exec_driver_sql(
            f"INSERT INTO {t} ({cols}) SELECT {cols} FROM {s} WHERE true ORDER BY _row "
            f"ON CONFLICT ({keys}) {action}"
        )
        return Written(inserted=total - existing, updated=existing)
