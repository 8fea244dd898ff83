"""Factories for tests: members, subsystems, users and keys through the real API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from lienthong.core.db import Store

# real-format codes: Hải Phòng's agency code and tax codes with valid check digits
HAIPHONG = {"member_class": "GOV", "member_code": "H31", "name": "UBND thành phố Hải Phòng"}
PORT_TAX_CODE = "0200236845"  # check digit 5 is correct for 020023684
CUSTOMS = {"member_class": "GOV", "member_code": "G12.31", "name": "Chi cục Hải quan Hải Phòng"}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def ok(resp: Any, status: int = 200) -> Any:
    assert resp.status_code == status, resp.text
    return resp.json() if resp.content else None


def make_member(client: TestClient, token: str, body: dict[str, Any] | None = None) -> Any:
    return ok(client.post("/api/v1/members", json=body or HAIPHONG, headers=auth(token)), 201)


def make_subsystem(client: TestClient, token: str, member: str, code: str) -> Any:
    url = f"/api/v1/members/{member}/subsystems"
    return ok(client.post(url, json={"code": code, "name": code}, headers=auth(token)), 201)


def make_user(client: TestClient, token: str, username: str, **extra: Any) -> Any:
    body = {"username": username, "full_name": username.title()} | extra
    return ok(client.post("/api/v1/users", json=body, headers=auth(token)), 201)


def grant(client: TestClient, token: str, username: str, role: str, member: str | None) -> Any:
    body = {"role": role} | ({"member": member} if member else {})
    return ok(client.post(f"/api/v1/users/{username}/roles", json=body, headers=auth(token)), 201)


def user_key(client: TestClient, admin: str, username: str) -> str:
    body = {"name": "test", "user": username}
    return str(ok(client.post("/api/v1/keys", json=body, headers=auth(admin)), 201)["token"])


def audit_count(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one())


def row_count(store: Store, table: str) -> int:
    with store.read() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
