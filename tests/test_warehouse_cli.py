"""`lienthong dataset`, `lienthong ingest` and `lienthong export` through the real command,
on SQLite and PostgreSQL: progress, exit codes, printed errors, reject files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from lienthong.core import vnlegacy
from lienthong.core.db import Store
from tests.test_cli import Cli

SCHEMA = {
    "fields": [
        {"name": "ma", "type": "string"},
        {"name": "ten", "type": "string"},
        {"name": "so", "type": "integer"},
        {"name": "ngay", "type": "date", "format": "%d/%m/%Y"},
        {"name": "cccd", "type": "string", "personal": True},
    ],
    "primaryKey": ["ma"],
}
HEADER = "ma,ten,so,ngay,cccd\n"


def rows(n: int, start: int = 1) -> str:
    places = ["Hải Phòng", "=HYPERLINK(1)", "Đặng Xá", "Thuỷ Nguyên"]
    return "".join(
        f"M{i:04d},{places[i % 4]},{i},{1 + i % 28:02d}/01/2025,03123456{i:04d}\n"
        for i in range(start, start + n)
    )


@pytest.fixture
def cli(store: Store, tmp_path: Path) -> Cli:
    c = Cli(store, tmp_path / "data")
    c.run("init")
    c.run("member", "create", "GOV", "H31", "--name", "UBND thành phố Hải Phòng")
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(SCHEMA), encoding="utf-8")
    c.run(
        "dataset", "create", "ho-so", "--owner", "GOV/H31", "--title", "Hồ sơ TTHC",
        "--schema", str(schema), "--classification", "public", "--tag", "hành chính",
    )  # fmt: skip
    return c


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    data = vnlegacy.encode(text, encoding) if encoding in ("cp1258", "tcvn3", "vni") else None
    path.write_bytes(data if data is not None else text.encode(encoding))
    return path


def test_ingest_progress_modes_failures_and_reject_file(cli: Cli, tmp_path: Path) -> None:
    done = cli.run("ingest", "ho-so", str(write(tmp_path / "a.csv", HEADER + rows(30))))
    assert "30 inserted, 0 updated from 30 rows" in done.stdout
    assert "dataset now holds 30" in done.stdout
    assert "ingesting a.csv" in done.stderr  # the progress bar, on stderr
    assert "30 rows" in done.stderr

    legacy = write(tmp_path / "b.csv", "ma,ten\nM0001,Uỷ ban nhân dân xã Đặng Cương\n", "cp1258")
    done = cli.run("ingest", "ho-so", str(legacy), "--mode", "upsert")
    assert "0 inserted, 1 updated" in done.stdout
    assert "note: converted from cp1258 to Unicode (NFC)" in done.stdout
    tsv = write(tmp_path / "c.txt", "ma\tten\nM0001\tKiến An\n")
    report = cli.json("ingest", "ho-so", str(tsv), "--format", "tsv", "--mode", "update")
    assert (report["updated"], report["format"], report["record_count"]) == (1, "tsv", 30)
    assert "rejected" not in report

    # a failure: exit code 2, the errors printed (20 in full, then counts), nothing written
    bad = HEADER + rows(40, start=31).replace("/01/2025", "/13/2025") + "M0001,x,1,31/02/2025,1\n"
    err = cli.run("ingest", "ho-so", str(write(tmp_path / "bad.csv", bad)), code=2).stderr
    assert "error: 41 errors in 41 row(s); nothing was written." in err
    assert "row 1, column `ngay`: '04/13/2025' is not a date (%d/%m/%Y)" in err
    assert "… and 21 more:" in err
    assert "41 × `ngay` is not a date (%d/%m/%Y)" in err
    assert "primary key" not in err  # keys are checked once the values are good
    assert "dataset 'nope' does not exist" in cli.run("ingest", "nope", str(tsv), code=3).stderr
    garbage = write(tmp_path / "x.xlsx", "not a workbook")
    assert "not a valid XLSX" in cli.run("ingest", "ho-so", str(garbage), code=2).stderr

    # the same bad rows set aside in a reject file, in file order; the good ones written
    text = HEADER + rows(3, start=31) + "M0099,a,bảy,01/01/2025,1\nM0031,dup,2,01/01/2025,1\n"
    rejects = tmp_path / "rejects.csv"
    reject_args = ["--reject-file", str(rejects)]
    done = cli.run("ingest", "ho-so", str(write(tmp_path / "r.csv", text + "x,y\n")), *reject_args)
    assert "3 inserted" in done.stdout
    assert f"3 rows set aside in {rejects}" in done.stdout.replace("\n", "")
    back = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert [(r["_row"], r["_errors"]) for r in back] == [
        ("4", "so: is not an integer"),
        ("5", "repeats the primary key of an earlier row in the file"),
        ("6", "has 2 values; the header has 5"),
    ]
    assert (back[0]["so"], back[2]["(row)"]) == ("bảy", "x,y")
    assert int(cli.json("dataset", "show", "ho-so")["record_count"]) == 33
    assert len(cli.json("audit", "list", "--action", "dataset.ingest")) == 4


def _csv(path: Path) -> list[dict[str, Any]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_export_formats_filters_and_errors(cli: Cli, tmp_path: Path) -> None:
    cli.run("ingest", "ho-so", str(write(tmp_path / "a.csv", HEADER + rows(12))))
    out = tmp_path / "all.csv"
    assert f"wrote {out}" in cli.run("export", "ho-so", "--out", str(out)).stdout.replace("\n", "")
    exported = _csv(out)
    assert [r["ma"] for r in exported] == [f"M{i:04d}" for i in range(1, 13)]
    assert exported[0]["ten"] == "'=HYPERLINK(1)"  # defused for spreadsheets
    assert exported[0]["cccd"] == "0*********01"  # the operator is not the owner

    cli.run("export", "ho-so", "--out", str(out), "--where", "so__gte=10", "--where", "so__lt=12")
    assert [r["so"] for r in _csv(out)] == ["10", "11"]
    cli.run("export", "ho-so", "--out", str(out), "--q", "dang xa")
    assert {r["ten"] for r in _csv(out)} == {"Đặng Xá"}

    pq_out = tmp_path / "all.parquet"
    cli.run("export", "ho-so", "--out", str(pq_out), "--format", "parquet")
    assert pq.read_table(pq_out).column("so").to_pylist() == list(range(1, 13))
    xlsx = tmp_path / "all.xlsx"
    cli.run("export", "ho-so", "--out", str(xlsx), "--format", "xlsx", "--where", "ma=M0002")
    sheet = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert sheet == [("_id", "ma", "ten", "so", "ngay", "cccd"),
                     (2, "M0002", "Đặng Xá", 2, sheet[1][4], "0*********02")]  # fmt: skip
    nd = tmp_path / "all.ndjson"
    cli.run("export", "ho-so", "--out", str(nd), "--format", "ndjson", "--where", "ma=M0003")
    assert json.loads(nd.read_text(encoding="utf-8"))["ngay"] == "2025-01-04"

    assert "field=value" in cli.run("export", "ho-so", "--out", str(out), "--where", "so",
                                    code=2).stderr  # fmt: skip
    assert "unknown field `nope`" in cli.run("export", "ho-so", "--out", str(out), "--where",
                                             "nope=1", code=2).stderr  # fmt: skip
    cli.run("export", "ho-so", "--out", str(out), "--format", "pdf", code=2)
    cli.run("dataset", "update", "ho-so", "--classification", "restricted")
    refused = cli.run("export", "ho-so", "--out", str(out), code=6)
    assert "restricted: ask its owner for a grant" in refused.stderr


def test_dataset_commands(cli: Cli, tmp_path: Path) -> None:
    cli.run("ingest", "ho-so", str(write(tmp_path / "a.csv", HEADER + rows(3))))
    listed = cli.json("dataset", "list")
    assert [(d["name"], d["record_count"], d["tags"]) for d in listed] == [
        ("ho-so", 3, ["hành chính"])
    ]
    assert "cccd" in cli.run("dataset", "show", "ho-so").stdout
    narrower = json.loads(json.dumps(SCHEMA))
    narrower["fields"][1]["constraints"] = {"maxLength": 3}
    path = tmp_path / "narrow.json"
    path.write_text(json.dumps(narrower), encoding="utf-8")
    refused = cli.run("dataset", "update", "ho-so", "--schema", str(path), code=2)
    assert "the schema change is refused: `ten`" in refused.stderr
    assert "longer than 3 characters" in refused.stderr
    narrower["fields"][1]["constraints"] = {"maxLength": 30}
    path.write_text(json.dumps(narrower), encoding="utf-8")
    cli.run("dataset", "update", "ho-so", "--schema", str(path), "--title", "Hồ sơ")
    versions = cli.json("dataset", "versions", "ho-so")
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["change"] == "changed title, schema"
    path.write_text("{not json", encoding="utf-8")
    assert (
        "cannot read the Table Schema"
        in cli.run("dataset", "update", "ho-so", "--schema", str(path), code=2).stderr
    )
    cli.run("dataset", "delete", "ho-so")
    cli.run("dataset", "show", "ho-so", code=3)
    assert cli.json("dataset", "list") == []
