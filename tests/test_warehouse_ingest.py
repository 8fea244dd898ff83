"""Ingestion into the warehouse, on SQLite and PostgreSQL: every format, every mode,
all-or-nothing, reject files, precise errors, key duplicates, legacy encodings.

The helpers at the top are shared by the other warehouse test files."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import select, text

from lienthong.catalog.service import get_dataset, schema_of, table_name
from lienthong.core.auth import local_operator
from lienthong.core.errors import ValidationFailed
from lienthong.core.platform import Platform
from lienthong.warehouse import tables
from lienthong.warehouse.ingest import IngestFailed, Source, ingest, write_rejects
from lienthong.warehouse.writer import Mode
from tests.utils import audit_count, auth, make_member, ok

OPERATOR = local_operator("tester")
SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "ma_hs", "type": "string", "title": "Mã hồ sơ"},
        {"name": "ho_ten", "type": "string", "title": "Họ và tên"},
        {"name": "so_cccd", "type": "string", "personal": True, "subject": "citizen_id"},
        {"name": "so_luong", "type": "integer"},
        {"name": "so_tien", "type": "number", "decimalChar": ",", "groupChar": "."},
        {"name": "da_xu_ly", "type": "boolean"},
        {"name": "ngay_nop", "type": "date", "format": "%d/%m/%Y"},
        {"name": "cap_nhat", "type": "datetime"},
        {"name": "nam", "type": "year"},
        {"name": "chi_tiet", "type": "object"},
    ],
    "primaryKey": ["ma_hs"],
}
NAMES = ["Đặng Văn Hải", "Nguyễn Thị Lan", "Trần Quốc Toản", "Lê Thị Hoà", "Phạm Minh Đức"]
PLACES = ["Hải Phòng", "Thuỷ Nguyên", "Kiến An", "Hải Dương", "Đồ Sơn"]


# --- shared helpers -----------------------------------------------------------------------
def create_dataset(
    client: TestClient,
    token: str,
    name: str = "ho-so",
    schema: dict[str, Any] | None = None,
    classification: str = "shared",
    member: bool = True,
) -> dict[str, Any]:
    if member:
        make_member(client, token)
    body = {
        "name": name,
        "owner": "GOV/H31",
        "title": "Hồ sơ thủ tục hành chính",
        "classification": classification,
        "schema": schema or SCHEMA,
    }
    return dict(ok(client.post("/api/v1/datasets", json=body, headers=auth(token)), 201))


def expected(i: int) -> dict[str, Any]:
    """Row i as it must be stored, typed."""
    return {
        "ma_hs": f"HS{i:05d}",
        "ho_ten": NAMES[i % len(NAMES)],
        "so_cccd": f"0312345{i:05d}",
        "so_luong": i,
        "so_tien": 1234567.5 + i,
        "da_xu_ly": i % 2 == 0,
        "ngay_nop": date(2025, 1, 1) + timedelta(days=i),
        "cap_nhat": datetime(2025, 1, 1, 8, 30, tzinfo=UTC) + timedelta(hours=i),
        "nam": 2000 + i % 30,
        "chi_tiet": {"lan": i, "noi": PLACES[i % len(PLACES)]},
    }


def vn_number(x: float) -> str:
    """1234567.5 → '1.234.567,5', as Vietnamese spreadsheets write it."""
    whole, _, frac = f"{x:.2f}".rstrip("0").rstrip(".").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return grouped + ("," + frac if frac else "")


def as_text(row: dict[str, Any]) -> dict[str, str]:
    """A typed row as a CSV cell would hold it."""
    return {
        **row,
        "so_luong": str(row["so_luong"]),
        "so_tien": vn_number(row["so_tien"]),
        "da_xu_ly": "true" if row["da_xu_ly"] else "false",
        "ngay_nop": row["ngay_nop"].strftime("%d/%m/%Y"),
        "cap_nhat": row["cap_nhat"].isoformat(),
        "nam": str(row["nam"]),
        "chi_tiet": json.dumps(row["chi_tiet"], ensure_ascii=False),
    }


def csv_text(rows: list[dict[str, Any]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, list(rows[0]), delimiter=delimiter, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def write_csv(path: Path, rows: list[dict[str, Any]], delimiter: str = ",") -> Path:
    path.write_text(csv_text(rows, delimiter), encoding="utf-8")
    return path


def load(
    platform: Platform, src: Path | list[Any], mode: Mode = Mode.INSERT, **kw: Any
) -> dict[str, Any]:
    """Ingest a file or JSON records into `kw['name']` (default ho-so) as the operator."""
    name = kw.pop("name", "ho-so")
    source = (
        Source.json_records(src)
        if isinstance(src, list)
        else Source.file(src, kw.pop("fmt", None), kw.pop("encoding", None))
    )
    return ingest(platform, OPERATOR, name, source, mode, **kw)


def stored(platform: Platform, name: str = "ho-so") -> list[dict[str, Any]]:
    """The records as the database holds them, in arrival order, without `_id`."""
    with platform.store.read() as conn:
        ds = get_dataset(conn, name)
        table = tables.build_table(table_name(ds), schema_of(ds))
        rows = conn.execute(select(table).order_by(table.c["_id"])).mappings().all()
    return [{k: _plain(v) for k, v in r.items() if k != "_id"} for r in rows]


def _plain(v: Any) -> Any:
    if isinstance(v, datetime):  # SQLite gives naive UTC, PostgreSQL aware
        return v.astimezone(UTC) if v.tzinfo else v.replace(tzinfo=UTC)
    if isinstance(v, str) and v.startswith("{"):
        return json.loads(v)
    return v


def audit_actions(platform: Platform, action: str) -> int:
    with platform.store.read() as conn:
        sql = text("SELECT count(*) FROM audit_log WHERE action = :a")
        return int(conn.execute(sql, {"a": action}).scalar_one())


def snapshot(platform: Platform, name: str = "ho-so") -> tuple[Any, ...]:
    """Everything an ingestion may touch: records, audit length, the catalog's count."""
    with platform.store.read() as conn:
        count = get_dataset(conn, name)["record_count"]
    return stored(platform, name), audit_count(platform.store), count


# --- every format --------------------------------------------------------------------------
def _xlsx(path: Path, rows: list[dict[str, Any]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(list(rows[0]))
    for r in rows:  # typed cells, as a spreadsheet holds them
        cells = {
            **r,
            "cap_nhat": r["cap_nhat"].replace(tzinfo=None),
            "chi_tiet": json.dumps(r["chi_tiet"]),
        }
        ws.append(list(cells.values()))
    wb.save(path)


def _parquet(path: Path, rows: list[dict[str, Any]]) -> None:
    cells = [{**r, "chi_tiet": json.dumps(r["chi_tiet"], ensure_ascii=False)} for r in rows]
    pq.write_table(pa.Table.from_pylist(cells), path)


def _json_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**r, "ngay_nop": r["ngay_nop"].strftime("%d/%m/%Y"), "cap_nhat": r["cap_nhat"].isoformat()}
        for r in rows
    ]


def write_format(path: Path, fmt: str, rows: list[dict[str, Any]]) -> Path:
    path = path.with_suffix("." + fmt)
    if fmt in ("csv", "tsv"):
        write_csv(path, [as_text(r) for r in rows], "\t" if fmt == "tsv" else ",")
    elif fmt == "xlsx":
        _xlsx(path, rows)
    elif fmt == "parquet":
        _parquet(path, rows)
    elif fmt == "json":
        path.write_text(json.dumps(_json_rows(rows), ensure_ascii=False), encoding="utf-8")
    elif fmt == "records.json":
        body = {"records": _json_rows(rows)}
        path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    else:
        lines = (json.dumps(r, ensure_ascii=False) for r in _json_rows(rows))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx", "json", "records.json", "ndjson", "parquet"])
def test_every_format_stores_typed_values(
    client: TestClient, admin_token: str, platform: Platform, tmp_path: Path, fmt: str
) -> None:
    create_dataset(client, admin_token)
    rows = [expected(i) for i in range(1, 8)]
    before = audit_actions(platform, "dataset.ingest")
    report = load(platform, write_format(tmp_path / "data", fmt, rows))
    assert (report["inserted"], report["rows_read"], report["error_count"]) == (7, 7, 0)
    assert report["format"] == ("json" if fmt == "records.json" else fmt)
    assert stored(platform) == rows
    assert report["record_count"] == 7
    assert audit_actions(platform, "dataset.ingest") == before + 1


# --- modes ---------------------------------------------------------------------------------
def test_modes_insert_upsert_update_replace(
    client: TestClient, admin_token: str, platform: Platform, tmp_path: Path
) -> None:
    create_dataset(client, admin_token)
    rows = [expected(i) for i in range(1, 5)]
    load(platform, write_format(tmp_path / "a", "csv", rows))

    # upsert: only the columns the file carries change; new keys are inserted
    partial = [{"ma_hs": "HS00002", "so_luong": "20"}, {"ma_hs": "HS00009", "so_luong": "9"}]
    report = load(platform, write_csv(tmp_path / "up.csv", partial), Mode.UPSERT)
    assert (report["inserted"], report["updated"]) == (1, 1)
    after = {r["ma_hs"]: r for r in stored(platform)}
    assert after["HS00002"] == {**rows[1], "so_luong": 20}
    assert after["HS00009"]["so_luong"] == 9
    assert after["HS00009"]["ho_ten"] is None

    # update: existing keys only, other columns untouched
    report = load(platform, [{"ma_hs": "HS00003", "ho_ten": "Vũ Thị Hạnh"}], Mode.UPDATE)
    assert (report["inserted"], report["updated"]) == (0, 1)
    after = {r["ma_hs"]: r for r in stored(platform)}
    assert after["HS00003"] == {**rows[2], "ho_ten": "Vũ Thị Hạnh"}
    with pytest.raises(IngestFailed) as failed:
        load(platform, [{"ma_hs": "HS09999", "ho_ten": "x"}], Mode.UPDATE)
    assert failed.value.report["errors"][0] == {
        "row": 1,
        "field": "ma_hs",
        "value": "HS09999",
        "reason": "no record with this primary key to update",
    }

    # replace: the file becomes the whole dataset
    report = load(platform, write_format(tmp_path / "b", "csv", rows[:2]), Mode.REPLACE)
    assert report["record_count"] == 2
    assert stored(platform) == rows[:2]
    assert audit_actions(platform, "dataset.ingest") == 4


def test_insert_with_no_key_and_upsert_needs_one(
    client: TestClient, admin_token: str, platform: Platform
) -> None:
    create_dataset(client, admin_token, schema={"fields": [{"name": "ten"}]})
    load(platform, [{"ten": "a"}, {"ten": "a"}])
    assert stored(platform) == [{"ten": "a"}, {"ten": "a"}]
    with pytest.raises(ValidationFailed, match="upsert needs a primary key"):
        load(platform, [{"ten": "b"}], Mode.UPSERT)


# --- all-or-nothing, reject files, error reports ------------------------------------------
def test_reject_mode_sets_bad_rows_aside(
    client: TestClient, admin_token: str, platform: Platform, tmp_path: Path
) -> None:
    create_dataset(client, admin_token)
    rows = [as_text(expected(i)) for i in range(1, 11)]
    rows[2]["so_luong"] = "ba"
    rows[5]["so_tien"] = "1,2,3"
    rows[5]["da_xu_ly"] = "có"
    rows[7]["ma_hs"] = rows[0]["ma_hs"]  # a key repeated in the file
    report = load(platform, write_csv(tmp_path / "r.csv", rows), reject=True)
    assert (report["inserted"], report["rejected_count"]) == (7, 3)
    assert [r["ma_hs"] for r in stored(platform)] == [f"HS{i:05d}" for i in (1, 2, 4, 5, 7, 9, 10)]
    by_row = {r["row"]: r for r in report["rejected"]}
    assert by_row[3]["errors"] == ["so_luong: is not an integer"]
    assert by_row[6]["errors"] == ["so_tien: is not a number", "da_xu_ly: is not a boolean"]
    assert by_row[8]["errors"] == ["repeats the primary key of an earlier row in the file"]
    assert by_row[3]["values"]["so_luong"] == "ba"
    assert audit_actions(platform, "dataset.ingest") == 1

    out = tmp_path / "rejects.csv"
    write_rejects(out, report["rejected"])
    back = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["_row"] for r in back] == ["3", "6", "8"]
    assert back[1]["_errors"] == "so_tien: is not a number; da_xu_ly: is not a boolean"
    assert back[0]["so_luong"] == "ba"
    assert back[0]["ho_ten"] == rows[2]["ho_ten"]


def test_primary_key_duplicates_in_file_and_against_table(
    client: TestClient, admin_token: str, platform: Platform, tmp_path: Path
) -> None:
    create_dataset(client, admin_token)
    load(platform, [as_text(expected(i)) for i in (1, 2)])
    before = snapshot(platform)
    rows = [as_text(expected(i)) for i in (3, 4, 3, 2)]
    with pytest.raises(IngestFailed) as failed:
        load(platform, write_csv(tmp_path / "dup.csv", rows))
    assert snapshot(platform) == before
    assert failed.value.report["errors"] == [
        {"row": 3, "field": "ma_hs", "value": "HS00003",
         "reason": "repeats the primary key of an earlier row in the file"},
        {"row": 4, "field": "ma_hs", "value": "HS00002",
         "reason": "a record with this primary key is already in the dataset"},
    ]  # fmt: skip
    # upsert accepts a known key, but not the same key twice in one file
    with pytest.raises(IngestFailed, match="repeats the primary key"):
        load(platform, write_csv(tmp_path / "dup.csv", rows), Mode.UPSERT)
    report = load(platform, write_csv(tmp_path / "dup.csv", rows), reject=True)
    assert (report["inserted"], report["rejected_count"]) == (2, 2)
    assert [r["ma_hs"] for r in stored(platform)] == ["HS00001", "HS00002", "HS00003", "HS00004"]


# --- encodings -----------------------------------------------------------------------------
ENCODED = [
    {"ma_hs": "E1", "ho_ten": "Đặng Thị Hải Yến", "so_luong": "1"},
    {"ma_hs": "E2", "ho_ten": "Quận Ngô Quyền, Hải Phòng", "so_luong": "2"},
    {"ma_hs": "E3", "ho_ten": "Cộng hoà xã hội chủ nghĩa Việt Nam", "so_luong": "3"},
]


@pytest.mark.parametrize(
    ("label", "declared", "note"),
    [("utf-8", None, None), ("utf-8-sig", None, None), ("utf-16", None, "utf-16"),
     ("cp1258", "windows-1258", "windows-1258"), ("cp1258", None, "cp1258"),
     ("tcvn3", None, "tcvn3"), ("vni", None, "vni"), ("vni", "VNI-Windows", "VNI-Windows")],
)  # fmt: skip
def test_encodings_are_converted_to_nfc_and_reported(
    client: TestClient, admin_token: str, platform: Platform, tmp_path: Path,
    label: str, declared: str | None, note: str | None,
) -> None:  # fmt: skip
    from lienthong.core import vnlegacy

    create_dataset(client, admin_token)
    content = csv_text(ENCODED)
    if label in ("tcvn3", "vni", "cp1258"):
        raw = vnlegacy.encode(content, label)
    else:
        raw = content.encode(label)
    path = tmp_path / "enc.csv"
    path.write_bytes(raw)
    report = load(platform, path, encoding=declared)
    assert [(r["ma_hs"], r["ho_ten"]) for r in stored(platform)] == [
        (r["ma_hs"], r["ho_ten"]) for r in ENCODED
    ]
    assert all(unicodedata.is_normalized("NFC", r["ho_ten"]) for r in stored(platform))
    conversions = [n for n in report["notes"] if n.startswith("converted from")]
    assert conversions == ([f"converted from {note} to Unicode (NFC)"] if note else [])


def test_tone_marks_and_decomposed_text_are_normalised_and_reported(
    client: TestClient, admin_token: str, platform: Platform
) -> None:
    create_dataset(client, admin_token)
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Hùng")
    report = load(
        platform,
        [
            {"ma_hs": "T1", "ho_ten": "Hòa Bình"},
            {"ma_hs": "T2", "ho_ten": "Thủy Nguyên, Hòa Bình"},
            {"ma_hs": "T3", "ho_ten": decomposed},
            {"ma_hs": "T4", "ho_ten": "Hoà Bình"},
        ],
    )
    assert [r["ho_ten"] for r in stored(platform)] == [
        "Hoà Bình", "Thuỷ Nguyên, Hoà Bình", "Nguyễn Văn Hùng", "Hoà Bình",
    ]  # fmt: skip
    assert "text normalised (NFC, tone marks): 6" in report["notes"]


def test_typed_cells_follow_the_field_format(
    client: TestClient, admin_token: str, platform: Platform
) -> None:
    schema = {
        "fields": [
            {"name": "ma", "type": "string"},
            {"name": "co", "type": "boolean", "trueValues": ["có"], "falseValues": ["không"]},
            {"name": "tien", "type": "number", "decimalChar": ",", "groupChar": "."},
        ]
    }
    create_dataset(client, admin_token, schema=schema)
    load(platform, [{"ma": "a", "co": True, "tien": 0.25}, {"ma": "b", "co": "không"}])
    assert stored(platform) == [
        {"ma": "a", "co": True, "tien": 0.25},
        {"ma": "b", "co": False, "tien": None},
    ]


def test_upload_over_http_with_reject_and_declared_encoding(
    client: TestClient, admin_token: str, platform: Platform
) -> None:
    from lienthong.core import vnlegacy

    create_dataset(client, admin_token)
    rows = [as_text(expected(i)) for i in (1, 2, 3)]
    rows[1]["so_luong"] = "hai"
    raw = vnlegacy.encode(csv_text(rows), "tcvn3")
    resp = client.post(
        "/api/v1/datasets/ho-so/upload",
        files={"file": ("ho so.csv", raw, "text/csv")},
        data={"on_error": "reject", "encoding": "tcvn3", "mode": "upsert"},
        headers=auth(admin_token),
    )
    report = ok(resp)
    assert (report["inserted"], report["rejected_count"], report["source"]) == (2, 1, "ho so.csv")
    assert report["rejected"][0]["values"]["ho_ten"] == rows[1]["ho_ten"]
    assert "converted from tcvn3 to Unicode (NFC)" in report["notes"]
    assert [r["ho_ten"] for r in stored(platform)] == [rows[0]["ho_ten"], rows[2]["ho_ten"]]
    assert len(report["sha256"]) == 64
    assert audit_actions(platform, "dataset.ingest") == 1
