"""Streaming downloads of a query's records: CSV, NDJSON, Parquet, XLSX.

CSV and XLSX cells of text fields that begin with = + - @ (or a tab or
carriage return) get a leading apostrophe, so a spreadsheet never runs them
as formulas (CSV injection).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "ndjson": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Chunks = Iterator[list[dict[str, Any]]]


def defuse(value: Any) -> Any:
    """Neutralise a text cell a spreadsheet would read as a formula.

    >>> defuse("=HYPERLINK(1)"), defuse("-5"), defuse(-5), defuse("Hải Phòng")
    ("'=HYPERLINK(1)", "'-5", -5, 'Hải Phòng')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def csv_stream(fields: list[str], text_fields: set[str], chunks: Chunks) -> Iterator[bytes]:
    buf = io.StringIO()
    w = csv.writer(buf)
    # a BOM so that spreadsheet programs read the Vietnamese text as UTF-8
    yield "\ufeff".encode()
    w.writerow(fields)
    for rows in chunks:
        for r in rows:
            w.writerow([defuse(r[f]) if f in text_fields else _plain(r[f]) for f in fields])
        yield buf.getvalue().encode()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue().encode()


def ndjson_stream(fields: list[str], chunks: Chunks) -> Iterator[bytes]:
    for rows in chunks:
        lines = (json.dumps({f: _plain(r[f]) for f in fields}, ensure_ascii=False) for r in rows)
        yield ("\n".join(lines) + "\n").encode() if rows else b""


def _spooled(write: Callable[[Any], None]) -> Iterator[bytes]:
    """Formats with a footer are built in a temporary file, then streamed from it."""
    with tempfile.TemporaryFile() as fh:
        write(fh)
        fh.seek(0)
        while chunk := fh.read(1 << 20):
            yield chunk


def parquet_stream(fields: list[str], chunks: Chunks) -> Iterator[bytes]:
    def write(fh: Any) -> None:
        writer: pq.ParquetWriter | None = None
        for rows in chunks:
            if not rows:
                continue
            batch = pa.Table.from_pylist([{f: r[f] for f in fields} for r in rows])
            if writer is None:
                writer = pq.ParquetWriter(fh, batch.schema)
            writer.write_table(batch.cast(writer.schema))
        if writer is None:
            writer = pq.ParquetWriter(fh, pa.schema([(f, pa.string()) for f in fields]))
        writer.close()

    return _spooled(write)


def xlsx_stream(fields: list[str], text_fields: set[str], chunks: Chunks) -> Iterator[bytes]:
    from openpyxl import Workbook

    def write(fh: Any) -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("data")
        ws.append(fields)
        for rows in chunks:
            for r in rows:
                ws.append([defuse(r[f]) if f in text_fields else _excel(r[f]) for f in fields])
        wb.save(fh)

    return _spooled(write)


def _excel(value: Any) -> Any:
    # Excel has no time zones: write UTC wall time
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return value
