"""Reading sources as batches of text columns: CSV, TSV, XLSX and Parquet here; JSON
records, JSON and NDJSON files in `records`, on the shared helpers below.

Every reader streams: memory stays bounded by the batch size whatever the
file's size. CSV goes through pyarrow's parser; a file it cannot parse
(ragged rows, broken bytes) is read again by Python's csv module, which
names each bad row exactly. Typed cells (XLSX, JSON, Parquet) are rendered
as text in the field's own format, so one validator serves every format.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from lienthong.catalog.tableschema import SchemaField, TableSchema
from lienthong.core import vntext
from lienthong.core.errors import ValidationFailed
from lienthong.warehouse.validate import RowError, _shorten

BATCH_ROWS = 65_536
SNIFF_BYTES = 64 * 1024
FORMATS = ("csv", "tsv", "xlsx", "json", "ndjson", "parquet")
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class Opened:
    """An open source: its columns, its batches, and what was learnt while reading."""

    columns: list[str]
    batches: Iterator[tuple[pa.RecordBatch, int]]
    notes: list[str] = field(default_factory=list)
    # rows that could not even be split into fields; drained by the ingestion loop
    malformed: list[RowError] = field(default_factory=list)


def detect_format(path: Path, declared: str | None = None) -> str:
    if declared:
        if declared not in FORMATS:
            raise ValidationFailed(
                f"unknown format '{declared[:20]}': use one of {', '.join(FORMATS)}"
            )
        return declared
    suffix = path.suffix.lower().lstrip(".")
    aliases = {"jsonl": "ndjson", "txt": "csv", "xls": "xlsx"}
    fmt = aliases.get(suffix, suffix)
    if fmt in FORMATS:
        return fmt
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    return "csv"


def render(value: Any, f: SchemaField) -> str | None:
    """A typed cell as the text the field's format expects."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _boolean(value, f)
    if isinstance(value, datetime):
        if f.type == "date":
            return value.strftime(_date_format(f))
        return value.isoformat()
    if isinstance(value, date):
        return value.strftime(_date_format(f)) if f.type == "date" else value.isoformat()
    if isinstance(value, float) and value.is_integer() and f.type in ("integer", "year", "string"):
        return str(int(value))
    if isinstance(value, float) and f.type == "number":
        # the text goes through the field's groupChar/decimalChar, as a cell typed in would
        return repr(value).replace(".", _decimal_char(f))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _boolean(value: bool, f: SchemaField) -> str:
    extra = f.model_extra or {}
    if f.type != "boolean":
        return "true" if value else "false"
    values = extra.get("trueValues" if value else "falseValues")
    return str(values[0]) if values else ("true" if value else "false")


def _decimal_char(f: SchemaField) -> str:
    return str((f.model_extra or {}).get("decimalChar") or ".")


def _date_format(f: SchemaField) -> str:
    return "%Y-%m-%d" if f.format in ("default", "any") else f.format


def batch(columns: list[str], rows: list[list[str | None]]) -> pa.RecordBatch:
    arrays = [pa.array([r[i] for r in rows], pa.string()) for i in range(len(columns))]
    return pa.RecordBatch.from_arrays(arrays, names=columns)


def schema_fields(schema: TableSchema) -> dict[str, SchemaField]:
    return {f.name: f for f in schema.fields}


def header_names(columns: list[Any]) -> list[str]:
    names = [str(c).strip() if c is not None else "" for c in columns]
    if not names or any(not n for n in names):
        raise ValidationFailed("the header row has an empty column name")
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValidationFailed(f"the header names a column twice: {', '.join(dupes[:5])}")
    return names


# -- CSV and TSV ---------------------------------------------------------------------


def sniff_encoding(path: Path, declared: str | None) -> str:
    if declared:
        return declared
    with path.open("rb") as fh:
        return vntext.detect_encoding(fh.read(SNIFF_BYTES))


PYTHON_CODECS = ("utf-8", "utf-8-sig", "ascii", "utf-16", "utf-16-le", "utf-16-be", "cp1258")


@dataclass
class TextLines:
    """A file's lines as text (newlines kept), legacy encodings converted on the fly."""

    lines: Iterator[str]
    close: Any


def text_lines(path: Path, encoding: str) -> TextLines:
    if encoding in PYTHON_CODECS:
        codec = "utf-8-sig" if encoding == "utf-8" else encoding
        stream = io.TextIOWrapper(path.open("rb"), encoding=codec, newline="", errors="strict")
        return TextLines(iter(stream), stream.close)
    fh = path.open("rb")
    chunks = iter(lambda: fh.read(1 << 20), b"")
    return TextLines(_split_lines(vntext.iter_decode(chunks, encoding)), fh.close)


def _split_lines(parts: Iterator[str]) -> Iterator[str]:
    pending = ""
    for part in parts:
        pending += part
        *lines, pending = pending.split("\n")
        for line in lines:
            yield line + "\n"
    if pending:
        yield pending


def open_csv_slow(path: Path, encoding: str, delimiter: str) -> Opened:
    """Python's csv module: slower, but it names every malformed row and byte."""
    text = text_lines(path, encoding)
    reader = csv.reader(text.lines, delimiter=delimiter)
    try:
        columns = header_names(next(reader))
    except StopIteration:
        text.close()
        raise ValidationFailed("the file is empty: no header row") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        text.close()
        raise unreadable(exc, encoding) from exc
    opened = Opened(columns, iter(()))
    opened.batches = _csv_batches(reader, text, columns, opened, encoding)
    return opened


def _csv_batches(
    reader: Any, text: TextLines, columns: list[str], opened: Opened, encoding: str
) -> Iterator[tuple[pa.RecordBatch, int]]:
    width, first, record = len(columns), 1, 0
    rows: list[list[str | None]] = []
    try:
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except (UnicodeDecodeError, csv.Error) as exc:
                raise unreadable(exc, encoding, record + 1) from exc
            if not values:
                continue  # a blank line is no record (pyarrow's fast path skips it too)
            record += 1
            if len(values) != width:
                shown = _shorten(",".join(values))
                reason = f"has {len(values)} values; the header has {width}"
                if any("\n" in v for v in values):
                    reason += " (a quoted value runs on over lines: is a closing quote missing?)"
                opened.malformed.append(RowError(record, "(row)", shown, reason))
                # a batch's rows are numbered on from its first: end it at the gap
                if rows:
                    yield batch(columns, rows), first
                first, rows = record + 1, []
                continue
            rows.append(values)
            if len(rows) == BATCH_ROWS:
                yield batch(columns, rows), first
                first, rows = record + 1, []
        if rows:
            yield batch(columns, rows), first
    finally:
        text.close()


def unreadable(exc: Exception, encoding: str, record: int | None = None) -> ValidationFailed:
    where = f" near row {record:,}" if record else ""
    if isinstance(exc, UnicodeDecodeError):
        return ValidationFailed(
            f"the file is not valid {encoding}{where} (byte {exc.start:,} of a chunk): "
            "declare its encoding, e.g. windows-1258, tcvn3 or vni"
        )
    return ValidationFailed(f"the CSV cannot be read{where}: {exc}")


# -- spreadsheets, JSON, Parquet ------------------------------------------------------


def open_xlsx(path: Path, schema: TableSchema) -> Opened:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise ValidationFailed(f"the file is not a valid XLSX workbook: {exc}") from exc
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise ValidationFailed(f"the file is not a valid XLSX workbook: {exc}") from exc
    rows = wb.worksheets[0].iter_rows(values_only=True)
    try:
        columns = header_names(list(next(rows)))
    except StopIteration:
        wb.close()
        raise ValidationFailed("the workbook's first sheet is empty") from None
    fields = schema_fields(schema)
    opened = Opened(columns, iter(()))

    def batches() -> Iterator[tuple[pa.RecordBatch, int]]:
        buf: list[list[str | None]] = []
        first, record = 1, 0
        try:
            for cells in rows:
                record += 1
                if all(c is None for c in cells):
                    continue
                values = list(cells)[: len(columns)] + [None] * (len(columns) - len(cells))
                buf.append(
                    [
                        render(v, fields[c]) if c in fields else render(v, _ANY)
                        for c, v in zip(columns, values, strict=True)
                    ]
                )
                if len(buf) == BATCH_ROWS:
                    yield batch(columns, buf), first
                    first, buf = record + 1, []
            if buf:
                yield batch(columns, buf), first
        finally:
            wb.close()

    opened.batches = batches()
    return opened


_ANY = SchemaField(name="any", type="any")


def open_parquet(path: Path, schema: TableSchema) -> Opened:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise ValidationFailed(f"the file is not a valid Parquet file: {exc}") from exc
    columns = header_names(pf.schema_arrow.names)
    fields = schema_fields(schema)
    opened = Opened(columns, iter(()))

    def batches() -> Iterator[tuple[pa.RecordBatch, int]]:
        first = 1
        for rb in pf.iter_batches(batch_size=BATCH_ROWS):
            arrays = [
                _text_column(rb.column(i), fields.get(c, _ANY)) for i, c in enumerate(columns)
            ]
            yield pa.RecordBatch.from_arrays(arrays, names=columns), first
            first += rb.num_rows

    opened.batches = batches()
    return opened


def _text_column(col: pa.Array, f: SchemaField) -> pa.Array:
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        return col.cast(pa.string())
    if pa.types.is_integer(col.type):
        return col.cast(pa.string())
    if pa.types.is_floating(col.type) and f.type == "number":
        text = col.cast(pa.string())
        if _decimal_char(f) == ".":
            return text
        return pc.replace_substring(text, pattern=".", replacement=_decimal_char(f))
    return pa.array([render(v, f) for v in col.to_pylist()], pa.string())
