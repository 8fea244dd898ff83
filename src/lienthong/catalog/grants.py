"""Grants on restricted data: who, which fields, on what legal basis, until when."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import RowMapping

from lienthong.catalog.models import GrantIn
from lienthong.catalog.schema import grants
from lienthong.catalog.service import schema_of
from lienthong.core.auth import Principal, Role
from lienthong.core.errors import Conflict, NotFound, ValidationFailed
from lienthong.core.platform import AuditSink
from lienthong.core.timeutil import utcnow
from lienthong.registry.members import member_by_ref, member_view, subsystem_by_ref, subsystem_view
from lienthong.registry.schema import members, subsystems


def grant_view(conn: Connection, g: RowMapping) -> dict[str, Any]:
    grantee: str
    if g["subsystem_id"] is not None:
        sub = (
            conn.execute(select(subsystems).where(subsystems.c.id == g["subsystem_id"]))
            .mappings()
            .one()
        )
        owner = (
            conn.execute(select(members).where(members.c.id == sub["member_id"])).mappings().one()
        )
        grantee = "subsystem:" + subsystem_view(owner, sub)["id"]
    else:
        m = conn.execute(select(members).where(members.c.id == g["member_id"])).mappings().one()
        grantee = "member:" + member_view(m)["id"]
    return {
        "id": g["id"],
        "grantee": grantee,
        "fields": json.loads(g["fields"]) if g["fields"] else None,
        "legal_basis": g["legal_basis"],
        "purpose": g["purpose"],
        "expires_at": g["expires_at"],
        "created_at": g["created_at"],
        "created_by": g["created_by"],
        "revoked_at": g["revoked_at"],
    }


def create_grant(
    conn: Connection,
    audit: AuditSink,
    actor: Principal,
    instance: str,
    dataset: RowMapping,
    data: GrantIn,
) -> dict[str, Any]:
    actor.require(dataset["owner_member_id"], Role.ORG_ADMIN)
    if (data.member is None) == (data.subsystem is None):
        raise ValidationFailed("a grant names either a member or a subsystem")
    holder: dict[str, Any]
    if data.subsystem:
        _, sub = subsystem_by_ref(conn, instance, data.subsystem)
        holder = {"subsystem_id": sub["id"]}
    else:
        holder = {"member_id": member_by_ref(conn, instance, str(data.member))["id"]}
    if data.fields is not None:
        unknown = sorted(set(data.fields) - set(schema_of(dataset).names))
        if unknown:
            raise ValidationFailed(
                f"unknown fields: {', '.join(unknown)}", errors={"fields": unknown}
            )
    if data.expires_at is not None and data.expires_at.timestamp() <= utcnow().timestamp():
        raise ValidationFailed("expires_at is in the past", errors={"expires_at": ["in the past"]})
    row = (
        conn.execute(
            insert(grants)
            .values(
                dataset_id=dataset["id"],
                fields=json.dumps(data.fields) if data.fields is not None else None,
                legal_basis=data.legal_basis,
                purpose=data.purpose,
                expires_at=data.expires_at,
                created_at=utcnow(),
                created_by=actor.actor,
                **holder,
            )
            .returning(*grants.c)
        )
        .mappings()
        .one()
    )
    view = grant_view(conn, row)
    details = {k: view[k] for k in ("id", "grantee", "fields", "legal_basis", "purpose")}
    audit.record(
        conn,
        actor.actor,
        "grant.create",
        f"dataset:{dataset['name']}",
        details,
        dataset["owner_member_id"],
    )
    return view


def list_grants(conn: Connection, actor: Principal, dataset: RowMapping) -> list[dict[str, Any]]:
    actor.require(dataset["owner_member_id"], Role.ORG_ADMIN)
    q = select(grants).where(grants.c.dataset_id == dataset["id"]).order_by(grants.c.id)
    return [grant_view(conn, g) for g in conn.execute(q).mappings()]


def revoke_grant(
    conn: Connection, audit: AuditSink, actor: Principal, dataset: RowMapping, grant_id: int
) -> dict[str, Any]:
    actor.require(dataset["owner_member_id"], Role.ORG_ADMIN)
    g = (
        conn.execute(
            select(grants).where(grants.c.id == grant_id, grants.c.dataset_id == dataset["id"])
        )
        .mappings()
        .first()
    )
    if g is None:
        raise NotFound(f"grant {grant_id} does not exist on dataset '{dataset['name']}'")
    if g["revoked_at"] is not None:
        raise Conflict(f"grant {grant_id} is already revoked")
    conn.execute(update(grants).where(grants.c.id == grant_id).values(revoked_at=utcnow()))
    audit.record(
        conn,
        actor.actor,
        "grant.revoke",
        f"dataset:{dataset['name']}",
        {"id": grant_id},
        dataset["owner_member_id"],
    )
    fresh = conn.execute(select(grants).where(grants.c.id == grant_id)).mappings().one()
    return grant_view(conn, fresh)
