"""Access requests: a consumer asks, the provider approves (granting a right) or refuses
with a reason. Pending requests carry their age in working days (Decree 194/2025 expects
a decision within 2)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import RowMapping

from lienthong.core.auth import Principal, Role
from lienthong.core.errors import Conflict, NotFound, ValidationFailed
from lienthong.core.platform import AuditSink
from lienthong.core.timeutil import utcnow
from lienthong.exchange import workdays
from lienthong.exchange.models import AccessRequestIn, DecisionIn, EndpointIn, RightIn
from lienthong.exchange.rights import aware, grant, subsystem_text
from lienthong.exchange.schema import access_requests, endpoints, services
from lienthong.exchange.services import (
    endpoint_view,
    find_endpoint,
    get_service,
    provider_rows,
    service_id_text,
)
from lienthong.registry.members import subsystem_by_ref
from lienthong.registry.schema import subsystems

DEFAULT_TERM = timedelta(days=365)


def request_view(
    conn: Connection, row: RowMapping, holidays: Iterable[date] = (), today: date | None = None
) -> dict[str, Any]:
    service = conn.execute(select(services).where(services.c.id == row["service_id"])).mappings()
    endpoint = None
    if row["endpoint_id"] is not None:
        e = conn.execute(select(endpoints).where(endpoints.c.id == row["endpoint_id"])).mappings()
        endpoint = endpoint_view(e.one())
    filed = aware(row["filed_at"])
    assert filed is not None
    filed_day = workdays.local_day(filed)
    today = today or workdays.local_day(utcnow())
    decided = aware(row["decided_at"])
    until = workdays.local_day(decided) if decided else today
    due = workdays.due_date(filed_day, holidays)
    return {
        "id": row["id"],
        "service": service_id_text(conn, service.one()),
        "endpoint": endpoint,
        "client": subsystem_text(conn, row["subsystem_id"]),
        "purpose": row["purpose"],
        "justification": row["justification"],
        "expires_at": aware(row["expires_at"]),
        "state": row["state"],
        "filed_at": filed,
        "filed_by": row["filed_by"],
        "age_working_days": workdays.working_days_between(filed_day, until, holidays),
        "due_on": due.isoformat(),
        "overdue": row["state"] == "pending" and today > due,
        "decided_at": decided,
        "decided_by": row["decided_by"],
        "reason": row["reason"],
        "right_id": row["right_id"],
    }


def file_request(
    conn: Connection, audit: AuditSink, actor: Principal, instance: str, data: AccessRequestIn
) -> dict[str, Any]:
    """A consumer (its org admin, a consumer user, or the client system itself) asks."""
    client_member, client = subsystem_by_ref(conn, instance, data.client)
    if not (actor.kind == "subsystem" and actor.id == client["id"]):
        actor.require(client_member["id"], Role.CONSUMER)
    service = get_service(conn, instance, data.service)
    endpoint_id = find_endpoint(conn, service["id"], data.endpoint)["id"] if data.endpoint else None
    if data.expires_at is not None and aware(data.expires_at) <= utcnow():  # type: ignore[operator]
        raise ValidationFailed("expires_at is in the past", errors={"expires_at": ["in the past"]})
    pending = conn.execute(
        select(access_requests.c.id).where(
            access_requests.c.service_id == service["id"],
            access_requests.c.subsystem_id == client["id"],
            access_requests.c.state == "pending",
            (access_requests.c.endpoint_id == endpoint_id)
            if endpoint_id
            else access_requests.c.endpoint_id.is_(None),
        )
    ).first()
    if pending:
        raise Conflict(f"request {pending[0]} for the same access is already pending")
    values = {
        "service_id": service["id"],
        "endpoint_id": endpoint_id,
        "subsystem_id": client["id"],
        "purpose": data.purpose,
        "justification": data.justification,
        "expires_at": data.expires_at,
        "state": "pending",
        "filed_at": utcnow(),
        "filed_by": actor.actor,
    }
    stmt = insert(access_requests).values(**values).returning(*access_requests.c)
    row = conn.execute(stmt).mappings().one()
    view = request_view(conn, row)
    provider, _ = provider_rows(conn, service)
    details = {"id": view["id"], "client": view["client"], "purpose": data.purpose}
    audit.record(
        conn, actor.actor, "exchange.request.file", view["service"], details, provider["id"]
    )
    return view


def get_request(conn: Connection, request_id: int) -> RowMapping:
    row = (
        conn.execute(select(access_requests).where(access_requests.c.id == request_id))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"access request {request_id} does not exist")
    return row


def _decidable(conn: Connection, actor: Principal, row: RowMapping) -> int:
    service = conn.execute(select(services).where(services.c.id == row["service_id"])).mappings()
    provider, _ = provider_rows(conn, service.one())
    actor.require(provider["id"], Role.ORG_ADMIN)
    if row["state"] != "pending":
        raise Conflict(f"access request {row['id']} was already {row['state']}")
    return int(provider["id"])


def approve(
    conn: Connection,
    audit: AuditSink,
    actor: Principal,
    instance: str,
    request_id: int,
    data: DecisionIn,
) -> dict[str, Any]:
    """Grant what was asked; the right's expiry is the decision's, the request's, or a year."""
    row = get_request(conn, request_id)
    provider_id = _decidable(conn, actor, row)
    view = request_view(conn, row)
    expires = data.expires_at or aware(row["expires_at"]) or utcnow() + DEFAULT_TERM
    endpoint = view["endpoint"]
    right = grant(
        conn,
        audit,
        actor,
        instance,
        RightIn(
            service=view["service"].split("/", 1)[1],
            endpoint=EndpointIn(method=endpoint["method"], path=endpoint["path"])
            if endpoint
            else None,
            client=view["client"].split("/", 1)[1],
            purpose=row["purpose"],
            expires_at=expires,
        ),
    )
    return _decide(conn, audit, actor, row, provider_id, "approved", data.reason, right["id"])


def refuse(
    conn: Connection, audit: AuditSink, actor: Principal, request_id: int, reason: str
) -> dict[str, Any]:
    row = get_request(conn, request_id)
    provider_id = _decidable(conn, actor, row)
    return _decide(conn, audit, actor, row, provider_id, "refused", reason, None)


def _decide(
    conn: Connection,
    audit: AuditSink,
    actor: Principal,
    row: RowMapping,
    provider_id: int,
    state: str,
    reason: str | None,
    right_id: int | None,
) -> dict[str, Any]:
    conn.execute(
        update(access_requests)
        .where(access_requests.c.id == row["id"])
        .values(
            state=state,
            decided_at=utcnow(),
            decided_by=actor.actor,
            reason=reason,
            right_id=right_id,
        )
    )
    view = request_view(conn, get_request(conn, row["id"]))
    details = {"id": row["id"], "state": state, "reason": reason, "right_id": right_id}
    action = "exchange.request." + ("approve" if state == "approved" else "refuse")
    audit.record(conn, actor.actor, action, view["service"], details, provider_id)
    return view


def list_requests(
    conn: Connection,
    actor: Principal,
    state: str | None = None,
    holidays: Iterable[date] = (),
) -> list[dict[str, Any]]:
    """Requests the actor may see: to its organisations' services, or from its systems.

    Oldest first, so the most overdue come first.
    """
    q = select(access_requests).order_by(access_requests.c.filed_at, access_requests.c.id)
    if state:
        q = q.where(access_requests.c.state == state)
    out = []
    for row in conn.execute(q).mappings():
        if _may_see(conn, actor, row):
            out.append(request_view(conn, row, holidays))
    return out


def _may_see(conn: Connection, actor: Principal, row: RowMapping) -> bool:
    if actor.platform_admin:
        return True
    service = conn.execute(select(services).where(services.c.id == row["service_id"])).mappings()
    provider, _ = provider_rows(conn, service.one())
    if actor.has_role(provider["id"], Role.ORG_ADMIN):
        return True
    client_member = conn.execute(
        select(subsystems.c.member_id).where(subsystems.c.id == row["subsystem_id"])
    ).scalar_one()
    return client_member in actor.member_ids
