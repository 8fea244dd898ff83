"""Native REST API of the exchange under /api/v1/exchange, the once-only lookup,
/metrics, and X-Road's root /listClients."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response, status

from lienthong.core.auth import CurrentPrincipal, Principal
from lienthong.core.platform import Platform, PlatformDep
from lienthong.exchange import access_requests, meta, metrics, onceonly, openapi, rights, services
from lienthong.exchange.config import GatewaySettings
from lienthong.exchange.limits_admin import get_limits, set_limits, visible_services
from lienthong.exchange.models import (
    AccessRequestIn,
    DecisionIn,
    GroupIn,
    LimitsIn,
    RefusalIn,
    RightIn,
    ServiceIn,
    ServicePatch,
)
from lienthong.exchange.snapshot import load

router = APIRouter(tags=["exchange"])
PREFIX = "/api/v1/exchange"
Part = Annotated[str, Path(max_length=64)]
Id = Annotated[int, Path(ge=1)]


def _ref(*parts: str) -> str:
    return "/".join(parts)


def _doc(raw: dict[str, Any] | str | None, url: str | None) -> openapi.OpenApiDoc | None:
    if raw is not None and url is not None:
        from lienthong.core.errors import ValidationFailed

        raise ValidationFailed("give the OpenAPI description or its URL, not both")
    if url is not None:
        return openapi.fetch(url)
    return openapi.parse(raw) if raw is not None else None


# services


@router.post(f"{PREFIX}/services", status_code=status.HTTP_201_CREATED)
def create_service(platform: PlatformDep, principal: CurrentPrincipal, body: ServiceIn) -> Any:
    """Register a provider service; the OpenAPI description is uploaded or fetched now."""
    doc = _doc(body.openapi, body.openapi_url)
    with platform.store.write() as conn:
        inst = platform.settings.instance
        return services.create_service(conn, platform.audit, principal, inst, body, doc)


@router.get(f"{PREFIX}/services")
def list_services(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    provider: Annotated[str | None, Query(max_length=200)] = None,
) -> Any:
    with platform.store.read() as conn:
        return services.list_services(conn, platform.settings.instance, principal, provider)


ServicePath = f"{PREFIX}/services/{{cls}}/{{member}}/{{sub}}/{{code}}"


@router.get(ServicePath)
def show_service(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    cls: Part,
    member: Part,
    sub: Part,
    code: Part,
) -> Any:
    with platform.store.read() as conn:
        row = services.get_service(conn, platform.settings.instance, _ref(cls, member, sub, code))
        return services.service_view(conn, row, principal)


@router.patch(ServicePath)
def update_service(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    cls: Part,
    member: Part,
    sub: Part,
    code: Part,
    body: ServicePatch,
) -> Any:
    doc = _doc(body.openapi, body.openapi_url)
    with platform.store.write() as conn:
        row = services.get_service(conn, platform.settings.instance, _ref(cls, member, sub, code))
        return services.update_service(conn, platform.audit, principal, row, body, doc)


@router.delete(ServicePath, status_code=status.HTTP_204_NO_CONTENT)
def delete_service(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    cls: Part,
    member: Part,
    sub: Part,
    code: Part,
) -> Response:
    with platform.store.write() as conn:
        row = services.get_service(conn, platform.settings.instance, _ref(cls, member, sub, code))
        services.delete_service(conn, platform.audit, principal, row)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# groups


@router.post(f"{PREFIX}/groups", status_code=status.HTTP_201_CREATED)
def create_group(platform: PlatformDep, principal: CurrentPrincipal, body: GroupIn) -> Any:
    with platform.store.write() as conn:
        inst = platform.settings.instance
        return rights.create_group(conn, platform.audit, principal, inst, body)


@router.get(f"{PREFIX}/groups")
def list_groups(platform: PlatformDep, principal: CurrentPrincipal) -> Any:
    with platform.store.read() as conn:
        return rights.list_groups(conn)


GroupPath = f"{PREFIX}/groups/{{cls}}/{{member}}/{{code}}/members"


@router.post(GroupPath, status_code=status.HTTP_201_CREATED)
def add_group_member(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    cls: Part,
    member: Part,
    code: Part,
    subsystem: Annotated[str, Query(max_length=200, description="CLASS/CODE/SUBSYSTEM")],
) -> Any:
    return _group_member(platform, principal, _ref(cls, member, code), subsystem, True)


@router.delete(GroupPath)
def remove_group_member(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    cls: Part,
    member: Part,
    code: Part,
    subsystem: Annotated[str, Query(max_length=200)],
) -> Any:
    return _group_member(platform, principal, _ref(cls, member, code), subsystem, False)


def _group_member(
    platform: Platform, principal: Principal, ref: str, subsystem: str, present: bool
) -> Any:
    inst = platform.settings.instance
    with platform.store.write() as conn:
        group = rights.get_group(conn, inst, ref)
        return rights.set_group_member(
            conn, platform.audit, principal, inst, group, subsystem, present
        )


# access rights


@router.post(f"{PREFIX}/rights", status_code=status.HTTP_201_CREATED)
def grant_right(platform: PlatformDep, principal: CurrentPrincipal, body: RightIn) -> Any:
    """Grant a client subsystem or a group a whole service or one endpoint of it."""
    with platform.store.write() as conn:
        return rights.grant(conn, platform.audit, principal, platform.settings.instance, body)


@router.get(f"{PREFIX}/rights")
def list_rights(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    service: Annotated[str | None, Query(max_length=270)] = None,
    active: bool = False,
) -> Any:
    with platform.store.read() as conn:
        return rights.list_rights(conn, platform.settings.instance, service, active)


@router.post(f"{PREFIX}/rights/{{right_id}}/revoke")
def revoke_right(platform: PlatformDep, principal: CurrentPrincipal, right_id: Id) -> Any:
    with platform.store.write() as conn:
        return rights.revoke(conn, platform.audit, principal, right_id)


# access requests


@router.post(f"{PREFIX}/requests", status_code=status.HTTP_201_CREATED)
def file_request(platform: PlatformDep, principal: CurrentPrincipal, body: AccessRequestIn) -> Any:
    with platform.store.write() as conn:
        inst = platform.settings.instance
        return access_requests.file_request(conn, platform.audit, principal, inst, body)


@router.get(f"{PREFIX}/requests")
def list_requests(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    state: Annotated[str | None, Query(pattern="^(pending|approved|refused)$")] = None,
) -> Any:
    """Oldest first, with `age_working_days`, `due_on` and `overdue` (2 working days)."""
    holidays = GatewaySettings().holidays
    with platform.store.read() as conn:
        return access_requests.list_requests(conn, principal, state, holidays)


@router.post(f"{PREFIX}/requests/{{request_id}}/approve")
def approve_request(
    platform: PlatformDep, principal: CurrentPrincipal, request_id: Id, body: DecisionIn
) -> Any:
    with platform.store.write() as conn:
        inst = platform.settings.instance
        return access_requests.approve(conn, platform.audit, principal, inst, request_id, body)


@router.post(f"{PREFIX}/requests/{{request_id}}/refuse")
def refuse_request(
    platform: PlatformDep, principal: CurrentPrincipal, request_id: Id, body: RefusalIn
) -> Any:
    with platform.store.write() as conn:
        return access_requests.refuse(conn, platform.audit, principal, request_id, body.reason)


# limits, stats, metrics


@router.get(f"{PREFIX}/limits/{{cls}}/{{member}}/{{sub}}")
def show_limits(
    platform: PlatformDep, principal: CurrentPrincipal, cls: Part, member: Part, sub: Part
) -> Any:
    with platform.store.read() as conn:
        inst = platform.settings.instance
        return get_limits(conn, principal, inst, _ref(cls, member, sub), GatewaySettings())


@router.put(f"{PREFIX}/limits/{{cls}}/{{member}}/{{sub}}")
def put_limits(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    cls: Part,
    member: Part,
    sub: Part,
    body: LimitsIn,
) -> Any:
    with platform.store.write() as conn:
        inst = platform.settings.instance
        return set_limits(conn, platform.audit, principal, inst, _ref(cls, member, sub), body)


@router.get(f"{PREFIX}/stats")
def exchange_stats(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    minutes: Annotated[int, Query(ge=1, le=60 * 24 * 31)] = 60,
) -> Any:
    """Per service over the last `minutes`: requests, error rates, latency p50/p95/p99."""
    with platform.store.read() as conn:
        return metrics.stats(conn, minutes, visible_services(conn, principal))


@router.get("/metrics", include_in_schema=False)
async def prometheus_metrics(platform: PlatformDep) -> Response:
    body, ctype = await asyncio.to_thread(metrics.render, platform.store)
    return Response(body, media_type=ctype)


@router.get("/api/v1/once-only", tags=["once-only"])
def once_only(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    subject: Annotated[str, Query(min_length=10, max_length=20)],
) -> Any:
    """Which members' datasets and services hold data about a citizen ID or tax code.

    Names and owners only, never the data; the lookup is audited with the subject salted
    and hashed.
    """
    return onceonly.lookup(platform, principal, subject)


@router.get("/listClients", tags=["exchange"])
def list_clients(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """X-Road's listClients: JSON with `Accept: application/json`, else XML."""
    with platform.store.read() as conn:
        snap = load(conn, platform.settings.instance)
    body, ctype = meta.list_clients(snap, "json" in (accept or ""))
    return Response(body, media_type=ctype.split(";")[0])
