"""Provider services and their endpoints: register, read, change, remove."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.engine import RowMapping

from lienthong.core.auth import Principal, Role
from lienthong.core.errors import Conflict, NotFound, ValidationFailed
from lienthong.core.platform import AuditSink
from lienthong.core.timeutil import utcnow
from lienthong.exchange import openapi
from lienthong.exchange.models import EndpointIn, ServiceIn, ServicePatch
from lienthong.exchange.schema import endpoints, services
from lienthong.exchange.xroad import PART, compile_pattern
from lienthong.registry.members import member_view, subsystem_by_ref, subsystem_view
from lienthong.registry.schema import members, subsystems


def split_service_ref(ref: str) -> tuple[str, str]:
    """`CLASS/CODE/SUB/SERVICE` → (`CLASS/CODE/SUB`, `SERVICE`)."""
    provider, _, code = ref.rpartition("/")
    if not provider or not code:
        raise ValidationFailed(f"'{ref[:100]}' is not a service reference CLASS/CODE/SUB/SERVICE")
    return provider, code


def get_service(conn: Connection, instance: str, ref: str) -> RowMapping:
    provider, code = split_service_ref(ref)
    _, sub = subsystem_by_ref(conn, instance, provider)
    row = (
        conn.execute(
            select(services).where(services.c.subsystem_id == sub["id"], services.c.code == code)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"service {instance}/{ref[:200]} does not exist")
    return row


def provider_rows(conn: Connection, service: RowMapping) -> tuple[RowMapping, RowMapping]:
    sub = (
        conn.execute(select(subsystems).where(subsystems.c.id == service["subsystem_id"]))
        .mappings()
        .one()
    )
    member = conn.execute(select(members).where(members.c.id == sub["member_id"])).mappings().one()
    return member, sub


def service_id_text(conn: Connection, service: RowMapping) -> str:
    member, sub = provider_rows(conn, service)
    return f"{subsystem_view(member, sub)['id']}/{service['code']}"


def endpoint_rows(conn: Connection, service_id: int) -> list[RowMapping]:
    q = select(endpoints).where(endpoints.c.service_id == service_id).order_by(endpoints.c.id)
    return list(conn.execute(q).mappings())


def endpoint_view(row: RowMapping) -> dict[str, Any]:
    return {
        "id": row["id"],
        "method": row["method"],
        "path": row["path"],
        "summary": row["summary"],
    }


def service_view(conn: Connection, row: RowMapping, actor: Principal | None) -> dict[str, Any]:
    """The service; its upstream URL only for the provider's org admins."""
    member, sub = provider_rows(conn, row)
    view: dict[str, Any] = {
        "id": f"{subsystem_view(member, sub)['id']}/{row['code']}",
        "provider": subsystem_view(member, sub)["id"],
        "provider_name": member["name"],
        "code": row["code"],
        "title": row["title"],
        "endpoints": [endpoint_view(e) for e in endpoint_rows(conn, row["id"])],
        "openapi": {"format": row["openapi_format"], "source": row["openapi_source"]}
        if row["openapi"]
        else None,
        "subject_keys": json.loads(row["subject_keys"]),
        "disabled": row["disabled"],
        "created_at": row["created_at"],
        "modified_at": row["modified_at"],
    }
    if actor is not None and actor.has_role(member["id"], Role.ORG_ADMIN):
        view["upstream_url"] = row["upstream_url"]
    return view


def _check_endpoints(items: list[EndpointIn]) -> list[EndpointIn]:
    seen: set[tuple[str, str]] = set()
    out = []
    for e in items:
        path = "/" + e.path.lstrip("/")
        try:
            compile_pattern(path)
        except Exception as exc:  # a pattern that does not compile is the caller's error
            raise ValidationFailed(f"endpoint path {path!r} is not valid: {exc}") from exc
        if (e.method, path) not in seen:
            seen.add((e.method, path))
            out.append(EndpointIn(method=e.method, path=path, summary=e.summary))
    return out


def _write_endpoints(conn: Connection, service_id: int, items: list[EndpointIn]) -> None:
    rows = [
        {"service_id": service_id, "method": e.method, "path": e.path, "summary": e.summary}
        for e in _check_endpoints(items)
    ]
    if rows:
        conn.execute(insert(endpoints), rows)


def create_service(
    conn: Connection,
    audit: AuditSink,
    actor: Principal,
    instance: str,
    data: ServiceIn,
    doc: openapi.OpenApiDoc | None,
) -> dict[str, Any]:
    """Register a service; `doc` is the OpenAPI description parsed or fetched beforehand."""
    member, sub = subsystem_by_ref(conn, instance, data.provider)
    actor.require(member["id"], Role.ORG_ADMIN)
    if not PART.match(data.code) or data.code in ("listMethods", "allowedMethods", "getOpenAPI"):
        raise ValidationFailed(f"'{data.code}' cannot be a service code")
    upstream = openapi.check_http_url(data.upstream_url, "upstream_url")
    taken = conn.execute(
        select(services.c.id).where(
            services.c.subsystem_id == sub["id"], services.c.code == data.code
        )
    ).first()
    if taken:
        raise Conflict(f"service {subsystem_view(member, sub)['id']}/{data.code} already exists")
    now = utcnow()
    values = {
        "subsystem_id": sub["id"],
        "code": data.code,
        "title": data.title,
        "upstream_url": upstream,
        "openapi": doc.text if doc else None,
        "openapi_format": doc.format if doc else None,
        "openapi_source": doc.source if doc else None,
        "subject_keys": json.dumps(sorted(set(data.subject_keys))),
        "disabled": data.disabled,
        "created_at": now,
        "created_by": actor.actor,
        "modified_at": now,
    }
    row = conn.execute(insert(services).values(**values).returning(*services.c)).mappings().one()
    items = (
        data.endpoints
        if data.endpoints is not None
        else (openapi.endpoints(doc.doc) if doc else [])
    )
    _write_endpoints(conn, row["id"], items)
    view = service_view(conn, row, actor)
    details = {"upstream_url": upstream, "endpoints": len(view["endpoints"])}
    audit.record(conn, actor.actor, "exchange.service.create", view["id"], details, member["id"])
    return view


def list_services(
    conn: Connection, instance: str, actor: Principal, provider: str | None = None
) -> list[dict[str, Any]]:
    q = select(services).order_by(services.c.id)
    if provider:
        _, sub = subsystem_by_ref(conn, instance, provider)
        q = q.where(services.c.subsystem_id == sub["id"])
    return [service_view(conn, r, actor) for r in conn.execute(q).mappings()]


def update_service(
    conn: Connection,
    audit: AuditSink,
    actor: Principal,
    row: RowMapping,
    data: ServicePatch,
    doc: openapi.OpenApiDoc | None,
) -> dict[str, Any]:
    member, _ = provider_rows(conn, row)
    actor.require(member["id"], Role.ORG_ADMIN)
    changes: dict[str, Any] = {}
    if data.title is not None:
        changes["title"] = data.title
    if data.upstream_url is not None:
        changes["upstream_url"] = openapi.check_http_url(data.upstream_url, "upstream_url")
    if data.subject_keys is not None:
        changes["subject_keys"] = json.dumps(sorted(set(data.subject_keys)))
    if data.disabled is not None:
        changes["disabled"] = data.disabled
    if doc is not None:
        changes |= {"openapi": doc.text, "openapi_format": doc.format, "openapi_source": doc.source}
    conn.execute(
        update(services).where(services.c.id == row["id"]).values(**changes, modified_at=utcnow())
    )
    if data.endpoints is not None:
        _replace_endpoints(conn, row["id"], data.endpoints)
    row = conn.execute(select(services).where(services.c.id == row["id"])).mappings().one()
    view = service_view(conn, row, actor)
    shown = {k: v for k, v in changes.items() if k != "openapi"}
    if data.endpoints is not None:
        shown["endpoints"] = len(view["endpoints"])
    audit.record(conn, actor.actor, "exchange.service.update", view["id"], shown, member["id"])
    return view


def _replace_endpoints(conn: Connection, service_id: int, items: list[EndpointIn]) -> None:
    """Keep endpoints that stay (and the rights on them); drop the others; add the new."""
    wanted = {(e.method, e.path): e for e in _check_endpoints(items)}
    for old in endpoint_rows(conn, service_id):
        if (old["method"], old["path"]) in wanted:
            wanted.pop((old["method"], old["path"]))
        else:
            conn.execute(delete(endpoints).where(endpoints.c.id == old["id"]))
    _write_endpoints(conn, service_id, list(wanted.values()))


def delete_service(conn: Connection, audit: AuditSink, actor: Principal, row: RowMapping) -> None:
    """Remove a service with its endpoints, rights and requests (evidence stays in the log)."""
    member, _ = provider_rows(conn, row)
    actor.require(member["id"], Role.ORG_ADMIN)
    target = service_id_text(conn, row)
    conn.execute(delete(services).where(services.c.id == row["id"]))
    audit.record(conn, actor.actor, "exchange.service.delete", target, {}, member["id"])


def find_endpoint(conn: Connection, service_id: int, wanted: EndpointIn) -> RowMapping:
    path = "/" + wanted.path.lstrip("/")
    for e in endpoint_rows(conn, service_id):
        if e["method"] == wanted.method and e["path"] == path:
            return e
    raise NotFound(f"the service has no endpoint {wanted.method} {path}")


def member_ids_of_provider(conn: Connection, service: RowMapping) -> int:
    member, _ = provider_rows(conn, service)
    return int(member["id"])


def member_text(conn: Connection, member_id: int) -> str:
    row = conn.execute(select(members).where(members.c.id == member_id)).mappings().one()
    return str(member_view(row)["id"])
