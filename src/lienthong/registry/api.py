"""Registry REST API under /api/v1."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from lienthong.core.auth import CurrentPrincipal, Role
from lienthong.core.errors import Forbidden
from lienthong.core.platform import PlatformDep
from lienthong.registry import keys, members, people
from lienthong.registry.models import KeyIn, MemberIn, MemberPatch, RoleIn, SubsystemIn, UserIn

router = APIRouter(prefix="/api/v1", tags=["registry"])

ClassPath = Annotated[str, Path(max_length=8, description="GOV, COM or ORG")]
CodePath = Annotated[str, Path(max_length=64, description="agency identifier or tax code")]
SubPath = Annotated[str, Path(max_length=64)]
UserPath = Annotated[str, Path(max_length=64)]


@router.get("/me")
def me(platform: PlatformDep, principal: CurrentPrincipal) -> dict[str, Any]:
    """Who the presented key stands for."""
    with platform.store.read() as conn:
        roles = people.user_roles(conn, principal.id) if principal.kind == "user" else []
        member = keys.principal_member(conn, principal)
    return {
        "actor": principal.actor,
        "kind": principal.kind,
        "platform_admin": principal.platform_admin,
        "roles": roles,
        "member": member,
    }


@router.post("/members", status_code=status.HTTP_201_CREATED)
def create_member(
    platform: PlatformDep, principal: CurrentPrincipal, body: MemberIn
) -> dict[str, Any]:
    with platform.store.write() as conn:
        return members.create_member(
            conn, platform.audit, principal, platform.settings.instance, body
        )


@router.get("/members")
def list_members(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> list[dict[str, Any]]:
    with platform.store.read() as conn:
        return members.list_members(conn, platform.settings.instance, q)


@router.get("/members/{member_class}/{member_code}")
def show_member(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    member_class: ClassPath,
    member_code: CodePath,
) -> dict[str, Any]:
    with platform.store.read() as conn:
        row = members.get_member(conn, platform.settings.instance, member_class, member_code)
        return members.member_view(row) | {"subsystems": members.list_subsystems(conn, row)}


@router.patch("/members/{member_class}/{member_code}")
def update_member(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    member_class: ClassPath,
    member_code: CodePath,
    body: MemberPatch,
) -> dict[str, Any]:
    with platform.store.write() as conn:
        row = members.get_member(conn, platform.settings.instance, member_class, member_code)
        return members.update_member(conn, platform.audit, principal, row, body)


@router.delete("/members/{member_class}/{member_code}", status_code=status.HTTP_204_NO_CONTENT)
def delete_member(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    member_class: ClassPath,
    member_code: CodePath,
) -> Response:
    with platform.store.write() as conn:
        row = members.get_member(conn, platform.settings.instance, member_class, member_code)
        members.delete_member(conn, platform.audit, principal, row)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/members/{member_class}/{member_code}/subsystems", status_code=status.HTTP_201_CREATED
)
def create_subsystem(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    member_class: ClassPath,
    member_code: CodePath,
    body: SubsystemIn,
) -> dict[str, Any]:
    with platform.store.write() as conn:
        row = members.get_member(conn, platform.settings.instance, member_class, member_code)
        return members.create_subsystem(conn, platform.audit, principal, row, body)


@router.get("/members/{member_class}/{member_code}/subsystems")
def list_subsystems(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    member_class: ClassPath,
    member_code: CodePath,
) -> list[dict[str, Any]]:
    with platform.store.read() as conn:
        row = members.get_member(conn, platform.settings.instance, member_class, member_code)
        return members.list_subsystems(conn, row)


@router.delete(
    "/members/{member_class}/{member_code}/subsystems/{code}",
    status_code=status.HTTP_204_NO_CONTENT,
)
def delete_subsystem(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    member_class: ClassPath,
    member_code: CodePath,
    code: SubPath,
) -> Response:
    with platform.store.write() as conn:
        row = members.get_member(conn, platform.settings.instance, member_class, member_code)
        sub = members.get_subsystem(conn, row, code)
        members.delete_subsystem(conn, platform.audit, principal, row, sub)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(platform: PlatformDep, principal: CurrentPrincipal, body: UserIn) -> dict[str, Any]:
    with platform.store.write() as conn:
        return people.create_user(conn, platform.audit, principal, body)


@router.get("/users")
def list_users(platform: PlatformDep, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    with platform.store.read() as conn:
        return people.list_users(conn, principal)


@router.get("/users/{username}")
def show_user(
    platform: PlatformDep, principal: CurrentPrincipal, username: UserPath
) -> dict[str, Any]:
    with platform.store.read() as conn:
        row = people.get_user(conn, username)
        view = people.user_view(conn, row)
        if not people.may_read_user(conn, principal, row["id"]):
            raise Forbidden(f"{principal.actor} may not read user '{username}'")
        return view


@router.delete("/users/{username}")
def deactivate_user(
    platform: PlatformDep, principal: CurrentPrincipal, username: UserPath
) -> dict[str, Any]:
    """Deactivate a person and revoke their keys. History is kept."""
    with platform.store.write() as conn:
        return people.deactivate_user(conn, platform.audit, principal, username)


@router.post("/users/{username}/roles", status_code=status.HTTP_201_CREATED)
def grant_role(
    platform: PlatformDep, principal: CurrentPrincipal, username: UserPath, body: RoleIn
) -> dict[str, Any]:
    with platform.store.write() as conn:
        inst = platform.settings.instance
        return people.grant_role(conn, platform.audit, principal, inst, username, body)


@router.delete("/users/{username}/roles/{role}")
def revoke_role(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    username: UserPath,
    role: Role,
    member: Annotated[str | None, Query(max_length=80)] = None,
) -> dict[str, Any]:
    with platform.store.write() as conn:
        body = RoleIn(role=role, member=member)
        inst = platform.settings.instance
        return people.revoke_role(conn, platform.audit, principal, inst, username, body)


@router.post("/keys", status_code=status.HTTP_201_CREATED)
def create_key(platform: PlatformDep, principal: CurrentPrincipal, body: KeyIn) -> dict[str, Any]:
    """Issue a key. The `token` in the answer is shown once and never again."""
    with platform.store.write() as conn:
        return keys.create_key(conn, platform.audit, principal, platform.settings.instance, body)


@router.get("/keys")
def list_keys(platform: PlatformDep, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    with platform.store.read() as conn:
        return keys.list_keys(conn, principal)


@router.post("/keys/{key_id}/revoke")
@router.delete("/keys/{key_id}")
def revoke_key(
    platform: PlatformDep, principal: CurrentPrincipal, key_id: Annotated[int, Path(ge=1, le=2**62)]
) -> dict[str, Any]:
    with platform.store.write() as conn:
        return keys.revoke_key(conn, platform.audit, principal, key_id)
