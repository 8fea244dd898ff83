"""The fast CSV path: pyarrow's multi-threaded parser over UTF-8 files.

Any trouble it cannot name precisely (ragged rows, broken bytes) raises
SlowPath, and the ingestion reads the file again with the exact parser.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from lienthong.core.errors import ValidationFailed
from lienthong.warehouse.sources import Opened, header_names

BLOCK = 4 << 20  # bytes a block: small enough to pipeline, a row must fit in one


class SlowPath(Exception):
    """The fast parser gave up; read the file again with the exact one."""


def open_csv_fast(path: Path, delimiter: str) -> Opened:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        try:
            header = header_names(next(csv.reader(fh, delimiter=delimiter)))
        except StopIteration:
            raise ValidationFailed("the file is empty: no header row") from None
        except (UnicodeDecodeError, csv.Error) as err:
            raise SlowPath from err
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=BLOCK, column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid as err:
        raise SlowPath from err
    return Opened(header, _batches(reader))


def _batches(reader: pacsv.CSVStreamingReader) -> Iterator[tuple[pa.RecordBatch, int]]:
    first = 1
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowInvalid as err:
            raise SlowPath from err
        yield batch, first
        first += batch.num_rows
