"""Writing validated batches into a dataset's table, inside the caller's transaction.

Two paths:
- direct: rows go straight into the table (SQLite multi-row INSERTs, PostgreSQL
  `COPY`, see `payload`); the table's unique index refuses duplicate keys. On
  PostgreSQL, a load into an empty table numbers its rows itself (`_id`) from a
  block taken off the table's sequence, under a lock that keeps other writers out.
- staged: rows go to a temporary table first, so that duplicate keys (in the
  file, or against the table) can be named row by row, set aside, and the
  rest merged with one INSERT … SELECT (ON CONFLICT … DO UPDATE for upserts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import BigInteger, Column, Connection, Index, MetaData, Table, exc

from lienthong.catalog.tableschema import TableSchema
from lienthong.warehouse import tables
from lienthong.warehouse.payload import DuplicateKey, Payload, insert, prepare
from lienthong.warehouse.tables import sql_type

__all__ = ["DuplicateKey", "KeyProblem", "Mode", "Prepared", "Writer", "Written"]


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


@dataclass(frozen=True)
class KeyOrder:
    """Whether a batch's keys ascend, and its first and last key."""

    ascending: bool
    first: object
    last: object


def _key_order(col: pa.ChunkedArray) -> KeyOrder:
    keys = col.combine_chunks()
    n = len(keys)
    ascending = not keys.null_count and (
        n < 2 or bool(pc.all(pc.greater(keys.slice(1), keys.slice(0, n - 1))).as_py())
    )
    return KeyOrder(ascending, keys[0].as_py(), keys[n - 1].as_py())


@dataclass(frozen=True)
class Prepared:
    count: int
    payload: Payload
    keys: KeyOrder | None = None


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
        # the key whose order is watched while its unique index stays (see `_watch`)
        self.watched: str | None = None
        self.last_key: object = None
        # the next `_id` when this load numbers its rows itself (see `_take_ids`)
        self.next_id: int | None = None
        self.first_id = 0
        if self.staged:
            self._create_stage()
        elif tables.is_empty(conn, table):
            # a bulk load into an empty table: build its unique indexes once, at the end
            self.deferred = tables.unique_indexes(tables.build_table(table, schema), schema)
            if conn.dialect.name == "sqlite" and len(self.deferred) == len(schema.primary_key) == 1:
                self.watched = schema.primary_key[0]
            else:
                self._drop_deferred()
            if conn.dialect.name == "postgresql":
                self._take_ids()

    def _take_ids(self) -> None:
        """Sending `_id` saves the server a `nextval` a row (0.4 s of its CPU per 1M rows).
        The lock keeps out any other writer, whose rows would draw numbers from the
        sequence, until this transaction ends; `finish` moves the sequence past ours."""
        self.conn.exec_driver_sql(f"LOCK TABLE {self.table} IN EXCLUSIVE MODE")
        self.sequence = str(
            self.conn.exec_driver_sql(
                f"SELECT pg_get_serial_sequence('{self.table}', '_id')"
            ).scalar_one()
        )
        first = self.conn.exec_driver_sql(f"SELECT nextval('{self.sequence}')").scalar_one()
        self.first_id = self.next_id = int(first)

    def _drop_deferred(self) -> None:
        self.watched = None
        for idx in self.deferred:
            self.conn.exec_driver_sql(f"DROP INDEX {idx.name}")

    def _watch(self, keys: KeyOrder | None) -> None:
        """Keys that arrive in ascending order go into SQLite's index at its right edge, as
        cheaply as into the table (a dossier code, a running number): the index stays. At
        the first key out of order it goes, to be built once at the end."""
        if keys is None:
            return
        if keys.ascending and (self.last_key is None or keys.first > self.last_key):  # type: ignore[operator]
            self.last_key = keys.last
        else:
            self._drop_deferred()

    def _create_stage(self) -> None:
        md = MetaData()
        cols = [Column("_row", BigInteger, nullable=False)]
        cols += [Column(f.name, sql_type(f)) for f in self.schema.fields]
        stage = Table(self.STAGE, md, *cols, prefixes=["TEMPORARY"], postgresql_on_commit="drop")
        self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS {self.STAGE}")
        stage.create(self.conn)

    def prepare(self, good: pa.Table, rows: pa.Array) -> Prepared:
        """The payload for `write`; safe to call on another thread."""
        keys = _key_order(good.column(self.watched)) if self.watched and good.num_rows else None
        if self.staged:
            good = good.add_column(0, "_row", rows)
        elif self.next_id is not None:
            n = good.num_rows
            good = good.add_column(
                0, "_id", pa.array(np.arange(self.next_id, self.next_id + n, dtype=np.int64))
            )
            self.next_id += n
        return Prepared(good.num_rows, prepare(self.conn.dialect.name, good), keys)

    def write(self, prepared: Prepared) -> None:
        if prepared.count == 0:
            return
        if self.watched:
            self._watch(prepared.keys)
        self.count += prepared.count
        if self.staged:
            insert(self.conn, self.STAGE, ["_row", *self.names], prepared.payload)
        elif self.next_id is not None:
            insert(self.conn, self.table, ["_id", *self.names], prepared.payload)
        else:
            insert(self.conn, self.table, self.names, prepared.payload)

    def finish(self, set_aside: bool) -> Written:
        """Merge staged rows. With `set_aside`, rows with key problems are left out."""
        if not self.staged:
            if self.next_id is not None and self.next_id > self.first_id:
                # never back: a `nextval` outside this table (none should be) keeps its number
                seq, last = self.sequence, self.next_id - 1
                self.conn.exec_driver_sql(
                    f"SELECT setval('{seq}', GREATEST({last}, (SELECT last_value FROM {seq})))"
                )
            for idx in [] if self.watched else self.deferred:
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
        # without it, finding repeats within the file is quadratic on SQLite
        keys = ", ".join(self.schema.primary_key)
        self.conn.exec_driver_sql(f"CREATE INDEX {s}_key ON {s} ({keys}, _row)")
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
