"""`lienthong member|user|key ...`: the registry from the console."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from lienthong.core.auth import Role
from lienthong.core.console import context, operator, out, show
from lienthong.registry import keys, members, people
from lienthong.registry.identifiers import MemberClass
from lienthong.registry.models import KeyIn, MemberIn, MemberPatch, RoleIn, SubsystemIn, UserIn

member_app = typer.Typer(help="Members (organisations) and their subsystems.", no_args_is_help=True)
user_app = typer.Typer(help="People and their roles.", no_args_is_help=True)
key_app = typer.Typer(help="API keys.", no_args_is_help=True)

MEMBER_COLS = ["id", "name", "name_en", "created_at"]
USER_COLS = ["username", "full_name", "email", "active", "roles"]
KEY_COLS = ["id", "prefix", "name", "holder", "roles", "expires_at", "revoked_at", "last_used_at"]

MemberArg = Annotated[str, typer.Argument(help="CLASS/CODE, e.g. GOV/H31")]


@member_app.command("create")
def member_create(
    ctx: typer.Context,
    member_class: Annotated[MemberClass, typer.Argument(help="GOV, COM or ORG")],
    member_code: Annotated[str, typer.Argument(help="agency identifier or tax code")],
    name: Annotated[str, typer.Option(help="Vietnamese name")],
    name_en: Annotated[str | None, typer.Option(help="English name")] = None,
) -> None:
    p = context(ctx).platform
    data = MemberIn(member_class=member_class, member_code=member_code, name=name, name_en=name_en)
    with p.store.write() as conn:
        show(
            ctx,
            members.create_member(conn, p.audit, operator(), p.settings.instance, data),
            MEMBER_COLS,
        )


@member_app.command("list")
def member_list(ctx: typer.Context, q: Annotated[str | None, typer.Option()] = None) -> None:
    p = context(ctx).platform
    with p.store.read() as conn:
        show(ctx, members.list_members(conn, p.settings.instance, q), MEMBER_COLS)


@member_app.command("show")
def member_show(ctx: typer.Context, member: MemberArg) -> None:
    p = context(ctx).platform
    with p.store.read() as conn:
        row = members.member_by_ref(conn, p.settings.instance, member)
        show(
            ctx,
            members.member_view(row)
            | {"subsystems": [s["code"] for s in members.list_subsystems(conn, row)]},
        )


@member_app.command("update")
def member_update(
    ctx: typer.Context,
    member: MemberArg,
    name: Annotated[str | None, typer.Option()] = None,
    name_en: Annotated[str | None, typer.Option()] = None,
) -> None:
    p = context(ctx).platform
    patch = MemberPatch.model_validate(
        {k: v for k, v in {"name": name, "name_en": name_en}.items() if v}
    )
    with p.store.write() as conn:
        row = members.member_by_ref(conn, p.settings.instance, member)
        show(ctx, members.update_member(conn, p.audit, operator(), row, patch), MEMBER_COLS)


@member_app.command("delete")
def member_delete(ctx: typer.Context, member: MemberArg) -> None:
    p = context(ctx).platform
    with p.store.write() as conn:
        members.delete_member(
            conn, p.audit, operator(), members.member_by_ref(conn, p.settings.instance, member)
        )
    out.print(f"deleted member {member}")


@member_app.command("add-subsystem")
def subsystem_create(
    ctx: typer.Context,
    member: MemberArg,
    code: Annotated[str, typer.Argument(help="subsystem code, e.g. TOS")],
    name: Annotated[str, typer.Option()],
) -> None:
    p = context(ctx).platform
    with p.store.write() as conn:
        row = members.member_by_ref(conn, p.settings.instance, member)
        show(
            ctx,
            members.create_subsystem(
                conn, p.audit, operator(), row, SubsystemIn(code=code, name=name)
            ),
        )


@member_app.command("subsystems")
def subsystem_list(ctx: typer.Context, member: MemberArg) -> None:
    p = context(ctx).platform
    with p.store.read() as conn:
        show(
            ctx,
            members.list_subsystems(conn, members.member_by_ref(conn, p.settings.instance, member)),
        )


@member_app.command("remove-subsystem")
def subsystem_delete(ctx: typer.Context, member: MemberArg, code: str) -> None:
    p = context(ctx).platform
    with p.store.write() as conn:
        row = members.member_by_ref(conn, p.settings.instance, member)
        members.delete_subsystem(
            conn, p.audit, operator(), row, members.get_subsystem(conn, row, code)
        )
    out.print(f"removed subsystem {member}/{code} and its keys")


@user_app.command("create")
def user_create(
    ctx: typer.Context,
    username: str,
    full_name: Annotated[str, typer.Option("--name")],
    email: Annotated[str | None, typer.Option()] = None,
    password: Annotated[
        str | None,
        typer.Option(envvar="LIENTHONG_NEW_PASSWORD", help="or set LIENTHONG_NEW_PASSWORD"),
    ] = None,
) -> None:
    p = context(ctx).platform
    data = UserIn(username=username, full_name=full_name, email=email, password=password)
    with p.store.write() as conn:
        show(ctx, people.create_user(conn, p.audit, operator(), data), USER_COLS)


@user_app.command("list")
def user_list(ctx: typer.Context) -> None:
    p = context(ctx).platform
    with p.store.read() as conn:
        show(ctx, people.list_users(conn, operator()), USER_COLS)


@user_app.command("grant")
def user_grant(
    ctx: typer.Context,
    username: str,
    role: Role,
    member: Annotated[str | None, typer.Option(help="CLASS/CODE; omit for platform_admin")] = None,
) -> None:
    p = context(ctx).platform
    with p.store.write() as conn:
        view = people.grant_role(
            conn,
            p.audit,
            operator(),
            p.settings.instance,
            username,
            RoleIn(role=role, member=member),
        )
    show(ctx, view, USER_COLS)


@user_app.command("revoke")
def user_revoke(
    ctx: typer.Context,
    username: str,
    role: Role,
    member: Annotated[str | None, typer.Option()] = None,
) -> None:
    p = context(ctx).platform
    with p.store.write() as conn:
        view = people.revoke_role(
            conn,
            p.audit,
            operator(),
            p.settings.instance,
            username,
            RoleIn(role=role, member=member),
        )
    show(ctx, view, USER_COLS)


@user_app.command("deactivate")
def user_deactivate(ctx: typer.Context, username: str) -> None:
    p = context(ctx).platform
    with p.store.write() as conn:
        show(ctx, people.deactivate_user(conn, p.audit, operator(), username), USER_COLS)


@key_app.command("create")
def key_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="what the key is for")],
    user: Annotated[str | None, typer.Option(help="holder: a username")] = None,
    subsystem: Annotated[str | None, typer.Option(help="holder: CLASS/CODE/SUBSYSTEM")] = None,
    role: Annotated[list[Role] | None, typer.Option(help="roles of a subsystem key")] = None,
    expires: Annotated[datetime | None, typer.Option(help="expiry (UTC)")] = None,
) -> None:
    """Issue a key and print its token once."""
    p = context(ctx).platform
    data = KeyIn(
        name=name, user=user, subsystem=subsystem, roles=role or [Role.CONSUMER], expires_at=expires
    )
    with p.store.write() as conn:
        view = keys.create_key(conn, p.audit, operator(), p.settings.instance, data)
    if context(ctx).as_json:
        show(ctx, view)
        return
    show(ctx, view, KEY_COLS)
    out.print("token (shown once, store it now):")
    typer.echo(view["token"])


@key_app.command("list")
def key_list(ctx: typer.Context) -> None:
    p = context(ctx).platform
    with p.store.read() as conn:
        show(ctx, keys.list_keys(conn, operator()), KEY_COLS)


@key_app.command("revoke")
def key_revoke(ctx: typer.Context, key_id: int) -> None:
    p = context(ctx).platform
    with p.store.write() as conn:
        show(ctx, keys.revoke_key(conn, p.audit, operator(), key_id), KEY_COLS)
