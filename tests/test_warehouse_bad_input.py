"""Malformed, hostile and oversized input to the warehouse, on SQLite and PostgreSQL:
always a precise 4xx (never a 500), and nothing written."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lienthong.core import vnlegacy
from lienthong.core.platform import Platform
from lienthong.warehouse.ingest import IngestFailed
from lienthong.warehouse.query import OPERATORS
from lienthong.warehouse.writer import Mode
from tests.test_warehouse_ingest import (
    SCHEMA,
    as_text,
    create_dataset,
    expected,
    load,
    snapshot,
    stored,
    write_csv,
)
from tests.utils import auth, grant, make_user, ok, user_key

RECORDS = "/api/v1/datasets/ho-so/records"
UPLOAD = "/api/v1/datasets/ho-so/upload"
NAMES = [f["name"] for f in SCHEMA["fields"]]


@pytest.fixture
def ds(client: TestClient, admin_token: str, platform: Platform) -> TestClient:
    create_dataset(client, admin_token, classification="public")
    load(platform, [as_text(expected(i)) for i in range(1, 6)])
    return client


def upload(
    client: TestClient, token: str, name: str, content: bytes, **form: str
) -> dict[str, Any]:
    files = {"file": (name, content, "application/octet-stream")}
    resp = client.post(UPLOAD, files=files, data=form, headers=auth(token))
    assert resp.status_code == 422, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    return dict(resp.json())


def _parquet(columns: dict[str, list[Any]]) -> bytes:
    buf = io.BytesIO()
    pq.write_table(pa.table(columns), buf)
    return buf.getvalue()


CSV_HEAD = "ma_hs,ho_ten,so_luong,ngay_nop\n"
CP1258 = vnlegacy.encode(CSV_HEAD + "X1,Đặng Thị Hải,1,01/02/2025\n", "cp1258")


@pytest.mark.parametrize(
    ("filename", "content", "form", "detail"),
    [
        ("a.csv", CSV_HEAD + "X1,a,1,01/02/2025\nX2,b\nX3,c,3,01/02/2025,extra\n", {},
         "2 errors in 2 row(s); nothing was written. First: row 2, column `(row)`: "
         "'X2,b' has 2 values; the header has 4"),
        ("a.csv", CSV_HEAD + 'X1,"Hải Phòng,1,01/02/2025\nX2,b,2,01/02/2025\n', {},
         "row 1, column `(row)`"),
        ("a.csv", b"", {}, "the file is empty: no header row"),
        ("a.csv", "ma_hs,,so_luong\nX,1,2\n", {}, "the header row has an empty column name"),
        ("a.csv", "ma_hs,ma_hs\nX,Y\n", {}, "the header names a column twice: ma_hs"),
        ("a.csv", "ma_hs,khong_co\nX,Y\n", {},
         "column `khong_co`: this column is not in the dataset's schema"),
        ("a.xlsx", b"this is not a workbook at all", {}, "the file is not a valid XLSX workbook"),
        ("a.json", b'[{"ma_hs": "X1"}, {"ma_hs": ', {}, "the JSON file is malformed"),
        ("a.json", b'{"data": []}', {}, 'holds neither an array of records nor {"records"'),
        ("a.ndjson", b'{"ma_hs": "X1"}\n{"ma_hs": \n', {},
         "First: row 2, column `(row)`: '{\"ma_hs\":' is not valid JSON"),
        ("a.parquet", b"PAR1 not really parquet", {}, "the file is not a valid Parquet file"),
        ("a.parquet", _parquet({"ma_hs": ["Z"], "la": [1]}), {},
         "column `la`: this column is not in the dataset's schema"),
        ("a.csv", CP1258, {"encoding": "utf-8"}, "the file is not valid utf-8"),
        ("a.csv", CP1258, {"encoding": "klingon"}, "unknown text encoding 'klingon'"),
        ("a.csv", CP1258, {"format": "docx"}, "unknown format 'docx'"),
        ("a.csv", CSV_HEAD + "X1,a\x00b,1,01/02/2025\n", {},
         "column `ho_ten`: 'a\x00b' holds a NUL character (U+0000)"),
        ("a.csv", CSV_HEAD + "X1,a,1,01/01/0000\n", {}, "'01/01/0000' is not a date (%d/%m/%Y)"),
        ("a.csv", CSV_HEAD + "X1,a,99999999999999999999,01/02/2025\n", {}, "is not an integer"),
    ],
)  # fmt: skip
def test_bad_files_are_refused_precisely(
    ds: TestClient,
    admin_token: str,
    platform: Platform,
    filename: str,
    content: str | bytes,
    form: dict[str, str],
    detail: str,
) -> None:
    before = snapshot(platform)
    raw = content.encode() if isinstance(content, str) else content
    problem = upload(ds, admin_token, filename, raw, **form)
    assert detail in problem["detail"]
    assert snapshot(platform) == before


def test_one_bad_row_writes_nothing(
    client: TestClient, admin_token: str, platform: Platform, tmp_path: Path
) -> None:
    create_dataset(client, admin_token)
    load(platform, [as_text(expected(0))])
    before = snapshot(platform)
    rows = [as_text(expected(i)) for i in range(1, 1301)]
    rows[1203]["ngay_nop"] = "31/02/2025"
    for mode in Mode:
        with pytest.raises(IngestFailed) as failed:
            load(platform, write_csv(tmp_path / "bad.csv", rows), mode)
        assert snapshot(platform) == before, mode
    report = failed.value.report
    assert report["errors"] == [
        {"row": 1204, "field": "ngay_nop", "value": "31/02/2025",
         "reason": "is not a date (%d/%m/%Y)"}
    ]  # fmt: skip
    assert str(failed.value) == (
        "1 error in 1 row(s); nothing was written. "
        "First: row 1,204, column `ngay_nop`: '31/02/2025' is not a date (%d/%m/%Y)"
    )
    assert failed.value.errors == {"ngay_nop": ["row 1,204: is not a date (%d/%m/%Y)"]}
    assert failed.value.status == 422


def test_more_than_1000_errors_are_counted_by_reason(
    client: TestClient, admin_token: str, platform: Platform, tmp_path: Path
) -> None:
    create_dataset(client, admin_token)
    rows = [as_text(expected(i)) for i in range(1, 2501)]
    for r in rows[::2]:
        r["so_luong"] = "x"  # 1,250 errors
    rows[1203]["ngay_nop"] = "31/02/2025"
    rows[1999]["nam"] = "20x5"
    before = snapshot(platform)
    with pytest.raises(IngestFailed) as failed:
        load(platform, write_csv(tmp_path / "many.csv", rows))
    report = failed.value.report
    assert snapshot(platform) == before
    assert len(report["errors"]) == 1000
    assert report["error_count"] == 1252
    assert report["bad_rows"] == 1252
    assert report["by_reason"] == [
        {"field": "so_luong", "reason": "is not an integer", "count": 1250},
        {"field": "ngay_nop", "reason": "is not a date (%d/%m/%Y)", "count": 1},
        {"field": "nam", "reason": "is not a year", "count": 1},
    ]
    assert {"row": 1204, "field": "ngay_nop", "value": "31/02/2025",
            "reason": "is not a date (%d/%m/%Y)"} in report["errors"]  # fmt: skip
    assert str(failed.value).startswith("1,252 errors in 1,252 row(s); nothing was written")
    # the first 1,000 in row order: row 1 to row 1,999 (every other row, and row 1,204)
    assert [e["row"] for e in report["errors"]][:3] == [1, 3, 5]
    assert report["errors"][-1]["row"] == 1997


def test_an_unclosed_quote_is_named(ds: TestClient, admin_token: str, platform: Platform) -> None:
    content = CSV_HEAD + 'X1,a,1,01/02/2025\nX2,"b,2,01/02/2025\nX3,c,3,01/02/2025\n'
    problem = upload(ds, admin_token, "q.csv", content.encode())
    [error] = problem["report"]["errors"]
    assert (error["row"], error["field"]) == (2, "(row)")
    assert "is a closing quote missing?" in error["reason"]


def test_a_million_character_cell(
    client: TestClient, admin_token: str, platform: Platform, tmp_path: Path
) -> None:
    """Cells over 100,000 characters are refused unless the field's maxLength allows more."""
    schema = {
        "fields": [
            {"name": "ma"},
            {"name": "van_ban"},
            {"name": "dai", "constraints": {"maxLength": 2_000_000}},
        ]
    }
    create_dataset(client, admin_token, schema=schema)
    big = "Hải Phòng " * 100_000
    path = tmp_path / "big.csv"
    path.write_text(f"ma,van_ban,dai\nA,{big},ok\n", encoding="utf-8")
    before = snapshot(platform)
    problem = upload(client, admin_token, "big.csv", path.read_bytes())
    [error] = problem["report"]["errors"]
    assert error["field"] == "van_ban"
    assert error["reason"] == (
        "is longer than 100,000 characters, the most a cell may hold unless the field's "
        "maxLength allows more"
    )
    assert error["value"].endswith("… (1,000,000 characters)")
    assert snapshot(platform) == before
    path.write_text(f"ma,van_ban,dai\nA,short,{big}\n", encoding="utf-8")
    assert load(platform, path)["inserted"] == 1
    assert stored(platform)[0]["dai"] == big


def test_json_records_bodies(ds: TestClient, admin_token: str, platform: Platform) -> None:
    before = snapshot(platform)
    h = auth(admin_token)
    for body, status in [
        ({"records": {"ma_hs": "X"}}, 422),
        ({"records": [1, 2]}, 422),
        ({"records": [{"ma_hs": "X"}], "mode": "merge"}, 422),
        ({"records": [{"ma_hs": "X"}], "on_error": "ignore"}, 422),
        ({"records": [{"ma_hs": "X"}], "extra": 1}, 422),
        ({"records": [{"ma_hs": "X", "hack": 1}]}, 422),
        ({"records": [{"ma_hs": "X", "so_luong": "1; DROP TABLE ds_1"}]}, 422),
    ]:
        assert ds.post(RECORDS, json=body, headers=h).status_code == status, body
    resp = ds.post(
        RECORDS, content=b'{"records": [', headers=h | {"content-type": "application/json"}
    )
    assert resp.status_code == 400
    assert resp.json()["detail"].startswith("malformed JSON")
    problem = ds.post(RECORDS, json={"records": [{"ma_hs": "X", "hack": 1}]}, headers=h).json()
    assert problem["report"]["errors"][0]["reason"] == "has fields not in the schema: hack"
    assert snapshot(platform) == before


def test_writes_need_a_key_and_the_publisher_role(
    ds: TestClient, admin_token: str, platform: Platform
) -> None:
    make_user(ds, admin_token, "lan")
    grant(ds, admin_token, "lan", "consumer", "GOV/H31")
    lan = user_key(ds, admin_token, "lan")
    before = snapshot(platform)
    body = {"records": [{"ma_hs": "X"}]}
    assert ds.post(RECORDS, json=body).status_code == 401
    resp = ds.post(RECORDS, json=body, headers=auth(lan))
    assert (resp.status_code, resp.json()["detail"]) == (
        403,
        "user:lan needs the role publisher in this organisation",
    )
    files = {"file": ("a.csv", b"ma_hs\nX\n")}
    assert ds.post(UPLOAD, files=files, headers=auth(lan)).status_code == 403
    assert ds.delete(RECORDS, params={"ma_hs": "HS00001"}, headers=auth(lan)).status_code == 403
    assert ds.delete(RECORDS, headers=auth(admin_token)).status_code == 422  # no filter
    assert snapshot(platform) == before


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"ma_hs": "1' OR '1'='1"}, 200),
        ({"ma_hs__in": "1');DROP TABLE datasets;--,x"}, 200),
        ({"ma_hs__prefix": "%' OR 1=1 --"}, 200),
        ({"sort": "ma_hs;DROP TABLE datasets"}, 422),
        ({"sort": "ma_hs desc; DELETE FROM audit_log"}, 422),
        ({"sort": "(SELECT 1)"}, 422),
        ({"fields": "*"}, 422),
        ({"fields": "ma_hs,(SELECT password FROM users)"}, 422),
        ({"q": '"); DROP TABLE datasets; --'}, 200),
        ({"q": "ho* OR NEAR(a b) ^ -x :"}, 200),
        ({"ma_hs;DROP TABLE datasets": "1"}, 422),
        ({"so_luong__gt": "1 OR 1=1"}, 422),
        ({"so_luong__in": "1,2) OR (1=1"}, 422),
        ({"ngay_nop__lt": "2025-01-01' --"}, 422),
        ({"so_luong__prefix": "1"}, 422),
        ({"so_luong__between": "1"}, 422),
        ({"so_cccd": "1"}, 403),
        ({"limit": "1; DROP TABLE x"}, 422),
        ({"after": "eyJhIjogMX0"}, 422),
        ({"after": base64.urlsafe_b64encode(b'["x"]').decode()}, 422),
        ({"format": "exe"}, 422),
    ],
)
def test_injection_attempts_are_inert(
    ds: TestClient, platform: Platform, params: dict[str, str], status: int
) -> None:
    before = snapshot(platform)
    resp = ds.get(RECORDS, params=params)
    assert resp.status_code == status, resp.text
    if status == 200:
        assert resp.json()["records"] == []
    else:
        assert resp.headers["content-type"] == "application/problem+json"
    assert snapshot(platform) == before
    assert ok(ds.get(RECORDS, params={"total": "exact"}))["total"] == 5


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/datasets/%2e%2e/records",
        "/api/v1/datasets/..%2fho-so/records",
        "/api/v1/datasets/%2e%2e%2f%2e%2e%2fetc%2fpasswd/records",
        "/api/v1/datasets/ho-so%00/records",
        "/api/v1/datasets/HO-SO/records",
        "/api/v1/datasets/ho-so;DROP/records",
        "/api/v1/datasets/" + "a" * 300 + "/records",
        "/api/v1/datasets/ho-so%2f..%2fx/records",
        "/api/v1/datasets/.../records",
    ],
)
def test_path_tricks_in_dataset_names(
    ds: TestClient, admin_token: str, platform: Platform, path: str
) -> None:
    before = snapshot(platform)
    for method in ("GET", "POST", "DELETE"):
        resp = ds.request(method, path, headers=auth(admin_token), json={"records": []})
        assert 400 <= resp.status_code < 500, (method, resp.status_code)
    assert snapshot(platform) == before


# --- fuzz ----------------------------------------------------------------------------------
_words = st.sampled_from([*NAMES, "_id", "", "x", "ma_hs;", "Hải", "__", "a" * 200])
_ops = st.sampled_from([*OPERATORS, "", "between", "in__in", "GT", "null;"])
_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", "1", "-1", "1.5", "1e999", "true", "2025-01-02", "01/02/2025", "0000-01-01",
         "9999-12-31T23:59:59-05:00", "HS00001", "a,b,,c", "%", "_", "\x00", "null", "NaN",
         "9" * 40, "2025-13-45", "' OR 1=1 --"]
    ),
)  # fmt: skip
_cursor = st.one_of(
    st.text(max_size=30),
    st.lists(
        st.one_of(st.none(), st.integers(-(2**70), 2**70), st.text(max_size=10), st.floats()),
        max_size=4,
    ).map(lambda v: base64.urlsafe_b64encode(json.dumps(v).encode()).decode().rstrip("=")),
)
_sort = st.lists(st.tuples(st.sampled_from(["", "-", " ", "+"]), _words), max_size=3).map(
    lambda parts: ",".join(a + b for a, b in parts)
)
_params = st.fixed_dictionaries(
    {},
    optional={
        "sort": _sort,
        "fields": st.lists(_words, max_size=4).map(",".join),
        "limit": st.one_of(st.integers(-5, 40_000).map(str), st.text(max_size=5)),
        "offset": st.integers(-5, 10**13).map(str),
        "after": _cursor,
        "q": st.text(max_size=30),
        "total": st.sampled_from(["exact", "estimate", "none", "", "all"]),
        "format": st.sampled_from(["json", "csv", "ndjson", "xml"]),
    },
)
_filters = st.dictionaries(
    st.tuples(_words, _ops).map(lambda t: f"{t[0]}__{t[1]}" if t[1] else t[0]), _values, max_size=3
)


def test_fuzzed_queries_never_fail_the_server_nor_touch_the_table(
    ds: TestClient, admin_token: str, platform: Platform
) -> None:
    before = snapshot(platform)
    seen: dict[int, int] = {}

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(params=_params, filters=_filters, signed=st.booleans())
    def probe(params: dict[str, str], filters: dict[str, str], signed: bool) -> None:
        headers = auth(admin_token) if signed else {}
        resp = ds.get(RECORDS, params={**filters, **params}, headers=headers)
        seen[resp.status_code] = seen.get(resp.status_code, 0) + 1
        assert resp.status_code < 500, (params, filters, resp.text)
        if resp.status_code >= 400:
            assert resp.json()["detail"]
        elif params.get("format", "json") == "json":
            assert isinstance(resp.json()["records"], list)

    probe()
    assert snapshot(platform) == before
    assert set(seen) <= {200, 403, 422}, seen
    assert seen.get(200)
    assert seen.get(422)


def test_rows_are_numbered_past_blank_and_malformed_lines(
    client: TestClient, admin_token: str, platform: Platform, tmp_path: Path
) -> None:
    create_dataset(client, admin_token)
    csv_file = tmp_path / "gaps.csv"
    csv_file.write_text("ma_hs,so_luong\nA,1\n\nB,2,extra\nC,ba\nD,4\n", encoding="utf-8")
    report = load(platform, csv_file, reject=True)
    # rows are records: a blank line is none, on the fast path and the exact one alike
    assert [(r["row"], r["errors"]) for r in report["rejected"]] == [
        (2, ["has 3 values; the header has 2"]),
        (3, ["so_luong: is not an integer"]),
    ]
    csv_file.write_text("ma_hs,so_luong\nG,1\n\nH,ba\n", encoding="utf-8")
    with pytest.raises(IngestFailed) as failed:
        load(platform, csv_file)
    assert failed.value.report["errors"][0]["row"] == 2
    nd = tmp_path / "gaps.ndjson"
    nd.write_text('{"ma_hs": "E"}\n\n{"ma_hs": \n{"ma_hs": "F", "so_luong": "x"}\n', "utf-8")
    with pytest.raises(IngestFailed) as failed:
        load(platform, nd)
    assert [(e["row"], e["field"]) for e in failed.value.report["errors"]] == [
        (3, "(row)"),
        (4, "so_luong"),
    ]
