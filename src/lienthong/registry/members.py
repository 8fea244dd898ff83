"""Members (organisations) and their subsystems."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, exists, func, insert, select, update
from sqlalchemy.engine import RowMapping

from lienthong.core.auth import Principal, Role
from lienthong.core.errors import Conflict, NotFound, ValidationFailed
from lienthong.core.platform import AuditSink
from lienthong.core.timeutil import utcnow
from lienthong.registry.identifiers import check_member_code, check_part
from lienthong.registry.models import MemberIn, MemberPatch, SubsystemIn
from lienthong.registry.schema import api_keys, members, role_assignments, subsystems


def member_view(row: RowMapping) -> dict[str, Any]:
    return {
        "id": f"{row['instance']}/{row['member_class']}/{row['member_code']}",
        "instance": row["instance"],
        "member_class": row["member_class"],
        "member_code": row["member_code"],
        "name": row["name"],
        "name_en": row["name_en"],
        "created_at": row["created_at"],
    }


def subsystem_view(member: RowMapping, row: RowMapping) -> dict[str, Any]:
    return {
        "id": f"{member_view(member)['id']}/{row['code']}",
        "member": member_view(member)["id"],
        "code": row["code"],
        "name": row["name"],
        "created_at": row["created_at"],
    }


def split_member_ref(ref: str) -> tuple[str, str]:
    member_class, _, code = ref.partition("/")
    if not member_class or not code or "/" in code:
        raise ValidationFailed(f"'{ref}' is not a member reference CLASS/CODE, e.g. GOV/H31")
    return member_class, code


def get_member(conn: Connection, instance: str, member_class: str, code: str) -> RowMapping:
    row = (
        conn.execute(
            select(members).where(
                members.c.instance == instance,
                members.c.member_class == member_class,
                members.c.member_code == code,
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"member {instance}/{member_class}/{code} does not exist")
    return row


def member_by_ref(conn: Connection, instance: str, ref: str) -> RowMapping:
    return get_member(conn, instance, *split_member_ref(ref))


def create_member(
    conn: Connection, audit: AuditSink, actor: Principal, instance: str, data: MemberIn
) -> dict[str, Any]:
    actor.require_platform_admin()
    check_part("member_code", data.member_code)
    check_member_code(data.member_class, data.member_code)
    taken = conn.execute(
        select(members.c.id).where(
            members.c.instance == instance,
            members.c.member_class == data.member_class.value,
            members.c.member_code == data.member_code,
        )
    ).first()
    if taken:
        raise Conflict(f"member {instance}/{data.member_class}/{data.member_code} already exists")
    values = data.model_dump() | {"instance": instance, "created_at": utcnow()}
    row = conn.execute(insert(members).values(**values).returning(*members.c)).mappings().one()
    member_id = row["id"]
    view = member_view(row)
    audit.record(conn, actor.actor, "member.create", view["id"], {"name": data.name}, member_id)
    return view


def list_members(conn: Connection, instance: str, q: str | None = None) -> list[dict[str, Any]]:
    query = select(members).where(members.c.instance == instance).order_by(members.c.id)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            func.lower(members.c.name).like(pattern) | members.c.member_code.like(f"%{q}%")
        )
    return [member_view(r) for r in conn.execute(query).mappings()]


def update_member(
    conn: Connection, audit: AuditSink, actor: Principal, member: RowMapping, data: MemberPatch
) -> dict[str, Any]:
    actor.require(member["id"], Role.ORG_ADMIN)
    changes = data.model_dump(exclude_unset=True)
    if changes:
        conn.execute(update(members).where(members.c.id == member["id"]).values(**changes))
    row = conn.execute(select(members).where(members.c.id == member["id"])).mappings().one()
    view = member_view(row)
    audit.record(conn, actor.actor, "member.update", view["id"], changes, member["id"])
    return view


def delete_member(conn: Connection, audit: AuditSink, actor: Principal, member: RowMapping) -> None:
    actor.require_platform_admin()
    mid = member["id"]
    for table, what in ((subsystems, "subsystems"), (role_assignments, "role assignments")):
        if conn.execute(select(exists().where(table.c.member_id == mid))).scalar():
            raise Conflict(
                f"member {member_view(member)['id']} still has {what}; remove them first"
            )
    conn.execute(delete(members).where(members.c.id == mid))
    audit.record(conn, actor.actor, "member.delete", member_view(member)["id"], {}, mid)


def get_subsystem(conn: Connection, member: RowMapping, code: str) -> RowMapping:
    row = (
        conn.execute(
            select(subsystems).where(
                subsystems.c.member_id == member["id"], subsystems.c.code == code
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"subsystem {member_view(member)['id']}/{code} does not exist")
    return row


def subsystem_by_ref(conn: Connection, instance: str, ref: str) -> tuple[RowMapping, RowMapping]:
    member_ref, _, code = ref.rpartition("/")
    member = member_by_ref(conn, instance, member_ref)
    return member, get_subsystem(conn, member, code)


def create_subsystem(
    conn: Connection, audit: AuditSink, actor: Principal, member: RowMapping, data: SubsystemIn
) -> dict[str, Any]:
    actor.require(member["id"], Role.ORG_ADMIN)
    check_part("code", data.code)
    taken = conn.execute(
        select(subsystems.c.id).where(
            subsystems.c.member_id == member["id"], subsystems.c.code == data.code
        )
    ).first()
    if taken:
        raise Conflict(f"subsystem {member_view(member)['id']}/{data.code} already exists")
    values = {"member_id": member["id"], "code": data.code, "name": data.name}
    stmt = insert(subsystems).values(**values, created_at=utcnow()).returning(*subsystems.c)
    row = conn.execute(stmt).mappings().one()
    view = subsystem_view(member, row)
    audit.record(
        conn, actor.actor, "subsystem.create", view["id"], {"name": data.name}, member["id"]
    )
    return view


def list_subsystems(conn: Connection, member: RowMapping) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(subsystems).where(subsystems.c.member_id == member["id"]).order_by(subsystems.c.code)
    ).mappings()
    return [subsystem_view(member, r) for r in rows]


def delete_subsystem(
    conn: Connection, audit: AuditSink, actor: Principal, member: RowMapping, sub: RowMapping
) -> None:
    """Remove a subsystem; its keys go with it (they can no longer authenticate anyone)."""
    actor.require(member["id"], Role.ORG_ADMIN)
    dropped = conn.execute(delete(api_keys).where(api_keys.c.subsystem_id == sub["id"])).rowcount
    conn.execute(delete(subsystems).where(subsystems.c.id == sub["id"]))
    target = subsystem_view(member, sub)["id"]
    audit.record(
        conn, actor.actor, "subsystem.delete", target, {"keys_removed": dropped}, member["id"]
    )
