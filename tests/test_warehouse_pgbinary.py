"""The binary COPY stream built from Arrow columns, read back by a real PostgreSQL."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import psycopg
import pyarrow as pa
import pytest

from lienthong.warehouse import pgbinary
from tests.pgcluster import Cluster

COLUMNS = (
    "i bigint, y integer, f double precision, b boolean, d date, t timestamptz, s text, n text"
)
BIG = 2**63 - 1


def _table() -> pa.Table:
    return pa.table(
        {
            "i": pa.array([1, None, -BIG, BIG, 0], pa.int64()),
            "y": pa.array([2025, None, -1, 2**31 - 1, 0], pa.int32()),
            "f": pa.array([1.5, None, -0.0, math.inf, 1e-300], pa.float64()),
            "b": pa.array([True, None, False, True, False]),
            "d": pa.array(
                [date(2025, 1, 2), None, date(1, 1, 1), date(1999, 12, 31), date(2000, 1, 1)],
                pa.date32(),
            ),
            "t": pa.array(
                [
                    datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
                    None,
                    datetime(1970, 1, 1, tzinfo=UTC),
                    datetime(1900, 6, 30, 23, 59, 59, tzinfo=UTC),
                    datetime(2000, 1, 1, tzinfo=UTC),
                ],
                pa.timestamp("us", tz="UTC"),
            ),
            "s": pa.array(["Hải Phòng", None, "", 'a,"b"\n\\N', "Nguyễn Thị Ánh"], pa.string()),
            "n": pa.array([None] * 5, pa.string()),
        }
    )


def _copied(cluster: Cluster, tbl: pa.Table) -> list[tuple[Any, ...]]:
    data = pgbinary.encode(tbl)
    assert data is not None
    name = cluster.create_database()
    try:
        with psycopg.connect(cluster.dsn(name)) as conn:
            conn.execute(f"CREATE TABLE t (k serial, {COLUMNS})")
            cols = ", ".join(tbl.column_names)
            sql = f"COPY t ({cols}) FROM STDIN (FORMAT binary)"
            with conn.cursor() as cur, cur.copy(sql) as cp:
                cp.write(data)
            return conn.execute(f"SELECT {cols} FROM t ORDER BY k").fetchall()
    finally:
        cluster.drop_database(name)


@pytest.mark.postgres
def test_values_of_every_type_with_nulls_and_edges_arrive_as_sent(pg_cluster: Cluster) -> None:
    tbl = _table()
    rows = _copied(pg_cluster, tbl)
    assert rows == [tuple(r.values()) for r in tbl.to_pylist()]
    assert math.copysign(1, rows[2][2]) == -1  # -0.0 kept, bit for bit


@pytest.mark.postgres
def test_a_slice_of_a_chunked_table_and_an_empty_table(pg_cluster: Cluster) -> None:
    tbl = pa.concat_tables([_table(), _table()]).slice(3, 4)  # two chunks, offsets inside
    assert tbl.column("s").num_chunks == 2
    assert _copied(pg_cluster, tbl) == [tuple(r.values()) for r in tbl.to_pylist()]
    assert _copied(pg_cluster, tbl.slice(0, 0)) == []


def test_a_type_without_an_encoding_asks_for_csv_instead() -> None:
    assert pgbinary.encode(pa.table({"x": pa.array([Decimal("1.5")])})) is None
    assert pgbinary.encode(pa.table({"x": pa.array([1], pa.int16())})) is None
