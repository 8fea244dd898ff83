"""Where a plan runs: in the platform's database (SQLite, PostgreSQL) or on Spark.

The SQL engines compile the Ibis expression to the connection's dialect and
run it inside the caller's transaction, so a recomputation sees the same
snapshot it writes into. The Spark engine runs the very same expression with
Ibis's PySpark backend over Parquet snapshots of the dataset tables: what one
uses when one machine is no longer enough. PySpark is an optional extra.

>>> import ibis
>>> t = ibis.table({"a": "int64"}, name="ds_1")
>>> "COUNT(*)" in compile_sql(t.aggregate(n=t.count()), "sqlite")
True
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Connection, select, text
from sqlalchemy.engine import RowMapping

from lienthong.catalog.service import schema_of, table_name
from lienthong.catalog.tableschema import TableSchema
from lienthong.core.errors import ValidationFailed
from lienthong.indicators.plan import ibis_schema
from lienthong.warehouse.export import ARROW_TYPES
from lienthong.warehouse.tables import query_table

ENGINES = ("sqlite", "postgresql", "spark")
_DIALECTS = {"sqlite": "sqlite", "postgresql": "postgres"}
_CORES = min(2, os.cpu_count() or 1)  # plans run side by side on SQLite (SqlEngine.run_all)


class Engine(Protocol):
    name: str

    def table(self, dataset: RowMapping, schema: TableSchema) -> ir.Table:
        """The dataset's records as an Ibis table this engine can run."""
        ...

    def run(self, expr: ir.Table) -> pa.Table:
        """Run the expression; the result as Arrow."""
        ...

    def run_all(self, exprs: Sequence[ir.Table]) -> list[pa.Table]:
        """Run several expressions (possibly side by side); their results in their order."""
        ...

    @property
    def lanes(self) -> int:
        """How many expressions `run_all` runs side by side."""
        ...

    def close(self) -> None:
        """Release what the engine opened (not the caller's connection or session)."""
        ...


def compile_sql(expr: ir.Table, dialect: str) -> str:
    return str(ibis.to_sql(expr, dialect=dialect))


def warm(backend: str) -> None:
    """Compile one grouped plan for this back end, so the first ingestion after start-up
    does not pay for importing Ibis's SQL compilers and sqlglot's dialect (~150 ms, most
    of a cold incremental update); and run one Arrow join and grouping, whose first call
    sets up Acero (~25 ms)."""
    one = pa.table({"k": ["a"], "v": [1.0]})
    one.join(one.select(["k"]), "k").group_by("k").aggregate([("v", "sum")])
    t = ibis.table({"unit": "string", "period": "string", "x": "float64"}, name="t")
    compile_sql(
        t.group_by(["unit", "period"]).aggregate(n=t.count(), x=t.x.sum()), _DIALECTS[backend]
    )


class SqlEngine:
    """The database the data is in, through the caller's connection.

    On a SQLite file, plans read through a connection of their own (see `_reader`); call
    `close()` when done.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.name = conn.dialect.name
        self.dialect = _DIALECTS[self.name]
        self._scans: list[sqlite3.Connection] = []

    def table(self, dataset: RowMapping, schema: TableSchema) -> ir.Table:
        return ibis.table(ibis_schema(schema), name=table_name(dataset))

    def run(self, expr: ir.Table) -> pa.Table:
        return self._run(compile_sql(expr, self.dialect), arrow_schema(expr), self._reader())

    def run_all(self, exprs: Sequence[ir.Table]) -> list[pa.Table]:
        """On a SQLite file, two at a time, each on a connection of its own: the driver
        releases the GIL while SQLite steps, so two GROUP BY sorts use two cores (measured
        over 1M rows split in two unit ranges: 0.96 s → 0.60 s, see benchmarks/RESULTS.md)."""
        lanes = min(self.lanes, len(exprs))
        if lanes < 2:
            return [self.run(e) for e in exprs]
        readers = [self._reader(i) for i in range(lanes)]
        # compiled here: the threads only run SQL and build Arrow tables
        plans = [(compile_sql(e, self.dialect), arrow_schema(e)) for e in exprs]

        def lane(i: int) -> list[pa.Table]:
            return [self._run(sql, schema, readers[i]) for sql, schema in plans[i::lanes]]

        with ThreadPoolExecutor(lanes) as pool:
            results = list(pool.map(lane, range(lanes)))
        return [results[k % lanes][k // lanes] for k in range(len(exprs))]

    @property
    def lanes(self) -> int:
        """Two on a SQLite file (when the machine has two cores), else one."""
        return _CORES if self._file() else 1

    def _file(self) -> str | None:
        """The SQLite file plans open connections of their own on (see `_reader`)."""
        path = self.conn.engine.url.database
        if self.name != "sqlite" or not path or path == ":memory:" or path.startswith("file:"):
            return None
        return path

    def _run(self, sql: str, schema: pa.Schema, reader: Any) -> pa.Table:
        # the driver's own cursor: no parameter parsing, so '%' in SQL is safe on psycopg
        cursor = reader.cursor()
        try:
            cursor.execute(sql)
            rows = cursor.fetchall()
        finally:
            cursor.close()
        return arrow_rows(rows, schema)

    def _reader(self, lane: int = 0) -> Any:
        """SQLite: GROUP BY sorts, and its sorter is about 1.7 × slower with the platform's
        ``temp_store=MEMORY`` (one sort in memory) than with temporary files (sorted runs,
        merged; measured over 1M rows, see benchmarks/RESULTS.md). The setting cannot change
        inside a transaction once the connection has used a temporary table (the warehouse
        stages upserts in one), so plans read through a connection of their own, with files.
        It sees what the caller's transaction sees: that transaction holds the write lock
        (BEGIN IMMEDIATE), so nothing commits in between, and plans read only the dataset
        tables, which a recomputation does not write. In-memory databases (one per connection)
        and PostgreSQL read through the caller's connection."""
        path = self._file()
        if path is None:
            return self.conn.connection.driver_connection
        while len(self._scans) <= lane:
            scans = sqlite3.connect(Path(path).resolve(), check_same_thread=False)
            scans.execute("PRAGMA temp_store = FILE")
            self._scans.append(scans)
        return self._scans[lane]

    def close(self) -> None:
        for scans in self._scans:
            scans.close()
        self._scans = []


_ARROW = {"string": pa.string(), "float64": pa.float64(), "int64": pa.int64()}


def arrow_schema(expr: ir.Table) -> pa.Schema:
    """The result's Arrow schema (plans only yield text, float and integer columns)."""
    fields = []
    for name, dtype in expr.schema().items():
        kind = "string" if dtype.is_string() else "float64" if dtype.is_floating() else "int64"
        fields.append(pa.field(name, _ARROW[kind]))
    return pa.schema(fields)


def arrow_rows(rows: list[Any], schema: pa.Schema) -> pa.Table:
    """The driver's row tuples as an Arrow table of `schema`."""
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [[]] * len(schema)
    arrays = [pa.array(list(c), type=f.type) for c, f in zip(columns, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


class SparkEngine:
    """Local (or any) PySpark session over Parquet snapshots written to `directory`."""

    name = "spark"

    def __init__(self, session: Any, directory: Path, conn: Connection) -> None:
        self.session = session
        self.backend = ibis.pyspark.connect(session)
        self.directory = directory
        self.conn = conn

    def table(self, dataset: RowMapping, schema: TableSchema) -> ir.Table:
        path = snapshot(self.conn, dataset, self.directory)
        return self.backend.read_parquet(str(path), table_name=table_name(dataset))

    lanes = 1  # Spark runs each plan in parallel itself

    def run_all(self, exprs: Sequence[ir.Table]) -> list[pa.Table]:
        return [self.run(e) for e in exprs]

    def run(self, expr: ir.Table) -> pa.Table:
        frame = self.session.sql(str(self.backend.compile(expr)))
        # Spark 4 hands Arrow over directly; through pandas it is several times slower
        result = frame.toArrow() if hasattr(frame, "toArrow") else self.backend.to_pyarrow(expr)
        return result.cast(arrow_schema(expr))

    def close(self) -> None:
        """The session is the caller's; the snapshots stay for the next run."""


def snapshot(conn: Connection, dataset: RowMapping, directory: Path) -> Path:
    """Write the dataset's table to Parquet, typed from its Table Schema."""
    schema = schema_of(dataset)
    table = query_table(table_name(dataset), schema)
    fields = [pa.field("_id", pa.int64())]
    fields += [pa.field(f.name, ARROW_TYPES.get(f.type, pa.string())) for f in schema.fields]
    arrow_schema = pa.schema(fields)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{table_name(dataset)}.parquet"
    with pq.ParquetWriter(path, arrow_schema) as writer:
        result = conn.execution_options(yield_per=100_000).execute(select(table))
        for part in result.partitions():
            columns = list(zip(*part, strict=True))
            arrays = [pa.array(list(c), type=f.type) for c, f in zip(columns, fields, strict=True)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=arrow_schema))
    return path


def spark_session(app: str = "lienthong-indicators") -> Any:
    """A local Spark session (PySpark must be installed: `pip install 'lienthong[spark]'`)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        msg = "the spark engine needs PySpark: pip install 'lienthong[spark]'"
        raise ValidationFailed(msg, errors={"engine": [msg]}) from None
    return (
        SparkSession.builder.master("local[2]")
        .appName(app)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )


def check_engine(name: str, conn: Connection) -> None:
    """`sqlite` and `postgresql` run where the data is: they must name the database's kind."""
    if name not in ENGINES:
        msg = f"unknown engine {name!r}: use {', '.join(ENGINES)}"
        raise ValidationFailed(msg, errors={"engine": [msg]})
    if name != "spark" and name != conn.dialect.name:
        msg = f"engine {name} cannot run here: the data is in {conn.dialect.name}"
        raise ValidationFailed(msg, errors={"engine": [msg]})


def max_id(conn: Connection, dataset: RowMapping) -> int:
    sql = text(f"SELECT coalesce(max(_id), 0) FROM {table_name(dataset)}")  # noqa: S608
    return int(conn.execute(sql).scalar_one())
