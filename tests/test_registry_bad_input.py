"""Malformed, hostile and oversized input to the registry: precise 4xx, nothing written."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from lienthong.core.platform import Platform
from lienthong.registry.identifiers import agency_code_valid, tax_code_valid
from tests.utils import HAIPHONG, audit_count, auth, make_member, row_count


@pytest.mark.parametrize(
    ("member_class", "code", "why"),
    [
        ("COM", "0100107519", "check digit"),
        ("COM", "010010751", "nine digits"),
        ("COM", "01001075180", "eleven digits"),
        ("COM", "0100107518-01", "branch needs three digits"),
        ("GOV", "h31", "lower case"),
        ("GOV", "H3", "too short"),
        ("GOV", "H31.1", "level of one digit"),
        ("GOV", "H31.12.05.07.09", "five levels"),
        ("ORG", "ABC", "neither form"),
        ("GOV", "H31/../x", "path characters"),
    ],
)
def test_invalid_member_codes(
    client: TestClient, admin_token: str, platform: Platform, member_class: str, code: str, why: str
) -> None:
    before = row_count(platform.store, "members"), audit_count(platform.store)
    body = {"member_class": member_class, "member_code": code, "name": "x"}
    resp = client.post("/api/v1/members", json=body, headers=auth(admin_token))
    assert resp.status_code == 422, why
    problem = resp.json()
    assert problem["title"] == "Validation failed"
    assert "member_code" in problem["errors"]
    assert (row_count(platform.store, "members"), audit_count(platform.store)) == before


def test_code_validators() -> None:
    assert tax_code_valid("0100107518")
    assert tax_code_valid("0200236845-012")
    assert not tax_code_valid("0000000000")  # check digit would be 10: never issued
    assert agency_code_valid("000.00.00.H31")
    assert agency_code_valid("G12.31.045")
    assert not agency_code_valid("000.00.00.h31")


def test_malformed_json_and_unknown_fields(client: TestClient, admin_token: str) -> None:
    headers = auth(admin_token) | {"content-type": "application/json"}
    resp = client.post("/api/v1/members", content=b'{"member_class": "GOV",', headers=headers)
    assert resp.status_code == 400
    assert resp.json()["detail"].startswith("malformed JSON")

    resp = client.post(
        "/api/v1/members", json={**HAIPHONG, "is_admin": True}, headers=auth(admin_token)
    )
    assert resp.status_code == 422
    assert "is_admin" in resp.json()["errors"]

    resp = client.post("/api/v1/members", json=[1, 2], headers=auth(admin_token))
    assert resp.status_code == 422

    resp = client.post(
        "/api/v1/members", json={**HAIPHONG, "member_class": "XYZ"}, headers=auth(admin_token)
    )
    assert resp.status_code == 422
    assert "member_class" in resp.json()["errors"]


def test_over_long_strings(client: TestClient, admin_token: str, platform: Platform) -> None:
    before = row_count(platform.store, "members")
    for body in (
        {**HAIPHONG, "name": "Hải Phòng " * 100},
        {**HAIPHONG, "member_code": "H31" + ".12" * 100},
        {**HAIPHONG, "name": "x" * 1_000_000},
    ):
        resp = client.post("/api/v1/members", json=body, headers=auth(admin_token))
        assert resp.status_code in (413, 422), resp.text[:200]
    resp = client.get("/api/v1/members/GOV/" + "H" * 500, headers=auth(admin_token))
    assert resp.status_code == 422
    assert row_count(platform.store, "members") == before


def test_oversized_body_is_refused_before_parsing(client: TestClient, admin_token: str) -> None:
    big = b'{"name": "' + b"x" * 2_000_000 + b'"}'
    headers = auth(admin_token) | {"content-type": "application/json"}
    resp = client.post("/api/v1/members", content=big, headers=headers)
    assert resp.status_code == 413
    assert resp.json()["title"] == "Payload too large"


def test_duplicates_conflict(client: TestClient, admin_token: str, platform: Platform) -> None:
    make_member(client, admin_token)
    before = audit_count(platform.store)
    resp = client.post("/api/v1/members", json=HAIPHONG, headers=auth(admin_token))
    assert resp.status_code == 409
    assert "already exists" in resp.json()["detail"]
    client.post(
        "/api/v1/users", json={"username": "an", "full_name": "An"}, headers=auth(admin_token)
    )
    resp = client.post(
        "/api/v1/users", json={"username": "an", "full_name": "An"}, headers=auth(admin_token)
    )
    assert resp.status_code == 409
    assert audit_count(platform.store) == before + 1


def test_hostile_usernames_and_short_passwords(client: TestClient, admin_token: str) -> None:
    for body in (
        {"username": "Robert'); DROP TABLE users;--", "full_name": "x"},
        {"username": "../etc/passwd", "full_name": "x"},
        {"username": "ok-name", "full_name": "x", "password": "short"},
        {"username": "ok-name", "full_name": "x", "email": "not-an-email"},
    ):
        resp = client.post("/api/v1/users", json=body, headers=auth(admin_token))
        assert resp.status_code == 422, body
    assert client.get("/api/v1/users", headers=auth(admin_token)).status_code == 200


def test_init_twice_is_a_conflict(platform: Platform, admin_token: str) -> None:
    from lienthong.core.errors import Conflict
    from lienthong.registry.auth import init_platform

    with pytest.raises(Conflict), platform.store.write() as conn:
        init_platform(conn, platform.audit, "VN", "admin2", "x", "test")
    assert row_count(platform.store, "users") == 1
