"""`lienthong demo setup`: the action plans and fresh demo keys, after `demo load`."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import typer
from sqlalchemy import update

from lienthong.core.auth import Role
from lienthong.core.console import context, operator, out
from lienthong.core.errors import NotFound
from lienthong.core.timeutil import utcnow
from lienthong.demo import plans, port, reporting
from lienthong.registry import people
from lienthong.registry.keys import create_key
from lienthong.registry.models import KeyIn, RoleIn, UserIn
from lienthong.registry.schema import api_keys

DEMO_KEY = "demo key (make demo)"


def setup_cmd(ctx: typer.Context) -> None:
    """Seed the action plans (synthetic tasks), report the articles' figures to the
    indicators, set up the port community and print fresh demo API keys."""
    p = context(ctx).platform
    created = plans.seed(p, operator(), date.today())
    out.print(f"action plans: {created} created ({len(plans.PLANS)} in the demo)")
    stored = reporting.report(p, operator())
    out.print(
        f"figures from the articles reported to the indicators: {stored['inserted']} new, "
        f"{stored['unchanged']} unchanged (source {reporting.SOURCE})"
    )
    keys = _fresh_keys(p) + port.setup(p, operator(), p.settings.site_url)
    password = demo_login(p)
    inst = p.settings.instance
    out.print(f"port community: {port.client_id(inst)} may call {port.service_path(inst)}")
    out.print("[bold]demo API keys[/bold] (new each run; earlier demo keys are revoked):")
    for holder, token in keys:
        out.print(f"  {holder}: {token}", soft_wrap=True)
    out.print(f"web login: user [bold]demo[/bold], password [bold]{password}[/bold] (new each run)")
    out.print("scoreboard: http://127.0.0.1:8000/  ·  API docs: http://127.0.0.1:8000/docs")


def _fresh_keys(p: Any) -> list[tuple[str, str]]:
    with p.store.write() as conn:
        conn.execute(
            update(api_keys)
            .where(api_keys.c.name == DEMO_KEY, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        view = create_key(
            conn, p.audit, operator(), p.settings.instance, KeyIn(name=DEMO_KEY, user="admin")
        )
    return [("platform admin (user admin)", str(view["token"]))]


def demo_login(p: Any) -> str:
    """A person who can log in to the scoreboard: org admin of the city, fresh password."""
    password = secrets.token_urlsafe(12)
    with p.store.write() as conn:
        try:
            people.get_user(conn, "demo")
        except NotFound:
            people.create_user(
                conn,
                p.audit,
                operator(),
                UserIn(username="demo", full_name="Người dùng trình diễn"),
            )
            people.grant_role(
                conn,
                p.audit,
                operator(),
                p.settings.instance,
                "demo",
                RoleIn(role=Role.ORG_ADMIN, member="GOV/H31"),
            )
        people.set_password(conn, p.audit, operator(), "demo", password)
    return password
