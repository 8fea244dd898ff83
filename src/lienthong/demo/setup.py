"""`lienthong demo setup`: the action plans and fresh demo keys, after `demo load`."""

from __future__ import annotations

from datetime import date
from typing import Any

import typer
from sqlalchemy import update

from lienthong.core.console import context, operator, out
from lienthong.core.timeutil import utcnow
from lienthong.demo import plans, port
from lienthong.registry.keys import create_key
from lienthong.registry.models import KeyIn
from lienthong.registry.schema import api_keys

DEMO_KEY = "demo key (make demo)"


def setup_cmd(ctx: typer.Context) -> None:
    """Seed the action plans (synthetic tasks) and print fresh demo API keys."""
    p = context(ctx).platform
    created = plans.seed(p, operator(), date.today())
    out.print(f"action plans: {created} created ({len(plans.PLANS)} in the demo)")
    keys = _fresh_keys(p) + port.setup(p, operator(), p.settings.site_url)
    inst = p.settings.instance
    out.print(f"port community: {port.client_id(inst)} may call {port.service_path(inst)}")
    out.print("[bold]demo API keys[/bold] (new each run; earlier demo keys are revoked):")
    for holder, token in keys:
        out.print(f"  {holder}: {token}", soft_wrap=True)
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
