"""Users and the roles they hold per organisation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.engine import RowMapping

from lienthong.core.auth import Principal, Role
from lienthong.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from lienthong.core.platform import AuditSink
from lienthong.core.timeutil import utcnow
from lienthong.registry.members import member_by_ref, member_view
from lienthong.registry.models import RoleIn, UserIn
from lienthong.registry.schema import api_keys, members, role_assignments, users
from lienthong.registry.secrets import hash_password


def get_user(conn: Connection, username: str) -> RowMapping:
    row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
    if row is None:
        raise NotFound(f"user '{username[:64]}' does not exist")
    return row


def user_roles(conn: Connection, user_id: int) -> list[dict[str, Any]]:
    q = (
        select(role_assignments.c.role, members)
        .select_from(
            role_assignments.outerjoin(members, members.c.id == role_assignments.c.member_id)
        )
        .where(role_assignments.c.user_id == user_id)
        .order_by(role_assignments.c.id)
    )
    out = []
    for r in conn.execute(q).mappings():
        member = member_view(r)["id"] if r["instance"] else None
        out.append({"role": r["role"], "member": member})
    return out


def user_view(conn: Connection, row: RowMapping) -> dict[str, Any]:
    return {
        "username": row["username"],
        "full_name": row["full_name"],
        "email": row["email"],
        "active": row["active"],
        "created_at": row["created_at"],
        "roles": user_roles(conn, row["id"]),
    }


def may_read_user(conn: Connection, actor: Principal, user_id: int) -> bool:
    """Platform admins, the person themself, and admins of an organisation they serve."""
    if actor.platform_admin or (actor.kind == "user" and actor.id == user_id):
        return True
    q = select(role_assignments.c.member_id).where(role_assignments.c.user_id == user_id)
    return any(actor.has_role(m, Role.ORG_ADMIN) for m in conn.execute(q).scalars() if m)


def _admin_anywhere(actor: Principal) -> bool:
    return actor.platform_admin or any(
        actor.has_role(mid, Role.ORG_ADMIN) for mid in actor.member_ids
    )


def create_user(
    conn: Connection, audit: AuditSink, actor: Principal, data: UserIn
) -> dict[str, Any]:
    if not _admin_anywhere(actor):
        raise Forbidden(f"{actor.actor} may not create users: needs platform_admin or org_admin")
    if conn.execute(select(users.c.id).where(users.c.username == data.username)).first():
        raise Conflict(f"user '{data.username}' already exists")
    values = {
        "username": data.username,
        "full_name": data.full_name,
        "email": data.email,
        "password_hash": hash_password(data.password) if data.password else None,
        "active": True,
        "created_at": utcnow(),
    }
    uid = conn.execute(insert(users).values(**values).returning(users.c.id)).scalar_one()
    audit.record(conn, actor.actor, "user.create", f"user:{data.username}", {})
    return user_view(conn, get_user(conn, data.username)) | {"id": uid}


def list_users(conn: Connection, actor: Principal) -> list[dict[str, Any]]:
    q = select(users).order_by(users.c.id)
    if not actor.platform_admin:
        admin_of = [m for m in actor.member_ids if actor.has_role(m, Role.ORG_ADMIN)]
        if not admin_of:
            raise Forbidden(f"{actor.actor} may not list users")
        q = q.where(
            users.c.id.in_(
                select(role_assignments.c.user_id).where(role_assignments.c.member_id.in_(admin_of))
            )
        )
    return [user_view(conn, r) for r in conn.execute(q).mappings()]


def deactivate_user(
    conn: Connection, audit: AuditSink, actor: Principal, username: str
) -> dict[str, Any]:
    """Disable a person and revoke every key they hold; their history stays."""
    actor.require_platform_admin()
    row = get_user(conn, username)
    if actor.kind == "user" and actor.id == row["id"]:
        raise Conflict("you cannot deactivate yourself")
    now = utcnow()
    conn.execute(update(users).where(users.c.id == row["id"]).values(active=False))
    revoked = conn.execute(
        update(api_keys)
        .where(api_keys.c.user_id == row["id"], api_keys.c.revoked_at.is_(None))
        .values(revoked_at=now)
    ).rowcount
    audit.record(
        conn, actor.actor, "user.deactivate", f"user:{username}", {"keys_revoked": revoked}
    )
    return user_view(conn, get_user(conn, username))


def _role_target(conn: Connection, actor: Principal, instance: str, data: RoleIn) -> int | None:
    if data.role == Role.PLATFORM_ADMIN:
        if data.member:
            raise ValidationFailed("platform_admin is platform-wide: give no member")
        actor.require_platform_admin()
        return None
    if not data.member:
        raise ValidationFailed(f"the role {data.role} is held in a member: give member CLASS/CODE")
    member_id = int(member_by_ref(conn, instance, data.member)["id"])
    actor.require(member_id, Role.ORG_ADMIN)
    return member_id


def _role_filter(user_id: int, member_id: int | None, role: str) -> Any:
    member_match = (
        role_assignments.c.member_id.is_(None)
        if member_id is None
        else role_assignments.c.member_id == member_id
    )
    return (
        (role_assignments.c.user_id == user_id) & member_match & (role_assignments.c.role == role)
    )


def grant_role(
    conn: Connection, audit: AuditSink, actor: Principal, instance: str, username: str, data: RoleIn
) -> dict[str, Any]:
    user = get_user(conn, username)
    member_id = _role_target(conn, actor, instance, data)
    if conn.execute(
        select(role_assignments.c.id).where(_role_filter(user["id"], member_id, data.role))
    ).first():
        raise Conflict(f"user '{username}' already holds {data.role} there")
    conn.execute(
        insert(role_assignments).values(
            user_id=user["id"], member_id=member_id, role=data.role.value
        )
    )
    details = {"role": data.role.value, "member": data.member}
    audit.record(conn, actor.actor, "role.grant", f"user:{username}", details, member_id)
    return user_view(conn, user)


def revoke_role(
    conn: Connection, audit: AuditSink, actor: Principal, instance: str, username: str, data: RoleIn
) -> dict[str, Any]:
    user = get_user(conn, username)
    member_id = _role_target(conn, actor, instance, data)
    gone = conn.execute(
        delete(role_assignments).where(_role_filter(user["id"], member_id, data.role))
    ).rowcount
    if not gone:
        raise NotFound(f"user '{username}' does not hold {data.role} there")
    details = {"role": data.role.value, "member": data.member}
    audit.record(conn, actor.actor, "role.revoke", f"user:{username}", details, member_id)
    return user_view(conn, user)


def set_password(
    conn: Connection, audit: AuditSink, actor: Principal, username: str, password: str
) -> None:
    """Set a person's password (platform admins, or the person)."""
    row = get_user(conn, username)
    if not (actor.platform_admin or (actor.kind == "user" and actor.id == row["id"])):
        raise Forbidden(f"{actor.actor} may not set the password of '{username}'")
    if not 12 <= len(password) <= 256:
        raise ValidationFailed(
            "a password has 12 to 256 characters", errors={"password": ["length"]}
        )
    conn.execute(
        update(users).where(users.c.id == row["id"]).values(password_hash=hash_password(password))
    )
    audit.record(conn, actor.actor, "user.password", f"user:{username}", {})
