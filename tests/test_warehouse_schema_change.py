"""Schema changes on datasets holding records, on SQLite and PostgreSQL: the allowed ones
are applied in place as a new version, the others refused with the reason and nothing
changed."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lienthong.core.platform import Platform
from lienthong.warehouse.ingest import IngestFailed
from tests.test_warehouse_ingest import create_dataset, load, snapshot, stored
from tests.utils import auth, ok

BASE: dict[str, Any] = {
    "fields": [
        {"name": "ma", "type": "string"},
        {"name": "ten", "type": "string"},
        {"name": "so", "type": "integer"},
        {"name": "tien", "type": "number"},
        {"name": "ngay", "type": "date"},
        {"name": "co", "type": "string"},
        {"name": "nhom", "type": "string"},
        {"name": "trong", "type": "string"},
    ],
    "primaryKey": ["ma"],
}
ROWS = [
    {"ma": "A", "ten": "Hải Phòng", "so": "1", "tien": "1.5", "ngay": "2025-01-02",
     "co": "true", "nhom": "x"},
    {"ma": "B", "ten": "Kiến An", "so": "22", "tien": "3", "ngay": "2025-03-04",
     "co": "false", "nhom": "x"},
    {"ma": "C", "ten": "Đồ Sơn", "so": "333", "tien": "-4.25", "ngay": "2024-12-31",
     "co": "true", "nhom": "y"},
]  # fmt: skip


@pytest.fixture
def ds(client: TestClient, admin_token: str, platform: Platform) -> TestClient:
    create_dataset(client, admin_token, "xa", BASE, "public")
    load(platform, ROWS, name="xa")
    return client


def change(client: TestClient, token: str, edit: Any) -> Any:
    schema = copy.deepcopy(BASE)
    edit(schema)
    return client.patch("/api/v1/datasets/xa", json={"schema": schema}, headers=auth(token))


def field(name: str, **extra: Any) -> Any:
    def edit(schema: dict[str, Any]) -> None:
        f = next(f for f in schema["fields"] if f["name"] == name)
        f.update(extra)

    return edit


def constrain(name: str, **constraints: Any) -> Any:
    return field(name, constraints=constraints)


def version(client: TestClient) -> int:
    return int(ok(client.get("/api/v1/datasets/xa"))["version"])


@pytest.mark.parametrize(
    ("edit", "check"),
    [
        (
            lambda s: s["fields"].append({"name": "moi", "type": "integer"}),
            lambda rows: all(r["moi"] is None for r in rows),
        ),
        (field("so", type="number"), lambda rows: [r["so"] for r in rows] == [1.0, 22.0, 333.0]),
        (field("so", type="string"), lambda rows: [r["so"] for r in rows] == ["1", "22", "333"]),
        (constrain("ten", maxLength=20), None),
        (constrain("so", minimum=1, maximum=1000), None),
        (constrain("ten", required=True, unique=True), None),
        (constrain("nhom", enum=["x", "y", "z"]), None),
        (constrain("ma", pattern="[A-Z]"), None),
        (lambda s: s.update(primaryKey=["ten"]), None),
        (lambda s: s["fields"].pop(), None),  # `trong` holds nothing
        (field("co", type="boolean"), lambda rows: [r["co"] for r in rows] == [True, False, True]),
        (
            field("tien", type="string"),
            lambda rows: [r["tien"] for r in rows] == ["1.5", "3", "-4.25"],
        ),
        (
            field("ngay", type="string"),
            lambda rows: [r["ngay"] for r in rows] == ["2025-01-02", "2025-03-04", "2024-12-31"],
        ),
    ],
)
def test_allowed_changes_apply_in_place_as_a_new_version(
    ds: TestClient, admin_token: str, platform: Platform, edit: Any, check: Any
) -> None:
    before = stored(platform, "xa")
    resp = change(ds, admin_token, edit)
    assert resp.status_code == 200, resp.text
    assert resp.json()["version"] == 2
    versions = ok(ds.get("/api/v1/datasets/xa/versions"))
    assert [v["change"] for v in versions] == ["created", "changed schema"]
    after = stored(platform, "xa")
    assert [r["ma"] for r in after] == ["A", "B", "C"]
    if check:
        assert check(after), after
    else:
        assert after == [{k: v for k, v in r.items() if k in after[0]} for r in before]
    # the table still takes records, and its full-text index follows
    load(platform, [{"ma": "D", "ten": "Cát Hải", "so": "4"}], name="xa")
    found = ok(ds.get("/api/v1/datasets/xa/records", params={"q": "cat hai"}))["records"]
    assert [r["ma"] for r in found] == ["D"]


@pytest.mark.parametrize(
    ("edit", "where", "reason"),
    [
        (
            lambda s: s["fields"].append(
                {"name": "moi", "type": "string", "constraints": {"required": True}}
            ),
            "moi",
            "is new and required, but the existing records have no value for it",
        ),
        (
            lambda s: s["fields"].pop(1),
            "ten",
            "cannot be removed: 3 records hold a value in it",
        ),
        (
            field("tien", type="integer"),
            "tien",
            "does not fit existing data: the record with _id 1 holds '1.5', which is not an "
            "integer",
        ),
        (
            field("ten", type="date"),
            "ten",
            "does not fit existing data: the record with _id 1 holds 'Hải Phòng', which is not "
            "a date (%Y-%m-%d)",
        ),
        (
            constrain("ten", maxLength=6),
            "ten",
            "does not fit existing data: the record with _id 1 holds 'Hải Phòng', which is "
            "longer than 6 characters",
        ),
        (
            constrain("so", maximum=100),
            "so",
            "does not fit existing data: the record with _id 3 holds '333', which is more "
            "than the maximum 100",
        ),
        (
            lambda s: s.update(primaryKey=["nhom"]),
            "nhom",
            "cannot become unique: 1 values occur more than once",
        ),
        (
            constrain("nhom", unique=True),
            "nhom",
            "cannot become unique: 1 values occur more than once",
        ),
        (
            constrain("trong", required=True),
            "trong",
            "does not fit existing data: the record with _id 1 holds '', which is required",
        ),
    ],
)
def test_refused_changes_say_why_and_change_nothing(
    ds: TestClient, admin_token: str, platform: Platform, edit: Any, where: str, reason: str
) -> None:
    before, schema = snapshot(platform, "xa"), ok(ds.get("/api/v1/datasets/xa"))["schema"]
    resp = change(ds, admin_token, edit)
    assert resp.status_code == 422, resp.text
    assert resp.json()["errors"][where] == [reason]
    assert resp.json()["detail"] == f"the schema change is refused: `{where}` {reason}"
    assert snapshot(platform, "xa") == before
    assert version(ds) == 1
    assert len(ok(ds.get("/api/v1/datasets/xa/versions"))) == 1
    assert ok(ds.get("/api/v1/datasets/xa"))["schema"] == schema


def test_successive_changes_keep_ids_keys_and_new_rows(
    ds: TestClient, admin_token: str, platform: Platform
) -> None:
    for n, edit in enumerate(
        [
            field("so", type="number"),
            constrain("ten", maxLength=50),
            lambda s: s.update(primaryKey=["ten"]),
        ],
        start=2,
    ):
        assert ok(change(ds, admin_token, edit))["version"] == n
    report = load(platform, [{"ma": "D", "ten": "Cát Hải"}], name="xa")
    assert report["inserted"] == 1
    ids = [r["_id"] for r in ok(ds.get("/api/v1/datasets/xa/records"))["records"]]
    assert ids == [1, 2, 3, 4]
    with pytest.raises(IngestFailed, match="already in the dataset"):
        load(platform, [{"ma": "E", "ten": "Kiến An"}], name="xa")
    assert len(stored(platform, "xa")) == 4


def test_an_empty_dataset_takes_any_change(
    client: TestClient, admin_token: str, platform: Platform
) -> None:
    create_dataset(client, admin_token, "xa", BASE, "public")
    schema = {"fields": [{"name": "khac", "type": "integer", "constraints": {"required": True}}]}
    resp = client.patch("/api/v1/datasets/xa", json={"schema": schema}, headers=auth(admin_token))
    assert ok(resp)["version"] == 2
    load(platform, [{"khac": "7"}], name="xa")
    assert stored(platform, "xa") == [{"khac": 7}]


def test_text_becomes_typed_in_the_field_formats(
    client: TestClient, admin_token: str, platform: Platform
) -> None:
    from datetime import date

    schema: dict[str, Any] = {"fields": [{"name": "tien"}, {"name": "ngay"}, {"name": "co"}]}
    create_dataset(client, admin_token, "xa", schema, "public")
    load(platform, [{"tien": "1.234,5", "ngay": "28/02/2025", "co": "có"}], name="xa")
    schema["fields"] = [
        {"name": "tien", "type": "number", "decimalChar": ",", "groupChar": "."},
        {"name": "ngay", "type": "date", "format": "%d/%m/%Y"},
        {"name": "co", "type": "boolean", "trueValues": ["có"], "falseValues": ["không"]},
    ]
    url, headers = "/api/v1/datasets/xa", auth(admin_token)
    assert ok(client.patch(url, json={"schema": schema}, headers=headers))["version"] == 2
    assert stored(platform, "xa") == [{"tien": 1234.5, "ngay": date(2025, 2, 28), "co": True}]
    # typed values are checked as stored, whatever the input formats
    for f in schema["fields"]:
        f["constraints"] = {"required": True}
    schema["fields"][0]["constraints"]["minimum"] = 1000
    assert ok(client.patch(url, json={"schema": schema}, headers=headers))["version"] == 3
    assert stored(platform, "xa") == [{"tien": 1234.5, "ngay": date(2025, 2, 28), "co": True}]
