"""The registry's life cycle through the REST API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from lienthong.core.platform import Platform
from tests.utils import (
    CUSTOMS,
    PORT_TAX_CODE,
    audit_count,
    auth,
    grant,
    make_member,
    make_subsystem,
    make_user,
    ok,
    user_key,
)


def test_member_subsystem_user_key_life_cycle(
    client: TestClient, admin_token: str, platform: Platform
) -> None:
    member = make_member(client, admin_token)
    assert member["id"] == "VN/GOV/H31"
    port = make_member(
        client,
        admin_token,
        {"member_class": "COM", "member_code": PORT_TAX_CODE, "name": "Cảng Hải Phòng"},
    )
    assert port["id"] == f"VN/COM/{PORT_TAX_CODE}"

    sub = make_subsystem(client, admin_token, f"COM/{PORT_TAX_CODE}", "TOS")
    assert sub["id"] == f"VN/COM/{PORT_TAX_CODE}/TOS"
    shown = ok(client.get(f"/api/v1/members/COM/{PORT_TAX_CODE}", headers=auth(admin_token)))
    assert [s["code"] for s in shown["subsystems"]] == ["TOS"]

    make_user(client, admin_token, "lan", password="mật-khẩu-đủ-dài-123")
    grant(client, admin_token, "lan", "org_admin", f"COM/{PORT_TAX_CODE}")
    lan = user_key(client, admin_token, "lan")
    me = ok(client.get("/api/v1/me", headers=auth(lan)))
    assert me["actor"] == "user:lan"
    assert me["roles"] == [{"role": "org_admin", "member": f"VN/COM/{PORT_TAX_CODE}"}]

    # the org admin issues a key for her subsystem; the key acts as that system
    body = {"name": "tos", "subsystem": f"COM/{PORT_TAX_CODE}/TOS", "roles": ["publisher"]}
    key = ok(client.post("/api/v1/keys", json=body, headers=auth(lan)), 201)
    assert key["token"].startswith("lt_")
    assert len(key["token"]) == 46
    sys_me = ok(client.get("/api/v1/me", headers=auth(key["token"])))
    assert sys_me["actor"] == f"subsystem:VN/COM/{PORT_TAX_CODE}/TOS"
    assert sys_me["member"] == f"VN/COM/{PORT_TAX_CODE}"

    listed = ok(client.get("/api/v1/keys", headers=auth(lan)))
    assert {k["holder"] for k in listed} == {"user:lan", f"subsystem:VN/COM/{PORT_TAX_CODE}/TOS"}
    assert all("token" not in k and "secret_hash" not in k for k in listed)

    ok(client.post(f"/api/v1/keys/{key['id']}/revoke", headers=auth(lan)))
    denied = client.get("/api/v1/me", headers=auth(key["token"]))
    assert denied.status_code == 401
    assert denied.json()["detail"] == "the API key has been revoked"

    patched = ok(
        client.patch(
            f"/api/v1/members/COM/{PORT_TAX_CODE}",
            json={"name_en": "Hai Phong Port"},
            headers=auth(lan),
        )
    )
    assert patched["name_en"] == "Hai Phong Port"

    ok(client.delete(f"/api/v1/members/COM/{PORT_TAX_CODE}/subsystems/TOS", headers=auth(lan)), 204)
    ok(
        client.delete(
            f"/api/v1/users/lan/roles/org_admin?member=COM/{PORT_TAX_CODE}",
            headers=auth(admin_token),
        )
    )
    ok(client.delete(f"/api/v1/members/COM/{PORT_TAX_CODE}", headers=auth(admin_token)), 204)
    gone = client.get(f"/api/v1/members/COM/{PORT_TAX_CODE}", headers=auth(admin_token))
    assert gone.status_code == 404

    deactivated = ok(client.delete("/api/v1/users/lan", headers=auth(admin_token)))
    assert deactivated["active"] is False
    assert client.get("/api/v1/me", headers=auth(lan)).status_code == 401

    actions = [
        e["action"]
        for e in ok(client.get("/api/v1/audit?limit=1000", headers=auth(admin_token)))["entries"]
    ]
    for expected in (
        "member.create",
        "subsystem.create",
        "user.create",
        "role.grant",
        "key.create",
        "key.revoke",
        "member.update",
        "subsystem.delete",
        "role.revoke",
        "member.delete",
        "user.deactivate",
    ):
        assert expected in actions


def test_api_keys_are_stored_only_as_hashes(
    client: TestClient, admin_token: str, platform: Platform
) -> None:
    from sqlalchemy import text

    with platform.store.read() as conn:
        stored = [tuple(r) for r in conn.execute(text("SELECT prefix, secret_hash FROM api_keys"))]
    assert stored
    assert all(admin_token not in (p, h) for p, h in stored)
    assert all(len(h) == 64 and admin_token.startswith(p) for p, h in stored)


def test_expired_key_is_refused(client: TestClient, admin_token: str, platform: Platform) -> None:
    from sqlalchemy import update

    from lienthong.registry.schema import api_keys

    make_user(client, admin_token, "minh")
    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    key = ok(
        client.post(
            "/api/v1/keys",
            json={"name": "k", "user": "minh", "expires_at": soon},
            headers=auth(admin_token),
        ),
        201,
    )
    assert client.get("/api/v1/me", headers=auth(key["token"])).status_code == 200
    with platform.store.write() as conn:
        past = datetime.now(UTC) - timedelta(seconds=1)
        conn.execute(update(api_keys).where(api_keys.c.id == key["id"]).values(expires_at=past))
    resp = client.get("/api/v1/me", headers=auth(key["token"]))
    assert resp.status_code == 401
    assert resp.json()["detail"] == "the API key has expired"
    assert resp.headers["content-type"] == "application/problem+json"


def test_unknown_and_malformed_keys(client: TestClient, admin_token: str) -> None:
    for token in ("lt_" + "A" * 43, "short", "x" * 5000, admin_token[:-1] + "Z"):
        resp = client.get("/api/v1/me", headers=auth(token))
        assert resp.status_code == 401, token
        assert resp.json()["title"] == "Unauthenticated"
    assert client.get("/api/v1/me").status_code == 401
    # CKAN-style raw token and X-API-Key both work
    assert client.get("/api/v1/me", headers={"Authorization": admin_token}).status_code == 200
    assert client.get("/api/v1/me", headers={"X-API-Key": admin_token}).status_code == 200


def test_wrong_role_is_forbidden_and_writes_nothing(
    client: TestClient, admin_token: str, platform: Platform
) -> None:
    make_member(client, admin_token)
    make_member(client, admin_token, CUSTOMS)
    make_user(client, admin_token, "hoa")
    grant(client, admin_token, "hoa", "viewer", "GOV/H31")
    hoa = user_key(client, admin_token, "hoa")
    before = audit_count(platform.store)

    attempts = [
        client.post(
            "/api/v1/members", json={**CUSTOMS, "member_code": "G12.32"}, headers=auth(hoa)
        ),
        client.post(
            "/api/v1/members/GOV/H31/subsystems", json={"code": "X", "name": "x"}, headers=auth(hoa)
        ),
        client.patch("/api/v1/members/GOV/G12.31", json={"name": "hacked"}, headers=auth(hoa)),
        client.post(
            "/api/v1/users/hoa/roles",
            json={"role": "org_admin", "member": "GOV/H31"},
            headers=auth(hoa),
        ),
        client.post("/api/v1/users/hoa/roles", json={"role": "platform_admin"}, headers=auth(hoa)),
        client.post("/api/v1/keys", json={"name": "x", "user": "admin"}, headers=auth(hoa)),
        client.delete("/api/v1/users/admin", headers=auth(hoa)),
        client.get("/api/v1/audit", headers=auth(hoa)),
        client.get("/api/v1/users", headers=auth(hoa)),
    ]
    for resp in attempts:
        assert resp.status_code == 403, resp.text
        assert resp.headers["content-type"] == "application/problem+json"
    assert audit_count(platform.store) == before
    shown = ok(client.get("/api/v1/members/GOV/G12.31", headers=auth(admin_token)))
    assert shown["name"] == CUSTOMS["name"]


def test_org_admin_cannot_manage_another_org(client: TestClient, admin_token: str) -> None:
    make_member(client, admin_token)
    make_member(client, admin_token, CUSTOMS)
    make_subsystem(client, admin_token, "GOV/G12.31", "VNACCS")
    make_user(client, admin_token, "son")
    grant(client, admin_token, "son", "org_admin", "GOV/H31")
    son = user_key(client, admin_token, "son")
    body = {"name": "steal", "subsystem": "GOV/G12.31/VNACCS"}
    assert client.post("/api/v1/keys", json=body, headers=auth(son)).status_code == 403
    # a subsystem key may not carry an administrative role
    make_subsystem(client, admin_token, "GOV/H31", "LGSP")
    bad = {"name": "x", "subsystem": "GOV/H31/LGSP", "roles": ["org_admin"]}
    resp = client.post("/api/v1/keys", json=bad, headers=auth(son))
    assert resp.status_code == 422
    assert "roles" in resp.json()["errors"]
