"""API keys: issue, list, revoke, and turn a presented token into a principal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import RowMapping

from lienthong.core.auth import Principal, Role
from lienthong.core.errors import Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed
from lienthong.core.platform import AuditSink
from lienthong.core.timeutil import utcnow
from lienthong.registry.members import member_view, subsystem_by_ref, subsystem_view
from lienthong.registry.models import KeyIn
from lienthong.registry.people import get_user
from lienthong.registry.schema import api_keys, members, role_assignments, subsystems, users
from lienthong.registry.secrets import (
    PREFIX_LEN,
    new_token,
    token_hash,
    token_matches,
    token_prefix,
)

SYSTEM_ROLES = frozenset({Role.PUBLISHER, Role.CONSUMER, Role.VIEWER})
# last_used_at is refreshed at most this often, to keep writes off the request path
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _aware(dt: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything we store is UTC
    return dt.replace(tzinfo=UTC) if dt is not None and dt.tzinfo is None else dt


def key_view(conn: Connection, row: RowMapping) -> dict[str, Any]:
    holder: str
    if row["user_id"] is not None:
        holder = (
            "user:"
            + conn.execute(
                select(users.c.username).where(users.c.id == row["user_id"])
            ).scalar_one()
        )
    else:
        sub = (
            conn.execute(select(subsystems).where(subsystems.c.id == row["subsystem_id"]))
            .mappings()
            .one()
        )
        member = (
            conn.execute(select(members).where(members.c.id == sub["member_id"])).mappings().one()
        )
        holder = "subsystem:" + subsystem_view(member, sub)["id"]
    return {
        "id": row["id"],
        "prefix": row["prefix"],
        "name": row["name"],
        "holder": holder,
        "roles": [r for r in row["roles"].split(",") if r],
        "created_at": row["created_at"],
        "created_by": row["created_by"],
        "expires_at": row["expires_at"],
        "revoked_at": row["revoked_at"],
        "last_used_at": row["last_used_at"],
    }


def _holder(
    conn: Connection, actor: Principal, instance: str, data: KeyIn
) -> tuple[dict[str, Any], int | None]:
    """Which columns name the key's holder, and the member it concerns."""
    if data.user and data.subsystem:
        raise ValidationFailed("a key belongs to a user or to a subsystem, not both")
    if data.subsystem:
        member, sub = subsystem_by_ref(conn, instance, data.subsystem)
        actor.require(member["id"], Role.ORG_ADMIN)
        bad = [r.value for r in data.roles if r not in SYSTEM_ROLES]
        if bad:
            raise ValidationFailed(
                "a subsystem key may hold only publisher, consumer or viewer, "
                f"not {', '.join(bad)}",
                errors={"roles": [f"not allowed for systems: {', '.join(bad)}"]},
            )
        return {
            "subsystem_id": sub["id"],
            "roles": ",".join(sorted({r.value for r in data.roles})),
        }, int(member["id"])
    if data.user:
        user = get_user(conn, data.user)
        if not (actor.platform_admin or (actor.kind == "user" and actor.id == user["id"])):
            raise Forbidden(f"{actor.actor} may not issue keys for user '{data.user}'")
        return {"user_id": user["id"], "roles": ""}, None
    if actor.kind != "user":
        raise ValidationFailed("name the holder: user or subsystem")
    return {"user_id": actor.id, "roles": ""}, None


def create_key(
    conn: Connection, audit: AuditSink, actor: Principal, instance: str, data: KeyIn
) -> dict[str, Any]:
    """Issue a key. The token is in the result and is never shown again."""
    columns, member_id = _holder(conn, actor, instance, data)
    expires = _aware(data.expires_at)
    if expires is not None and expires <= utcnow():
        raise ValidationFailed("expires_at is in the past", errors={"expires_at": ["in the past"]})
    token = new_token()
    stmt = (
        insert(api_keys)
        .values(
            prefix=token_prefix(token),
            secret_hash=token_hash(token),
            name=data.name,
            created_at=utcnow(),
            created_by=actor.actor,
            expires_at=expires,
            **columns,
        )
        .returning(*api_keys.c)
    )
    row = conn.execute(stmt).mappings().one()
    kid = row["id"]
    view = key_view(conn, row)
    details = {
        "key_id": kid,
        "prefix": view["prefix"],
        "holder": view["holder"],
        "roles": view["roles"],
    }
    audit.record(conn, actor.actor, "key.create", view["holder"], details, member_id)
    return view | {"token": token}


def _key_member(conn: Connection, row: RowMapping) -> int | None:
    if row["subsystem_id"] is None:
        return None
    return int(
        conn.execute(
            select(subsystems.c.member_id).where(subsystems.c.id == row["subsystem_id"])
        ).scalar_one()
    )


def _may_manage(conn: Connection, actor: Principal, row: RowMapping) -> bool:
    if actor.platform_admin:
        return True
    if row["user_id"] is not None:
        return actor.kind == "user" and actor.id == row["user_id"]
    return actor.has_role(_key_member(conn, row), Role.ORG_ADMIN)


def list_keys(conn: Connection, actor: Principal) -> list[dict[str, Any]]:
    rows = conn.execute(select(api_keys).order_by(api_keys.c.id)).mappings()
    return [key_view(conn, r) for r in rows if _may_manage(conn, actor, r)]


def revoke_key(conn: Connection, audit: AuditSink, actor: Principal, key_id: int) -> dict[str, Any]:
    row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).mappings().first()
    if row is None or not _may_manage(conn, actor, row):
        raise NotFound(f"key {key_id} does not exist")
    if row["revoked_at"] is not None:
        raise Conflict(f"key {key_id} is already revoked")
    conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(revoked_at=utcnow()))
    row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).mappings().one()
    view = key_view(conn, row)
    audit.record(
        conn, actor.actor, "key.revoke", view["holder"], {"key_id": key_id}, _key_member(conn, row)
    )
    return view


def resolve(conn: Connection, token: str) -> tuple[Principal, bool]:
    """The principal a token stands for, and whether last_used_at is stale.

    Unknown, malformed, expired and revoked keys all raise Unauthenticated.
    """
    if len(token) < PREFIX_LEN or len(token) > 200:
        raise Unauthenticated("the API key is malformed")
    row = (
        conn.execute(select(api_keys).where(api_keys.c.prefix == token_prefix(token)))
        .mappings()
        .first()
    )
    if row is None or not token_matches(token, row["secret_hash"]):
        raise Unauthenticated("the API key is not valid")
    now = utcnow()
    if row["revoked_at"] is not None:
        raise Unauthenticated("the API key has been revoked")
    expires = _aware(row["expires_at"])
    if expires is not None and expires <= now:
        raise Unauthenticated("the API key has expired")
    last = _aware(row["last_used_at"])
    stale = last is None or now - last > LAST_USED_RESOLUTION
    if row["user_id"] is not None:
        return _user_principal(conn, row["user_id"], row["id"]), stale
    return _subsystem_principal(conn, row), stale


def _user_principal(conn: Connection, user_id: int, key_id: int | None) -> Principal:
    user = conn.execute(select(users).where(users.c.id == user_id)).mappings().one()
    if not user["active"]:
        raise Unauthenticated(f"user '{user['username']}' is deactivated")
    roles: dict[int, set[Role]] = {}
    platform_admin = False
    for r in conn.execute(
        select(role_assignments).where(role_assignments.c.user_id == user_id)
    ).mappings():
        if r["role"] == Role.PLATFORM_ADMIN:
            platform_admin = True
        elif r["member_id"] is not None:
            roles.setdefault(r["member_id"], set()).add(Role(r["role"]))
    return Principal(
        "user",
        user_id,
        user["username"],
        roles={k: frozenset(v) for k, v in roles.items()},
        platform_admin=platform_admin,
        key_id=key_id,
    )


def _subsystem_principal(conn: Connection, key: RowMapping) -> Principal:
    sub = (
        conn.execute(select(subsystems).where(subsystems.c.id == key["subsystem_id"]))
        .mappings()
        .one()
    )
    member = conn.execute(select(members).where(members.c.id == sub["member_id"])).mappings().one()
    held = frozenset(Role(r) for r in key["roles"].split(",") if r)
    return Principal(
        "subsystem",
        sub["id"],
        subsystem_view(member, sub)["id"],
        roles={member["id"]: held},
        key_id=key["id"],
        member_id=member["id"],
    )


def touch(conn: Connection, key_id: int) -> None:
    conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(last_used_at=utcnow()))


def principal_member(conn: Connection, principal: Principal) -> str | None:
    if principal.member_id is None:
        return None
    row = conn.execute(select(members).where(members.c.id == principal.member_id)).mappings().one()
    return str(member_view(row)["id"])
