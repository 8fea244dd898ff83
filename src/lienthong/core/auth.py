"""Principals and roles, and the FastAPI dependencies that resolve them.

The registry part knows how to turn a token into a principal; the app puts
that function on ``app.state.authenticate`` so that parts downstream of the
registry need not import it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Literal

from fastapi import Depends, Request

from lienthong.core.errors import Forbidden, Unauthenticated


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    ORG_ADMIN = "org_admin"
    PUBLISHER = "publisher"
    CONSUMER = "consumer"
    VIEWER = "viewer"


# a role grants itself and the roles below it, within one organisation
IMPLIED: Mapping[Role, frozenset[Role]] = {
    Role.ORG_ADMIN: frozenset({Role.ORG_ADMIN, Role.PUBLISHER, Role.CONSUMER, Role.VIEWER}),
    Role.PUBLISHER: frozenset({Role.PUBLISHER, Role.VIEWER}),
    Role.CONSUMER: frozenset({Role.CONSUMER, Role.VIEWER}),
    Role.VIEWER: frozenset({Role.VIEWER}),
    Role.PLATFORM_ADMIN: frozenset(Role),
}

PrincipalKind = Literal["user", "subsystem", "local"]


@dataclass(frozen=True)
class Principal:
    """Who is acting: a person, a system holding a key, or the local operator.

    >>> p = Principal("user", 1, "lan", roles={7: frozenset({Role.ORG_ADMIN})})
    >>> p.has_role(7, Role.PUBLISHER), p.has_role(8, Role.VIEWER)
    (True, False)
    """

    kind: PrincipalKind
    id: int
    name: str
    roles: Mapping[int, frozenset[Role]] = field(default_factory=dict)
    platform_admin: bool = False
    key_id: int | None = None
    # the organisation a subsystem belongs to
    member_id: int | None = None

    @property
    def actor(self) -> str:
        return f"{self.kind}:{self.name}"

    @property
    def member_ids(self) -> frozenset[int]:
        return frozenset(self.roles)

    def has_role(self, member_id: int | None, *wanted: Role) -> bool:
        if self.platform_admin:
            return True
        if member_id is None:
            return False
        held = self.roles.get(member_id, frozenset())
        granted = frozenset().union(*(IMPLIED[r] for r in held))
        return any(r in granted for r in wanted)

    def require(self, member_id: int | None, *wanted: Role) -> None:
        if not self.has_role(member_id, *wanted):
            names = " or ".join(r.value for r in wanted)
            raise Forbidden(f"{self.actor} needs the role {names} in this organisation")

    def require_platform_admin(self) -> None:
        if not self.platform_admin:
            raise Forbidden(f"{self.actor} is not a platform admin")


def local_operator(name: str) -> Principal:
    """The operator at the console, with direct access to the database."""
    return Principal("local", 0, name, platform_admin=True)


Authenticate = Callable[[str], Principal]


def token_from_headers(request: Request) -> str | None:
    """The API key: `Authorization` (raw, as CKAN sends it, or Bearer) or `X-API-Key`."""
    auth = request.headers.get("authorization")
    if auth:
        scheme, _, rest = auth.partition(" ")
        return rest.strip() if scheme.lower() == "bearer" and rest else auth.strip()
    return request.headers.get("x-api-key") or request.headers.get("x-ckan-api-key")


def optional_principal(request: Request) -> Principal | None:
    token = token_from_headers(request)
    if not token:
        return None
    authenticate: Authenticate = request.app.state.authenticate
    principal = authenticate(token)
    request.state.principal = principal
    return principal


def current_principal(request: Request) -> Principal:
    principal = optional_principal(request)
    if principal is None:
        raise Unauthenticated("an API key is required: send it in the Authorization header")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
