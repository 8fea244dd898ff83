"""Streaming downloads of a query's records: CSV, NDJSON, Parquet, XLSX.

CSV and XLSX cells of text fields that begin with = + - @ (or a tab or
carriage return) get a leading apostrophe, so a spreadsheet never runs them
as formulas (CSV injection). Parquet columns take their types from the
Table Schema, not from whichever values come first.

    for part in stream("csv", ["_id", "ten"], {"_id": "integer", "ten": "string"}, chunks): ...
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterator, Mapping
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
# Table Schema types whose values are free text, and so may look like formulas
TEXT_TYPES = frozenset({"string", "any"})
ARROW_TYPES = {
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
    "year": pa.int64(),
}


def stream(
    fmt: str, fields: list[str], kinds: Mapping[str, str], chunks: Chunks
) -> Iterator[bytes]:
    """The download in `fmt`, given each field's Table Schema type (`kinds`)."""
    text = {f for f in fields if kinds.get(f) in TEXT_TYPES}
    if fmt == "csv":
        return csv_stream(fields, text, chunks)
    if fmt == "xlsx":
        return xlsx_stream(fields, text, chunks)
    if fmt == "ndjson":
        return ndjson_stream(fields, chunks)
    types = {f: ARROW_TYPES.get(kinds.get(f, ""), pa.string()) for f in fields}
    return parquet_stream(fields, chunks, types)


def defuse(value: Any) -> Any:
    """Neutralise a text cell a spreadsheet would read as a formula.

    >>> defuse("=HYPERLINK(1)"), defuse("-5"), defuse(-5), defuse("Hải Phòng")
    ("'=HYPERLINK(1)", "'-5", -5, 'Hải Phòng')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _plain(value: Any) -> Any:
    return _json_text(_iso(value))


def _json_text(value: Any) -> Any:
    """Objects and arrays as JSON text, for formats whose cells hold no structure."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
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
        lines = (json.dumps({f: _iso(r[f]) for f in fields}, ensure_ascii=False) for r in rows)
        yield ("\n".join(lines) + "\n").encode() if rows else b""


def _spooled(write: Callable[[Any], None]) -> Iterator[bytes]:
    """Formats with a footer are built in a temporary file, then streamed from it."""
    with tempfile.TemporaryFile() as fh:
        write(fh)
        fh.seek(0)
        while chunk := fh.read(1 << 20):
            yield chunk


def parquet_stream(
    fields: list[str], chunks: Chunks, types: Mapping[str, pa.DataType] | None = None
) -> Iterator[bytes]:
    schema = pa.schema([(f, (types or {}).get(f, pa.string())) for f in fields])

    def write(fh: Any) -> None:
        with pq.ParquetWriter(fh, schema) as writer:
            for rows in chunks:
                cells = [{f: _json_text(r[f]) for f in fields} for r in rows]
                writer.write_table(pa.Table.from_pylist(cells, schema=schema))

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
    return _json_text(value)
