"""Access rights and groups of client subsystems. Deny by default: a request passes only
when an unexpired, unrevoked right names its client (or a group holding it) and its
service, or the endpoint it calls."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.engine import RowMapping

from lienthong.core.auth import Principal, Role
from lienthong.core.errors import Conflict, NotFound, ValidationFailed
from lienthong.core.platform import AuditSink
from lienthong.core.timeutil import utcnow
from lienthong.exchange.models import GroupIn, RightIn
from lienthong.exchange.schema import endpoints, group_members, groups, rights, services
from lienthong.exchange.services import (
    endpoint_view,
    find_endpoint,
    get_service,
    provider_rows,
    service_id_text,
)
from lienthong.registry.members import member_by_ref, member_view, subsystem_by_ref, subsystem_view
from lienthong.registry.schema import members, subsystems


def aware(dt: datetime | None) -> datetime | None:
    return dt.replace(tzinfo=UTC) if dt is not None and dt.tzinfo is None else dt


def subsystem_text(conn: Connection, subsystem_id: int) -> str:
    sub = conn.execute(select(subsystems).where(subsystems.c.id == subsystem_id)).mappings().one()
    member = conn.execute(select(members).where(members.c.id == sub["member_id"])).mappings().one()
    return str(subsystem_view(member, sub)["id"])


# groups


def group_view(conn: Connection, row: RowMapping) -> dict[str, Any]:
    owner = conn.execute(select(members).where(members.c.id == row["owner_member_id"])).mappings()
    owner_id = member_view(owner.one())["id"]
    subs = conn.execute(
        select(group_members.c.subsystem_id).where(group_members.c.group_id == row["id"])
    ).scalars()
    return {
        "id": f"{owner_id}/{row['code']}",
        "owner": owner_id,
        "code": row["code"],
        "description": row["description"],
        "members": sorted(subsystem_text(conn, s) for s in subs),
    }


def get_group(conn: Connection, instance: str, ref: str) -> RowMapping:
    owner_ref, _, code = ref.rpartition("/")
    owner = member_by_ref(conn, instance, owner_ref)
    row = (
        conn.execute(
            select(groups).where(groups.c.owner_member_id == owner["id"], groups.c.code == code)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"group {instance}/{ref[:200]} does not exist")
    return row


def create_group(
    conn: Connection, audit: AuditSink, actor: Principal, instance: str, data: GroupIn
) -> dict[str, Any]:
    owner = member_by_ref(conn, instance, data.owner)
    actor.require(owner["id"], Role.ORG_ADMIN)
    exists = conn.execute(
        select(groups.c.id).where(
            groups.c.owner_member_id == owner["id"], groups.c.code == data.code
        )
    ).first()
    if exists:
        raise Conflict(f"group {member_view(owner)['id']}/{data.code} already exists")
    values = {"owner_member_id": owner["id"], "code": data.code, "created_at": utcnow()}
    row = (
        conn.execute(
            insert(groups).values(**values, description=data.description).returning(*groups.c)
        )
        .mappings()
        .one()
    )
    view = group_view(conn, row)
    audit.record(conn, actor.actor, "exchange.group.create", view["id"], {}, owner["id"])
    return view


def set_group_member(
    conn: Connection,
    audit: AuditSink,
    actor: Principal,
    instance: str,
    group: RowMapping,
    subsystem: str,
    present: bool,
) -> dict[str, Any]:
    """Add (present=True) or remove a client subsystem."""
    actor.require(group["owner_member_id"], Role.ORG_ADMIN)
    _, sub = subsystem_by_ref(conn, instance, subsystem)
    key = (group_members.c.group_id == group["id"]) & (group_members.c.subsystem_id == sub["id"])
    there = conn.execute(select(group_members.c.group_id).where(key)).first() is not None
    if present and not there:
        conn.execute(
            insert(group_members).values(
                group_id=group["id"], subsystem_id=sub["id"], added_at=utcnow()
            )
        )
    elif not present and there:
        conn.execute(delete(group_members).where(key))
    elif not present:
        raise NotFound(f"{subsystem} is not in the group")
    view = group_view(conn, group)
    action = "exchange.group.add" if present else "exchange.group.remove"
    details = {"subsystem": subsystem_text(conn, sub["id"])}
    audit.record(conn, actor.actor, action, view["id"], details, group["owner_member_id"])
    return view


def list_groups(conn: Connection) -> list[dict[str, Any]]:
    return [
        group_view(conn, r) for r in conn.execute(select(groups).order_by(groups.c.id)).mappings()
    ]


# rights


def right_view(conn: Connection, row: RowMapping) -> dict[str, Any]:
    service = conn.execute(select(services).where(services.c.id == row["service_id"])).mappings()
    endpoint = None
    if row["endpoint_id"] is not None:
        e = conn.execute(select(endpoints).where(endpoints.c.id == row["endpoint_id"])).mappings()
        endpoint = endpoint_view(e.one())
    group = None
    if row["group_id"] is not None:
        g = conn.execute(select(groups).where(groups.c.id == row["group_id"])).mappings().one()
        group = group_view(conn, g)["id"]
    expires = aware(row["expires_at"])
    revoked = aware(row["revoked_at"])
    return {
        "id": row["id"],
        "service": service_id_text(conn, service.one()),
        "endpoint": endpoint,
        "client": subsystem_text(conn, row["subsystem_id"]) if row["subsystem_id"] else None,
        "group": group,
        "purpose": row["purpose"],
        "expires_at": expires,
        "created_at": row["created_at"],
        "created_by": row["created_by"],
        "revoked_at": revoked,
        "active": revoked is None and expires is not None and expires > utcnow(),
    }


def grant(
    conn: Connection,
    audit: AuditSink,
    actor: Principal,
    instance: str,
    data: RightIn,
) -> dict[str, Any]:
    """Grant a client subsystem or a group a service or one endpoint of it."""
    service = get_service(conn, instance, data.service)
    member, _ = provider_rows(conn, service)
    actor.require(member["id"], Role.ORG_ADMIN)
    if (data.client is None) == (data.group is None):
        raise ValidationFailed(
            "name either a client subsystem or a group", errors={"client": ["or group"]}
        )
    if data.expires_at <= utcnow():
        raise ValidationFailed("expires_at is in the past", errors={"expires_at": ["in the past"]})
    values: dict[str, Any] = {
        "service_id": service["id"],
        "endpoint_id": find_endpoint(conn, service["id"], data.endpoint)["id"]
        if data.endpoint
        else None,
        "purpose": data.purpose,
        "expires_at": data.expires_at,
        "created_at": utcnow(),
        "created_by": actor.actor,
    }
    if data.client:
        values["subsystem_id"] = subsystem_by_ref(conn, instance, data.client)[1]["id"]
    else:
        values["group_id"] = get_group(conn, instance, data.group or "")["id"]
    row = conn.execute(insert(rights).values(**values).returning(*rights.c)).mappings().one()
    view = right_view(conn, row)
    details = {k: view[k] for k in ("id", "endpoint", "client", "group", "purpose")}
    details["expires_at"] = str(view["expires_at"])
    audit.record(conn, actor.actor, "exchange.right.grant", view["service"], details, member["id"])
    return view


def get_right(conn: Connection, right_id: int) -> RowMapping:
    row = conn.execute(select(rights).where(rights.c.id == right_id)).mappings().first()
    if row is None:
        raise NotFound(f"access right {right_id} does not exist")
    return row


def revoke(conn: Connection, audit: AuditSink, actor: Principal, right_id: int) -> dict[str, Any]:
    row = get_right(conn, right_id)
    service = conn.execute(select(services).where(services.c.id == row["service_id"])).mappings()
    member, _ = provider_rows(conn, service.one())
    actor.require(member["id"], Role.ORG_ADMIN)
    if row["revoked_at"] is not None:
        raise Conflict(f"access right {right_id} is already revoked")
    conn.execute(
        update(rights)
        .where(rights.c.id == right_id)
        .values(revoked_at=utcnow(), revoked_by=actor.actor)
    )
    view = right_view(conn, get_right(conn, right_id))
    audit.record(
        conn, actor.actor, "exchange.right.revoke", view["service"], {"id": right_id}, member["id"]
    )
    return view


def list_rights(
    conn: Connection, instance: str, service: str | None = None, active_only: bool = False
) -> list[dict[str, Any]]:
    q = select(rights).order_by(rights.c.id)
    if service:
        q = q.where(rights.c.service_id == get_service(conn, instance, service)["id"])
    views = [right_view(conn, r) for r in conn.execute(q).mappings()]
    return [v for v in views if v["active"]] if active_only else views
