"""Managing per-client limits, and who may see which services' statistics."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from lienthong.core.auth import Principal, Role
from lienthong.core.platform import AuditSink
from lienthong.core.timeutil import utcnow
from lienthong.exchange.config import GatewaySettings
from lienthong.exchange.models import LimitsIn
from lienthong.exchange.schema import limits, services
from lienthong.registry.members import subsystem_by_ref, subsystem_view
from lienthong.registry.schema import members, subsystems


def get_limits(
    conn: Connection, actor: Principal, instance: str, client: str, defaults: GatewaySettings
) -> dict[str, Any]:
    member, sub = subsystem_by_ref(conn, instance, client)
    actor.require(member["id"], Role.VIEWER)
    row = conn.execute(select(limits).where(limits.c.subsystem_id == sub["id"])).mappings().first()
    view = {
        "client": subsystem_view(member, sub)["id"],
        "rate_per_second": defaults.rate_per_second,
        "burst": defaults.burst,
        "daily_quota": defaults.daily_quota,
        "default": row is None,
    }
    if row is not None:
        view |= {k: row[k] for k in ("rate_per_second", "burst", "daily_quota")}
    return view


def set_limits(
    conn: Connection,
    audit: AuditSink,
    actor: Principal,
    instance: str,
    client: str,
    data: LimitsIn,
) -> dict[str, Any]:
    """Platform admins set a client's rate, burst and daily quota."""
    actor.require_platform_admin()
    member, sub = subsystem_by_ref(conn, instance, client)
    values = data.model_dump() | {
        "subsystem_id": sub["id"],
        "modified_at": utcnow(),
        "modified_by": actor.actor,
    }
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(limits).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["subsystem_id"], set_={k: stmt.excluded[k] for k in values}
    )
    conn.execute(stmt)
    target = subsystem_view(member, sub)["id"]
    audit.record(conn, actor.actor, "exchange.limits.set", target, data.model_dump(), member["id"])
    return get_limits(conn, actor, instance, client, GatewaySettings())


def visible_services(conn: Connection, actor: Principal) -> set[str] | None:
    """None for every service (platform admins); else the services of the actor's members."""
    if actor.platform_admin:
        return None
    q = (
        select(members, subsystems.c.code.label("sub_code"), services.c.code.label("svc_code"))
        .join(subsystems, subsystems.c.member_id == members.c.id)
        .join(services, services.c.subsystem_id == subsystems.c.id)
        .where(members.c.id.in_(sorted(actor.member_ids)))
    )
    return {
        f"{r['instance']}/{r['member_class']}/{r['member_code']}/{r['sub_code']}/{r['svc_code']}"
        for r in conn.execute(q).mappings()
    }
