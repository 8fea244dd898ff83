"""Audit REST API: read the log, paged; it cannot be changed through any interface."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from lienthong.audit.service import list_entries
from lienthong.core.auth import CurrentPrincipal, Role
from lienthong.core.errors import Forbidden
from lienthong.core.http import problem
from lienthong.core.platform import PlatformDep

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get("")
def read_log(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    after: Annotated[int, Query(ge=0, le=2**62, description="return entries with seq > after")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    action: Annotated[str | None, Query(max_length=100, description="action prefix")] = None,
) -> dict[str, Any]:
    """Entries oldest first. Org admins see their organisations' entries; platform admins all."""
    scope: frozenset[int] | None = None
    if not principal.platform_admin:
        scope = frozenset(m for m in principal.member_ids if principal.has_role(m, Role.ORG_ADMIN))
        if not scope:
            raise Forbidden(
                f"{principal.actor} needs org_admin or platform_admin to read the audit log"
            )
    with platform.store.read() as conn:
        entries = list_entries(
            conn, after=after, limit=limit, member_ids=scope, action_prefix=action
        )
    nxt = entries[-1]["seq"] if len(entries) == limit else None
    return {"entries": entries, "next_after": nxt}


@router.api_route("/{seq}", methods=["PUT", "PATCH", "DELETE", "POST"], include_in_schema=False)
@router.api_route("", methods=["PUT", "PATCH", "DELETE"], include_in_schema=False)
def refuse_change() -> Any:
    resp = problem(
        405,
        "Method not allowed",
        "the audit log is append-only: entries cannot be changed or removed",
    )
    resp.headers["Allow"] = "GET"
    return resp
