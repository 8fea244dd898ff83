"""JSON sources: records handed in through the API, JSON files and NDJSON files.

Each record is rendered into the schema's text columns (see `sources.render`), so one
validator serves every format. A JSON file is read twice as a stream of parser events
(`ijson`): once for the keys its records carry, once for the records, so memory stays
bounded by the batch size. A record that is not an object, or carries fields the schema
lacks, is a malformed row, reported with its number; it does not stop the others.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from lienthong.catalog.tableschema import SchemaField, TableSchema
from lienthong.core.errors import ValidationFailed
from lienthong.warehouse.sources import (
    BATCH_ROWS,
    SNIFF_BYTES,
    Opened,
    batch,
    render,
    schema_fields,
    text_lines,
    unreadable,
)
from lienthong.warehouse.validate import RowError, _shorten


def _records_batches(
    records: Iterator[tuple[int, Any]], schema: TableSchema, opened: Opened
) -> Iterator[tuple[pa.RecordBatch, int]]:
    """Records numbered by the caller; a gap in the numbers (a skipped line) ends a batch,
    since a batch's rows are numbered on from its first."""
    fields, columns = schema_fields(schema), opened.columns
    buf: list[list[str | None]] = []
    first = 1
    for record, rec in records:
        if buf and record != first + len(buf):
            yield batch(columns, buf), first
            buf = []
        if not buf:
            first = record
        problem = _not_a_record(rec, fields)
        if problem:
            opened.malformed.append(RowError(record, "(row)", *problem))
            continue
        buf.append([render(rec.get(c), fields[c]) for c in columns])
        if len(buf) == BATCH_ROWS:
            yield batch(columns, buf), first
            buf = []
    if buf:
        yield batch(columns, buf), first


def _not_a_record(rec: Any, fields: dict[str, SchemaField]) -> tuple[str, str] | None:
    """(the value shown, the reason) when `rec` cannot be a row."""
    if not isinstance(rec, dict):
        return _shorten(str(rec)), "is not a JSON object"
    unknown = [k for k in rec if k not in fields]
    if not unknown:
        return None
    shown = _shorten(json.dumps(rec, ensure_ascii=False, default=str))
    return shown, f"has fields not in the schema: {', '.join(map(str, unknown[:5]))}"


def _present(keys: set[str], schema: TableSchema) -> list[str]:
    """The fields the records carry, in schema order: upserts and updates change only these."""
    return [n for n in schema.names if n in keys] or schema.names


def open_records(records: list[Any], schema: TableSchema) -> Opened:
    """JSON records handed in through the API."""
    keys = {k for r in records if isinstance(r, dict) for k in r}
    opened = Opened(_present(keys, schema), iter(()))
    opened.batches = _records_batches(enumerate(records, start=1), schema, opened)
    return opened


def _json_keys(path: Path, prefix: str) -> set[str]:
    """The keys of the records in a JSON file, read as a stream of parser events."""
    import ijson

    keys: set[str] = set()
    found = False
    with path.open("rb") as fh:
        try:
            for where, event, value in ijson.parse(fh):
                found = found or (where == prefix[: -len(".item")] and event == "start_array")
                if where == prefix and event == "map_key":
                    keys.add(value)
        except ijson.JSONError as exc:
            raise ValidationFailed(f"the JSON file is malformed: {exc}") from exc
    if not found:
        raise ValidationFailed(
            'the JSON file holds neither an array of records nor {"records": [...]}'
        )
    return keys


def open_json(path: Path, schema: TableSchema) -> Opened:
    import ijson

    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES).lstrip()
    prefix = "records.item" if head.startswith(b"{") else "item"
    opened = Opened(_present(_json_keys(path, prefix), schema), iter(()))

    def items() -> Iterator[tuple[int, Any]]:
        with path.open("rb") as fh:
            try:
                yield from enumerate(ijson.items(fh, prefix, use_float=True), start=1)
            except ijson.JSONError as exc:
                raise ValidationFailed(f"the JSON file is malformed: {exc}") from exc

    opened.batches = _records_batches(items(), schema, opened)
    return opened


def _ndjson_lines(path: Path, encoding: str) -> Iterator[tuple[int, str]]:
    """Non-blank lines with their line numbers."""
    text = text_lines(path, encoding)
    try:
        for n, line in enumerate(text.lines, start=1):
            if line.strip():
                yield n, line
    except UnicodeDecodeError as exc:
        raise unreadable(exc, encoding) from exc
    finally:
        text.close()


def open_ndjson(path: Path, schema: TableSchema, encoding: str) -> Opened:
    """One record a line; records are numbered by their line."""
    keys: set[str] = set()
    for _, line in _ndjson_lines(path, encoding):
        with contextlib.suppress(ValueError):
            rec = json.loads(line)
            keys |= set(rec) if isinstance(rec, dict) else set()
    opened = Opened(_present(keys, schema), iter(()))

    def items() -> Iterator[tuple[int, Any]]:
        for n, line in _ndjson_lines(path, encoding):
            try:
                yield n, json.loads(line)
            except ValueError as exc:
                opened.malformed.append(
                    RowError(n, "(row)", _shorten(line.strip()), f"is not valid JSON: {exc}")
                )

    opened.batches = _records_batches(items(), schema, opened)
    return opened
