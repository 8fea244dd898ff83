"""Arrow tables as PostgreSQL's binary COPY format, built column by column.

The server then stores each value as sent, without parsing text into dates and
numbers: 1M rows × 8 columns cost it 0.3–0.5 s less CPU than CSV. No Python runs
per row: each column becomes one or two binary pieces a row (a big-endian length,
then the value), and Arrow joins the pieces of each row into one buffer.

    data = encode(table)  # None if a column's type has no encoding here
    cursor.copy("COPY t (a, b) FROM STDIN (FORMAT binary)").write(data)

Each column's Arrow type decides its PostgreSQL type: string → text, int64 →
bigint, int32 → integer, float64 → double precision, bool → boolean, date32 →
date, timestamp → timestamptz. The target columns must have those types.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8  # flags, then no header extension
TRAILER = b"\xff\xff"
PG_EPOCH_DAYS = 10_957  # 2000-01-01, PostgreSQL's day 0, in days since 1970-01-01
PG_EPOCH_US = PG_EPOCH_DAYS * 86_400_000_000
NULL = -1
# an explicit map: `DataType.to_pandas_dtype` would import pandas (0.15 s) if not yet loaded
BIG_ENDIAN = {pa.int64(): ">i8", pa.int32(): ">i4", pa.float64(): ">f8"}


def encode(tbl: pa.Table) -> bytes | None:
    """One complete binary COPY stream of `tbl`'s rows; None if a column's type is not handled."""
    n = tbl.num_rows
    pieces = [_fixed_binary(np.full(n, tbl.num_columns, dtype=">i2"))]
    for col in tbl.columns:
        encoded = _column(col.combine_chunks())
        if encoded is None:
            return None
        pieces += encoded
    body = _joined(pieces, n) if n else memoryview(b"")
    return b"".join((SIGNATURE, body, TRAILER))


def _joined(pieces: list[pa.Array], n: int) -> memoryview:
    """Every row's pieces end to end, rows after one another."""
    empty = pa.scalar(b"", pa.large_binary())
    rows = pc.binary_join_element_wise(*[p.cast(pa.large_binary()) for p in pieces], empty)
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64, count=n + 1, offset=rows.offset * 8)
    data = rows.buffers()[2]
    assert data is not None
    return memoryview(data)[int(offsets[0]) : int(offsets[n])]


def _fixed_binary(values: np.ndarray) -> pa.Array:
    """A contiguous numpy array's items as fixed-size binary values, without a copy."""
    values = np.ascontiguousarray(values)
    width = values.dtype.itemsize
    return pa.Array.from_buffers(pa.binary(width), len(values), [None, pa.py_buffer(values)])


def _column(col: pa.Array) -> list[pa.Array] | None:
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        return _text(col)
    values = _numbers(col)
    if values is None:
        return None
    if not col.null_count:
        # length and value as one piece a row
        rec = np.empty(len(values), dtype=[("len", ">i4"), ("value", values.dtype)])
        rec["len"], rec["value"] = values.dtype.itemsize, values
        return [_fixed_binary(rec.view(np.dtype((np.void, rec.dtype.itemsize))))]
    nulls = col.is_null()
    lengths = np.where(nulls.to_numpy(zero_copy_only=False), NULL, values.dtype.itemsize)
    body = pc.if_else(nulls, pa.scalar(b"", pa.binary()), _fixed_binary(values).cast(pa.binary()))
    return [_fixed_binary(lengths.astype(">i4")), body]


def _text(col: pa.Array) -> list[pa.Array]:
    lengths = pc.fill_null(pc.binary_length(col), NULL).to_numpy().astype(">i4")
    body = col.cast(pa.large_binary() if pa.types.is_large_string(col.type) else pa.binary())
    return [_fixed_binary(lengths), pc.fill_null(body, b"") if col.null_count else body]


def _numbers(col: pa.Array) -> np.ndarray | None:
    """Big-endian values (anything where a value is null), or None for a type not handled."""
    t = col.type
    out: np.ndarray
    if pa.types.is_boolean(t):
        out = pc.fill_null(col, False).to_numpy(zero_copy_only=False).astype(np.uint8)
    elif t in BIG_ENDIAN:
        out = pc.fill_null(col, 0).to_numpy().astype(BIG_ENDIAN[t])
    elif pa.types.is_date32(t):
        days = pc.fill_null(col.cast(pa.int32()), 0).to_numpy()
        out = (days - PG_EPOCH_DAYS).astype(">i4")
    elif pa.types.is_timestamp(t):
        us = col.cast(pa.timestamp("us", tz=t.tz)).cast(pa.int64())
        out = (pc.fill_null(us, 0).to_numpy() - PG_EPOCH_US).astype(">i8")
    else:
        return None
    return out
