"""The catalog's native API and who reads what, on SQLite and PostgreSQL: datasets,
versions, grants, classification, masking of personal fields and audited reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from lienthong.core.platform import Platform
from tests.test_warehouse_ingest import SCHEMA, as_text, audit_actions, create_dataset, expected
from tests.test_warehouse_ingest import load as ingest_rows
from tests.utils import (
    CUSTOMS,
    audit_count,
    auth,
    grant,
    make_member,
    make_subsystem,
    make_user,
    ok,
    user_key,
)

URL = "/api/v1/datasets"
LEGAL_BASIS = "Luật Căn cước 2023, Điều 10"


def records(client: TestClient, token: str | None, name: str = "ho-so", **params: Any) -> Any:
    return client.get(f"{URL}/{name}/records", params=params, headers=auth(token) if token else {})


def problem(resp: Any, status: int) -> str:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    return str(resp.json()["detail"])


# --- datasets and versions -----------------------------------------------------------------
def test_dataset_life_cycle_and_versions(
    client: TestClient, admin_token: str, platform: Platform
) -> None:
    created = create_dataset(client, admin_token)
    assert (created["owner"], created["version"], created["record_count"]) == ("VN/GOV/H31", 1, 0)
    assert created["schema"]["primaryKey"] == ["ma_hs"]
    assert created["schema"]["fields"][2]["personal"] is True
    body = {"name": "ho-so", "owner": "GOV/H31", "title": "x", "schema": SCHEMA}
    assert "already exists" in problem(client.post(URL, json=body, headers=auth(admin_token)), 409)

    patch = {"title": "Hồ sơ TTHC", "tags": ["hành chính"], "classification": "public"}
    changed = ok(client.patch(f"{URL}/ho-so", json=patch, headers=auth(admin_token)))
    assert (changed["title"], changed["version"], changed["tags"]) == (
        "Hồ sơ TTHC",
        2,
        ["hành chính"],
    )
    versions = ok(client.get(f"{URL}/ho-so/versions"))
    assert [(v["version"], v["change"]) for v in versions] == [
        (1, "created"),
        (2, "changed classification, tags, title"),
    ]
    assert versions[0]["snapshot"]["title"] == "Hồ sơ thủ tục hành chính"
    assert [d["name"] for d in ok(client.get(URL))] == ["ho-so"]  # public: anyone lists it

    ingest_rows(platform, [as_text(expected(1))])
    assert ok(client.get(f"{URL}/ho-so"))["record_count"] == 1
    ok(client.delete(f"{URL}/ho-so", headers=auth(admin_token)), 204)
    assert "does not exist" in problem(client.get(f"{URL}/ho-so"), 404)
    assert "does not exist" in problem(records(client, admin_token), 404)
    assert audit_actions(platform, "dataset.delete") == 1
    with platform.store.read() as conn:
        tables = conn.execute(text("SELECT count(*) FROM datasets WHERE state = 'deleted'"))
        assert tables.scalar_one() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "Hồ Sơ"}, "name"),
        ({"name": "../x"}, "name"),
        ({"owner": "H31"}, "owner"),
        ({"classification": "secret"}, "classification"),
        ({"schema": {"fields": [{"name": "Họ tên"}]}}, "schema.fields.Họ tên"),
        ({"schema": {"fields": [{"name": "a"}], "primaryKey": ["b"]}}, "schema.primaryKey"),
        ({"schema": {"fields": [{"name": "a", "type": "money"}]}}, None),
        (
            {"schema": {"fields": [{"name": "a", "type": "date", "format": "dd/mm"}]}},
            "schema.fields.a",
        ),
        ({"is_admin": True}, "is_admin"),
    ],
)
def test_bad_dataset_bodies_are_422_and_write_nothing(
    client: TestClient,
    admin_token: str,
    platform: Platform,
    change: dict[str, Any],
    field: str | None,
) -> None:
    make_member(client, admin_token)
    before = audit_count(platform.store)
    body = {"name": "ho-so", "owner": "GOV/H31", "title": "x", "schema": SCHEMA} | change
    resp = client.post(URL, json=body, headers=auth(admin_token))
    problem(resp, 422)
    if field:
        assert field in resp.json()["errors"]
    assert audit_count(platform.store) == before
    assert ok(client.get(URL, headers=auth(admin_token))) == []


def test_unknown_owner_and_roles(client: TestClient, admin_token: str) -> None:
    make_member(client, admin_token)
    make_member(client, admin_token, CUSTOMS)
    body = {"name": "ho-so", "owner": "GOV/X99", "title": "x", "schema": SCHEMA}
    problem(client.post(URL, json=body, headers=auth(admin_token)), 404)
    make_user(client, admin_token, "lan")
    grant(client, admin_token, "lan", "consumer", "GOV/H31")
    lan = user_key(client, admin_token, "lan")
    detail = problem(client.post(URL, json={**body, "owner": "GOV/H31"}, headers=auth(lan)), 403)
    assert detail == "user:lan needs the role publisher in this organisation"
    assert "API key is required" in problem(client.post(URL, json=body), 401)
    bad_key = {"Authorization": "Bearer lt_" + "x" * 43}
    problem(client.post(URL, json=body, headers=bad_key), 401)


# --- who reads what ------------------------------------------------------------------------
class People:
    """An owner (Hải Phòng), a reader from customs, and a customs system."""

    def __init__(self, client: TestClient, admin: str) -> None:
        make_member(client, admin, CUSTOMS)
        for name, role, member in [
            ("owner", "viewer", "GOV/H31"),
            ("reader", "consumer", "GOV/G12.31"),
            ("hq_admin", "org_admin", "GOV/G12.31"),
            ("h31_admin", "org_admin", "GOV/H31"),
        ]:
            make_user(client, admin, name)
            grant(client, admin, name, role, member)
        self.owner, self.reader = (
            user_key(client, admin, "owner"),
            user_key(client, admin, "reader"),
        )
        self.h31_admin = user_key(client, admin, "h31_admin")
        make_subsystem(client, admin, "GOV/G12.31", "VNACCS")
        body = {"name": "k", "subsystem": "GOV/G12.31/VNACCS", "roles": ["consumer"]}
        self.system = ok(client.post("/api/v1/keys", json=body, headers=auth(admin)), 201)["token"]


@pytest.fixture
def people(client: TestClient, admin_token: str, platform: Platform) -> People:
    make_member(client, admin_token)
    return People(client, admin_token)


def setup(client: TestClient, admin: str, platform: Platform, classification: str) -> None:
    create_dataset(client, admin, classification=classification, member=False)
    ingest_rows(platform, [as_text(expected(i)) for i in (1, 2, 3)])


def give(client: TestClient, token: str, **body: Any) -> Any:
    body = {"purpose": "kiểm tra hồ sơ hải quan"} | body
    return client.post(f"{URL}/ho-so/grants", json=body, headers=auth(token))


def test_public_and_shared_mask_personal_fields(
    client: TestClient, admin_token: str, platform: Platform, people: People
) -> None:
    setup(client, admin_token, platform, "public")
    before = audit_count(platform.store)
    anonymous = ok(records(client, None))
    assert anonymous["masked"] == ["so_cccd"]
    assert [r["so_cccd"] for r in anonymous["records"]] == [
        "0*********01", "0*********02", "0*********03",
    ]  # fmt: skip
    assert audit_count(platform.store) == before  # masked public data: no audit
    assert "masked personal field `so_cccd`" in problem(records(client, None, so_cccd="1"), 403)
    assert "masked personal" in problem(records(client, people.reader, sort="so_cccd"), 403)
    assert ok(records(client, None, q="031234500001"))["records"] == []  # never searched

    ok(client.patch(f"{URL}/ho-so", json={"classification": "shared"}, headers=auth(admin_token)))
    assert "does not exist" in problem(records(client, None), 404)
    assert ok(records(client, people.reader))["records"][0]["so_cccd"] == "0*********01"
    assert ok(records(client, people.system))["masked"] == ["so_cccd"]
    assert audit_count(platform.store) == before + 1  # the patch

    # the owner reads personal data unmasked, and that read is audited
    mine = ok(records(client, people.owner, so_cccd="031234500002"))
    assert (mine["masked"], mine["records"][0]["so_cccd"]) == ([], "031234500002")
    assert audit_actions(platform, "dataset.read") == 1


def test_restricted_needs_a_grant_limited_to_its_fields(
    client: TestClient, admin_token: str, platform: Platform, people: People
) -> None:
    setup(client, admin_token, platform, "restricted")
    detail = problem(records(client, people.reader), 403)
    assert detail == "dataset 'ho-so' is restricted: ask its owner for a grant"
    problem(records(client, None), 404)
    assert "org_admin" in problem(give(client, people.reader, member="GOV/G12.31"), 403)
    bad = give(client, people.h31_admin, member="GOV/G12.31", fields=["ma_hs", "nope"])
    assert problem(bad, 422) == "unknown fields: nope"
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    problem(give(client, people.h31_admin, member="GOV/G12.31", expires_at=past), 422)
    problem(give(client, people.h31_admin), 422)

    fields = ["ma_hs", "so_cccd", "ngay_nop"]
    g = ok(give(client, people.h31_admin, member="GOV/G12.31", fields=fields), 201)
    assert (g["grantee"], g["fields"], g["legal_basis"]) == ("member:VN/GOV/G12.31", fields, None)
    reads_before = audit_actions(platform, "dataset.read")
    page = ok(records(client, people.reader, ngay_nop="2025-01-03"))
    assert page["records"] == [{"_id": 2, "ma_hs": "HS00002", "so_cccd": "0*********02",
                                "ngay_nop": "2025-01-03"}]  # fmt: skip
    assert page["masked"] == ["so_cccd"]
    assert audit_actions(platform, "dataset.read") == reads_before + 1
    detail = problem(records(client, people.reader, fields="ma_hs,so_luong"), 403)
    assert detail == "fields not readable under your access: so_luong"
    for params in ({"ho_ten__prefix": "Ng"}, {"sort": "-ho_ten"}):
        assert "`ho_ten`: it is outside your grant" in problem(
            records(client, people.reader, **params), 403
        )
    assert "outside your grant" in problem(records(client, people.reader, q="lan"), 403)

    # a second grant, to the customs system, names a legal basis: it reads personal data
    body = {"subsystem": "GOV/G12.31/VNACCS", "legal_basis": LEGAL_BASIS}
    g2 = ok(give(client, people.h31_admin, **body), 201)
    system = ok(records(client, people.system, so_cccd="031234500003"))
    assert (system["masked"], system["records"][0]["so_cccd"]) == ([], "031234500003")
    entry = _last_read(platform)
    assert entry["actor"] == "subsystem:VN/GOV/G12.31/VNACCS"
    assert entry["details"]["personal_unmasked"] == ["so_cccd"]
    assert entry["details"]["basis"].startswith("grant ")

    listed = ok(client.get(f"{URL}/ho-so/grants", headers=auth(people.h31_admin)))
    assert [x["id"] for x in listed] == [g["id"], g2["id"]]
    revoke = f"{URL}/ho-so/grants/{g2['id']}/revoke"
    assert ok(client.post(revoke, headers=auth(people.h31_admin)))["revoked_at"] is not None
    problem(client.post(revoke, headers=auth(people.h31_admin)), 409)
    # back to the member's grant: fields limited, personal masked
    assert ok(records(client, people.system))["masked"] == ["so_cccd"]
    problem(client.post(f"{URL}/ho-so/grants/999/revoke", headers=auth(people.h31_admin)), 404)


def test_expired_grants_read_nothing(
    client: TestClient, admin_token: str, platform: Platform, people: People
) -> None:
    setup(client, admin_token, platform, "restricted")
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    g = ok(give(client, people.h31_admin, member="GOV/G12.31", expires_at=soon), 201)
    assert len(ok(records(client, people.reader))["records"]) == 3
    with platform.store.write() as conn:
        conn.execute(
            text("UPDATE grants SET expires_at = :t WHERE id = :id"),
            {"t": datetime.now(UTC) - timedelta(minutes=1), "id": g["id"]},
        )
    problem(records(client, people.reader), 403)


def test_platform_admin_is_not_the_owner(
    client: TestClient, admin_token: str, platform: Platform, people: People
) -> None:
    setup(client, admin_token, platform, "restricted")
    assert "restricted" in problem(records(client, admin_token), 403)
    assert ok(records(client, people.owner))["masked"] == []


def _last_read(platform: Platform) -> dict[str, Any]:
    sql = "SELECT actor, details FROM audit_log WHERE action = 'dataset.read' ORDER BY seq DESC"
    with platform.store.read() as conn:
        row = conn.execute(text(sql)).first()
    assert row is not None
    return {"actor": row.actor, "details": json.loads(row.details)}
