"""Reading records, on SQLite and PostgreSQL: filters, sort with NULLs, keyset pages,
fields, totals, diacritic-free search, and downloads that parse back."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from lienthong.core.platform import Platform
from tests.test_warehouse_ingest import create_dataset, load
from tests.utils import ok

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "ma_xa", "type": "string"},
        {"name": "ten", "type": "string"},
        {"name": "dan_so", "type": "integer"},
        {"name": "dien_tich", "type": "number"},
        {"name": "ngay", "type": "date"},
        {"name": "loai", "type": "string"},
        {"name": "do_thi", "type": "boolean"},
    ],
    "primaryKey": ["ma_xa"],
}
TEN = ["Hải Phòng", "Đặng Cương", "Thuỷ Nguyên", "Kiến An", "An Dương", "Đồ Sơn"]
LOAI = ["phường", "xã", None, "đặc khu", "xã"]


def commune(i: int) -> dict[str, Any]:
    return {
        "ma_xa": f"{31000 + i:05d}",
        "ten": f"{TEN[i % len(TEN)]} {i}",
        "dan_so": None if i % 7 == 3 else 1000 * (i % 9),
        "dien_tich": round(1.5 * i, 2),
        "ngay": date(2025, 1 + i % 12, 1 + i % 28).isoformat(),
        "loai": LOAI[i % len(LOAI)],
        "do_thi": None if i % 5 == 4 else i % 2 == 0,
    }


ROWS = [commune(i) for i in range(1, 48)]


@pytest.fixture
def dataset(client: TestClient, admin_token: str, platform: Platform) -> TestClient:
    create_dataset(client, admin_token, "xa", SCHEMA, "public")
    load(platform, ROWS, name="xa")
    return client


def get(client: TestClient, **params: Any) -> dict[str, Any]:
    return dict(ok(client.get("/api/v1/datasets/xa/records", params=params)))


def codes(body: dict[str, Any]) -> list[str]:
    return [r["ma_xa"] for r in body["records"]]


def where(pred: Any) -> list[str]:
    return [r["ma_xa"] for r in ROWS if pred(r)]


# --- filters -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "pred"),
    [
        ({"ma_xa": "31005"}, lambda r: r["ma_xa"] == "31005"),
        ({"loai": "xã"}, lambda r: r["loai"] == "xã"),
        ({"ma_xa__in": "31001,31009,39999"}, lambda r: r["ma_xa"] in ("31001", "31009")),
        ({"dan_so__in": "0,8000"}, lambda r: r["dan_so"] in (0, 8000)),
        ({"dan_so__gt": "5000"}, lambda r: (r["dan_so"] or -1) > 5000),
        ({"dan_so__gte": "5000"}, lambda r: (r["dan_so"] or -1) >= 5000),
        ({"dan_so__lt": "2000"}, lambda r: r["dan_so"] is not None and r["dan_so"] < 2000),
        ({"dan_so__lte": "2000"}, lambda r: r["dan_so"] is not None and r["dan_so"] <= 2000),
        (
            {"dien_tich__gte": "10.5", "dien_tich__lt": "30"},
            lambda r: 10.5 <= r["dien_tich"] < 30,
        ),
        (
            {"ngay__gte": "2025-03-01", "ngay__lte": "2025-06-30"},
            lambda r: "2025-03-01" <= r["ngay"] <= "2025-06-30",
        ),
        ({"ten__prefix": "Đặng"}, lambda r: r["ten"].startswith("Đặng")),
        ({"ma_xa__prefix": "3102"}, lambda r: r["ma_xa"].startswith("3102")),
        ({"loai__null": "true"}, lambda r: r["loai"] is None),
        ({"loai__null": "false"}, lambda r: r["loai"] is not None),
        ({"do_thi": "true"}, lambda r: r["do_thi"] is True),
        ({"do_thi": "false", "loai": "xã"}, lambda r: r["do_thi"] is False and r["loai"] == "xã"),
    ],
)
def test_filters(dataset: TestClient, params: dict[str, str], pred: Any) -> None:
    body = get(dataset, limit=1000, total="exact", **params)
    assert codes(body) == where(pred)
    assert body["total"] == len(where(pred))


def test_repeated_parameter_is_an_in_list_and_prefix_escapes_wildcards(
    dataset: TestClient,
) -> None:
    body = dataset.get("/api/v1/datasets/xa/records?ma_xa=31001&ma_xa=31002").json()
    assert codes(body) == ["31001", "31002"]
    assert codes(get(dataset, ten__prefix="%")) == []
    assert codes(get(dataset, ten__prefix="_")) == []


def test_records_are_typed_in_json(dataset: TestClient) -> None:
    record = get(dataset, ma_xa="31002")["records"][0]
    assert record == {"_id": 2, **ROWS[1]}
    assert [f["type"] for f in get(dataset, limit=0)["fields"]] == [
        "integer", "string", "string", "integer", "number", "date", "string", "boolean",
    ]  # fmt: skip


# --- sort and pages ------------------------------------------------------------------------
def _key(field: str) -> Any:
    """Python's order for `sort=field` (reversed for `-field`): NULLs last going up."""

    def key(r: dict[str, Any]) -> Any:
        v = r[field]
        return (v is None, 0 if v is None else v)

    return key


@pytest.mark.parametrize("field", ["dan_so", "loai", "do_thi", "ngay"])
@pytest.mark.parametrize("desc", [False, True])
def test_sort_with_nulls(dataset: TestClient, field: str, desc: bool) -> None:
    body = get(dataset, sort=("-" if desc else "") + field, limit=1000)
    got = [r[field] for r in body["records"]]
    want = [r[field] for r in sorted(ROWS, key=_key(field), reverse=desc)]
    assert got == want
    if None in got:
        assert got[0 if desc else -1] is None


def _all_pages(client: TestClient, **params: Any) -> tuple[list[str], int]:
    seen: list[str] = []
    pages, after = 0, None
    while True:
        body = get(client, **params, **({"after": after} if after else {}))
        seen += codes(body)
        pages += 1
        after = body["next"]
        if after is None:
            return seen, pages


@pytest.mark.parametrize(
    "sort", [None, "ma_xa", "-ma_xa", "dan_so", "-dan_so", "loai,-dan_so", "-do_thi,ngay"]
)
def test_keyset_pages_yield_every_record_once(dataset: TestClient, sort: str | None) -> None:
    params = {"limit": 4} | ({"sort": sort} if sort else {})
    seen, pages = _all_pages(dataset, **params)
    assert sorted(seen) == sorted(r["ma_xa"] for r in ROWS)
    assert len(seen) == len(set(seen))
    assert pages == 12
    # the pages join into the one-page answer
    assert seen == codes(get(dataset, limit=1000, **({"sort": sort} if sort else {})))


def test_pages_with_filters_and_a_limit_that_divides_evenly(dataset: TestClient) -> None:
    seen, pages = _all_pages(dataset, limit=5, sort="-loai", loai__null="false")
    assert sorted(seen) == sorted(where(lambda r: r["loai"] is not None))
    assert len(seen) == len(set(seen))
    assert pages == len(seen) // 5 + (1 if len(seen) % 5 else 0)


def test_fields_and_totals(dataset: TestClient) -> None:
    body = get(dataset, fields="ten,ma_xa", limit=2, total="exact")
    assert body["records"] == [
        {"_id": 1, "ten": ROWS[0]["ten"], "ma_xa": "31001"},
        {"_id": 2, "ten": ROWS[1]["ten"], "ma_xa": "31002"},
    ]
    assert [f["id"] for f in body["fields"]] == ["_id", "ten", "ma_xa"]
    assert (body["total"], body["total_was_estimated"]) == (47, False)
    estimate = get(dataset, limit=1)
    assert (estimate["total"], estimate["total_was_estimated"]) == (47, False)
    assert get(dataset, total="none")["total"] is None
    assert get(dataset, limit=0)["records"] == []


# --- search --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("q", "first_word"),
    [
        ("hai phong", "Hải Phòng"),
        ("HẢI PHÒNG", "Hải Phòng"),
        ("dang", "Đặng"),
        ("đặng cương", "Đặng"),
        ("thuy nguyen", "Thuỷ"),
        ("do son", "Đồ"),
    ],
)
def test_search_ignores_diacritics(dataset: TestClient, q: str, first_word: str) -> None:
    body = get(dataset, q=q, limit=1000, total="exact")
    want = where(lambda r: r["ten"].startswith(first_word))
    assert want
    assert codes(body) == want
    assert body["total"] == len(want)


def test_search_combines_with_filters_and_sees_new_and_changed_rows(
    dataset: TestClient, platform: Platform
) -> None:
    assert codes(get(dataset, q="kien an", dan_so__gte="1")) == where(
        lambda r: r["ten"].startswith("Kiến An") and (r["dan_so"] or 0) >= 1
    )
    assert codes(get(dataset, q="hai phong xyz")) == []
    load(platform, [{"ma_xa": "39999", "ten": "Bạch Long Vĩ"}], name="xa")
    assert codes(get(dataset, q="bach long vi")) == ["39999"]
    from lienthong.warehouse.writer import Mode

    load(platform, [{"ma_xa": "39999", "ten": "Cát Hải"}], Mode.UPSERT, name="xa")
    assert codes(get(dataset, q="bach long")) == []
    assert codes(get(dataset, q="cat hai")) == ["39999"]


# --- downloads -----------------------------------------------------------------------------
def _download(client: TestClient, fmt: str, **params: Any) -> bytes:
    resp = client.get("/api/v1/datasets/xa/records", params={"format": fmt, **params})
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-disposition"] == f'attachment; filename="xa.{fmt}"'
    return resp.content


def _typed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "_id"} for r in rows]


def test_downloads_round_trip(dataset: TestClient) -> None:
    everything = _typed(get(dataset, limit=1000)["records"])
    raw = _download(dataset, "ndjson")
    assert _typed([json.loads(line) for line in raw.decode().splitlines()]) == everything

    table = pq.read_table(io.BytesIO(_download(dataset, "parquet"))).to_pylist()
    assert [r["ma_xa"] for r in table] == [r["ma_xa"] for r in everything]
    assert [r["dan_so"] for r in table] == [r["dan_so"] for r in everything]
    assert [r["ngay"] for r in table] == [date.fromisoformat(r["ngay"]) for r in everything]

    text = _download(dataset, "csv").decode("utf-8")
    assert text.startswith("\ufeff_id,ma_xa,ten,")
    back = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["ten"] for r in back] == [r["ten"] for r in everything]
    assert [r["dan_so"] or None for r in back] == [
        None if r["dan_so"] is None else str(r["dan_so"]) for r in everything
    ]

    sheet = load_workbook(io.BytesIO(_download(dataset, "xlsx")), read_only=True).active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert cells[0] == ["_id", *(f["name"] for f in SCHEMA["fields"])]
    assert [c[2] for c in cells[1:]] == [r["ten"] for r in everything]
    assert [c[3] for c in cells[1:]] == [r["dan_so"] for r in everything]


def test_downloads_are_filtered_and_stream_past_one_chunk(
    dataset: TestClient, platform: Platform
) -> None:
    from lienthong.warehouse import reads

    text = _download(dataset, "csv", loai="xã", sort="-dan_so").decode("utf-8-sig")
    want = [r["ma_xa"] for r in sorted(ROWS, key=_key("dan_so"), reverse=True)]
    assert [r["ma_xa"] for r in csv.DictReader(io.StringIO(text))] == [
        c for c in want if c in where(lambda r: r["loai"] == "xã")
    ]
    chunk, reads.EXPORT_CHUNK = reads.EXPORT_CHUNK, 10
    try:
        lines = _download(dataset, "ndjson").decode().splitlines()
    finally:
        reads.EXPORT_CHUNK = chunk
    assert [json.loads(x)["ma_xa"] for x in lines] == [r["ma_xa"] for r in ROWS]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_cells_are_defused(
    client: TestClient, admin_token: str, platform: Platform, fmt: str
) -> None:
    create_dataset(client, admin_token, "xa", SCHEMA, "public")
    hostile = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "Hải Phòng", "a=b"]
    load(platform, [{"ma_xa": f"3{i:04d}", "ten": t} for i, t in enumerate(hostile)], name="xa")
    load(platform, [{"ma_xa": "39999", "dan_so": "-5"}], name="xa")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(_download(client, fmt).decode("utf-8-sig"))))
        names, numbers = [r["ten"] for r in rows], [r["dan_so"] for r in rows]
    else:
        book = load_workbook(io.BytesIO(_download(client, fmt)))
        cells = list(book.active.iter_rows(min_row=2, values_only=True))
        names, numbers = [c[2] for c in cells], [c[3] for c in cells]
        assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)
    assert names[:6] == [
        "'=HYPERLINK(\"http://x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "Hải Phòng", "a=b",
    ]  # fmt: skip
    assert numbers[-1] in ("-5", -5)  # numbers are numbers, not formulas


@pytest.mark.parametrize(
    "params",
    [
        {"fields": "ma_xa", "sort": "-dan_so,ngay"},
        {"fields": "ma_xa", "sort": "do_thi"},
        {"sort": "-_id"},
        {"do_thi__gte": "false", "sort": "-do_thi"},
    ],
)
def test_pages_sorted_by_unselected_fields_or_by_id(
    dataset: TestClient, params: dict[str, str]
) -> None:
    seen, _ = _all_pages(dataset, limit=5, **params)
    assert seen == codes(get(dataset, limit=1000, **params))
    assert len(seen) == len(set(seen))
    unfiltered = "do_thi__gte" not in params
    assert sorted(seen) == sorted(where(lambda r: unfiltered or r["do_thi"] is not None))
    first = get(dataset, limit=1, **params)["records"][0]
    assert set(first) == ({"_id", "ma_xa"} if "fields" in params else {"_id", *ROWS[0]})


def test_objects_datetimes_and_late_values_read_back_alike_everywhere(
    client: TestClient, admin_token: str, platform: Platform
) -> None:
    from lienthong.warehouse import reads
    from tests.test_warehouse_ingest import as_text, expected

    create_dataset(client, admin_token, classification="public")
    rows = [as_text(expected(i)) for i in range(1, 26)]
    for r in rows[:12]:  # nothing in the first download chunk for these
        r["chi_tiet"], r["so_luong"], r["cap_nhat"] = "", "", ""
    load(platform, rows)
    url = "/api/v1/datasets/ho-so/records"
    records = ok(client.get(url, params={"limit": 100}))["records"]
    assert records[12]["chi_tiet"] == {"lan": 13, "noi": "Hải Dương"}
    assert records[12]["cap_nhat"] == "2025-01-01T21:30:00Z"
    assert records[0]["so_cccd"] == "0*********01"  # masked: not the owner
    later = {"cap_nhat__gte": "2025-01-02T04:30:00+07:00", "fields": "ma_hs", "limit": 100}
    assert [r["ma_hs"] for r in ok(client.get(url, params=later))["records"]] == [
        f"HS{i:05d}" for i in range(13, 26)
    ]
    exact = ok(client.get(url, params={"cap_nhat": "2025-01-01T21:30:00Z"}))["records"]
    assert [r["ma_hs"] for r in exact] == ["HS00013"]

    chunk, reads.EXPORT_CHUNK = reads.EXPORT_CHUNK, 10
    try:
        raw = {f: client.get(url, params={"format": f}).content for f in ("ndjson", "parquet")}
        text = client.get(url, params={"format": "csv"}).content.decode("utf-8-sig")
    finally:
        reads.EXPORT_CHUNK = chunk
    lines = [json.loads(x) for x in raw["ndjson"].decode().splitlines()]
    assert [{**x, "cap_nhat": x["cap_nhat"] and x["cap_nhat"][:19]} for x in lines] == [
        {**r, "cap_nhat": r["cap_nhat"] and r["cap_nhat"][:19]} for r in records
    ]
    table = pq.read_table(io.BytesIO(raw["parquet"]))
    assert str(table.schema.field("so_luong").type) == "int64"
    assert str(table.schema.field("cap_nhat").type) == "timestamp[us, tz=UTC]"
    assert table.column("so_luong").to_pylist() == [r["so_luong"] for r in records]
    assert json.loads(table.column("chi_tiet")[12].as_py()) == records[12]["chi_tiet"]
    back = list(csv.DictReader(io.StringIO(text)))
    assert json.loads(back[12]["chi_tiet"]) == records[12]["chi_tiet"]
    assert back[12]["cap_nhat"] == "2025-01-01T21:30:00+00:00"
