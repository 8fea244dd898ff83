"""Bulk loads, on SQLite and PostgreSQL: files of tens of thousands of rows, in more than
one batch, where columns of few distinct values are judged once per value and SQLite
takes many rows a statement. Every bad row is still named, a late bad row or key still
writes nothing, and a cancelled load leaves nothing behind."""

from __future__ import annotations

import sqlite3
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from lienthong.core.platform import Platform
from lienthong.warehouse.ingest import IngestFailed
from lienthong.warehouse.payload import sqlite_flat
from lienthong.warehouse.writer import Mode
from tests.test_warehouse_ingest import create_dataset, load, snapshot, stored, write_csv

VARIABLES = sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
ROWS = 30_001  # about 7 MB: two batches of the fast CSV reader; not a multiple of 200
STATUS = ["tiếp nhận", "đang xử lý", "đã trả kết quả", "quá hạn"]
SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "ma", "type": "string"},
        {"name": "trang_thai", "type": "string", "constraints": {"enum": STATUS}},
        {"name": "ngay", "type": "date", "format": "%d/%m/%Y"},
        {"name": "le_phi", "type": "number", "constraints": {"minimum": 0}},
        {"name": "so", "type": "integer"},
        {"name": "truc_tuyen", "type": "boolean"},
        {"name": "ma_xa", "type": "string", "constraints": {"pattern": "[0-9]{5}"}},
        {"name": "ghi_chu", "type": "string"},
    ],
    "primaryKey": ["ma"],
}
NOTE = "Hồ sơ đã được tiếp nhận tại bộ phận một cửa, chờ bổ sung giấy tờ theo quy định " * 2


def text_row(i: int) -> dict[str, str]:
    status = STATUS[i % 4]
    return {
        "ma": f"B{i:06d}",
        # every third status decomposed (NFD), as some old systems write it
        "trang_thai": unicodedata.normalize("NFD", status) if i % 3 == 0 else status,
        "ngay": f"{i % 28 + 1:02d}/{i % 12 + 1:02d}/2025",
        "le_phi": "" if i % 7 == 0 else str((i % 4) * 15000),
        "so": str(1000 + i % 50),
        "truc_tuyen": "true" if i % 2 else "false",
        "ma_xa": f"{31000 + i % 114:05d}",
        "ghi_chu": "" if i % 5 == 0 else NOTE,
    }


def typed_row(i: int) -> dict[str, Any]:
    return {
        "ma": f"B{i:06d}",
        "trang_thai": STATUS[i % 4],
        "ngay": date(2025, i % 12 + 1, i % 28 + 1),
        "le_phi": None if i % 7 == 0 else float((i % 4) * 15000),
        "so": 1000 + i % 50,
        "truc_tuyen": bool(i % 2),
        "ma_xa": f"{31000 + i % 114:05d}",
        "ghi_chu": None if i % 5 == 0 else NOTE,
    }


# row number → (field, bad text, reason)
BAD = {
    29_501: ("ngay", "30/02/2025", "is not a date (%d/%m/%Y)"),
    29_602: ("trang_thai", "huỷ", "is not one of the allowed values"),
    29_703: ("le_phi", "-5", "is less than the minimum 0"),
    29_804: ("so", "12a", "is not an integer"),
    29_905: ("truc_tuyen", "có", "is not a boolean"),
    29_956: ("ma_xa", "3100", "does not match the pattern [0-9]{5}"),
}


@pytest.fixture
def bulk(client: TestClient, admin_token: str) -> TestClient:
    create_dataset(client, admin_token, name="bulk", schema=SCHEMA)
    return client


def _bad_file(tmp_path: Path) -> Path:
    rows = [text_row(i) for i in range(1, ROWS + 1)]
    for row, (name, value, _) in BAD.items():
        rows[row - 1][name] = value
    return write_csv(tmp_path / "bulk.csv", rows)


def test_late_bad_values_in_repeating_columns_are_named_and_nothing_written(
    bulk: TestClient, platform: Platform, tmp_path: Path
) -> None:
    before = snapshot(platform, "bulk")
    path = _bad_file(tmp_path)
    with pytest.raises(IngestFailed) as failed:
        load(platform, path, name="bulk")
    assert snapshot(platform, "bulk") == before
    report = failed.value.report
    assert report["rows_read"] == ROWS
    assert report["errors"] == [
        {"row": row, "field": name, "value": value, "reason": reason}
        for row, (name, value, reason) in BAD.items()
    ]
    assert report["bad_rows"] == len(BAD)


def test_bad_rows_set_aside_the_rest_stored_typed(
    bulk: TestClient, platform: Platform, tmp_path: Path
) -> None:
    report = load(platform, _bad_file(tmp_path), name="bulk", reject=True)
    assert (report["inserted"], report["rejected_count"]) == (ROWS - len(BAD), len(BAD))
    assert [(r["row"], r["errors"]) for r in report["rejected"]] == [
        (row, [f"{name}: {reason}"]) for row, (name, _, reason) in BAD.items()
    ]
    assert any("normalised" in n for n in report["notes"])
    good = [typed_row(i) for i in range(1, ROWS + 1) if i not in BAD]
    assert stored(platform, "bulk") == good


def test_a_late_duplicate_key_writes_nothing(
    bulk: TestClient, platform: Platform, tmp_path: Path
) -> None:
    rows = [text_row(i) for i in range(1, ROWS + 1)]
    rows[29_999]["ma"] = rows[10]["ma"]
    before = snapshot(platform, "bulk")
    with pytest.raises(IngestFailed) as failed:
        load(platform, write_csv(tmp_path / "dup.csv", rows), name="bulk")
    assert snapshot(platform, "bulk") == before
    assert failed.value.report["errors"] == [
        {"row": 30_000, "field": "ma", "value": "B000011",
         "reason": "repeats the primary key of an earlier row in the file"},
    ]  # fmt: skip
    # into a table that already holds rows (its unique index in place while writing)
    load(platform, write_csv(tmp_path / "first.csv", [text_row(0)]), name="bulk")
    before = snapshot(platform, "bulk")
    rows = [text_row(i) for i in range(1, ROWS + 1)]
    rows[24_999]["ma"] = "B000000"
    with pytest.raises(IngestFailed) as failed:
        load(platform, write_csv(tmp_path / "dup.csv", rows), name="bulk")
    assert snapshot(platform, "bulk") == before
    assert failed.value.report["errors"] == [
        {"row": 25_000, "field": "ma", "value": "B000000",
         "reason": "a record with this primary key is already in the dataset"},
    ]  # fmt: skip


class Cancelled(Exception):
    pass


def test_a_cancelled_load_leaves_nothing(
    bulk: TestClient, platform: Platform, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "bulk.csv", [text_row(i) for i in range(1, ROWS + 1)])
    before = snapshot(platform, "bulk")
    seen: list[int] = []

    def cancel(rows_read: int) -> None:
        seen.append(rows_read)
        raise Cancelled  # as a closed connection or a stopped command would

    for mode in (Mode.INSERT, Mode.REPLACE, Mode.UPSERT):
        with pytest.raises(Cancelled):
            load(platform, path, mode, name="bulk", progress=cancel)
        assert snapshot(platform, "bulk") == before, mode
    assert 0 < seen[0] < ROWS  # stopped after the first batch was written
    report = load(platform, path, name="bulk")  # nothing left locked or half-made
    assert report["inserted"] == ROWS


def test_sqlite_values_of_every_type_with_nulls() -> None:
    tbl = pa.table(
        {
            "i": pa.array([1, None, 3], pa.int64()),
            "f": pa.array([1.5, 2.0, None], pa.float64()),
            "b": pa.array([True, None, False]),
            "d": pa.array([date(2025, 1, 2), None, date(1, 1, 1)], pa.date32()),
            "t": pa.array([datetime(2025, 1, 2, 3, 4, 5, 6), None, None], pa.timestamp("us")),
            "s": pa.array(["Hải", None, ""], pa.string()),
        }
    )
    flat = sqlite_flat(tbl)
    assert (flat.width, flat.rows) == (6, 3)
    assert flat.values == [
        1, 1.5, 1, "2025-01-02", "2025-01-02 03:04:05.000006", "Hải",
        None, 2.0, None, None, None, None,
        3, None, 0, "0001-01-01", None, "",
    ]  # fmt: skip
    shared = sqlite_flat(pa.table({"s": pa.array(["Hải Phòng", None] * 3000)}))
    assert shared.values == ["Hải Phòng", None] * 3000
    assert shared.values[0] is shared.values[2]  # one object per distinct text


@pytest.mark.parametrize("order", ["ascending", "turning"])
def test_the_key_index_holds_whatever_order_keys_arrive_in(
    bulk: TestClient, platform: Platform, tmp_path: Path, order: str
) -> None:
    numbers = list(range(1, ROWS + 1))
    if order == "turning":  # ascending through the first batch (17,403 rows), then not
        numbers = numbers[:20_000] + numbers[20_000:][::-1]
    rows = [text_row(i) for i in numbers]
    assert load(platform, write_csv(tmp_path / "keys.csv", rows), name="bulk")["inserted"] == ROWS
    assert [r["ma"] for r in stored(platform, "bulk")] == [f"B{i:06d}" for i in numbers]
    before = snapshot(platform, "bulk")
    again = [text_row(ROWS + 1), text_row(25_000)]
    with pytest.raises(IngestFailed, match="already in the dataset"):
        load(platform, write_csv(tmp_path / "again.csv", again), name="bulk")
    assert snapshot(platform, "bulk") == before
    with platform.store.read() as conn:
        indexes = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index'"
            if conn.dialect.name == "sqlite"
            else "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
        ).scalars()
        assert sum(1 for n in indexes if n.startswith("ux_") and n.endswith("_pk")) == 1


def test_statements_fit_an_old_sqlite_parameter_limit(
    bulk: TestClient, platform: Platform, tmp_path: Path
) -> None:
    """SQLite before 3.32 allows 999 parameters a statement: fewer rows go in each."""
    store = platform.store
    if store.is_sqlite:
        store.engine.dispose()
        event.listen(store.engine, "connect", lambda dbapi, _: dbapi.setlimit(VARIABLES, 999))
    rows = [text_row(i) for i in range(1, 5_001)]
    assert load(platform, write_csv(tmp_path / "old.csv", rows), name="bulk")["inserted"] == 5_000
    assert stored(platform, "bulk") == [typed_row(i) for i in range(1, 5_001)]
