"""`lienthong programs ...`: action plans from the console."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from lienthong.core.console import context, operator, out, show
from lienthong.core.errors import ValidationFailed
from lienthong.programs import importer, service
from lienthong.programs.models import PlanIn

app = typer.Typer(help="Action plans: groups, tasks, budgets, progress.", no_args_is_help=True)


@app.command("create")
def create(
    ctx: typer.Context,
    code: str,
    title: Annotated[str, typer.Option()],
    owner: Annotated[str, typer.Option(help="owner member CLASS/CODE")],
    document: Annotated[str | None, typer.Option(help="e.g. Nghị quyết 03-NQ/TU")] = None,
    start: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    budget_vnd: Annotated[int | None, typer.Option(min=0)] = None,
    source: Annotated[str | None, typer.Option(help="where the plan's figures come from")] = None,
) -> None:
    p = context(ctx).platform
    data = PlanIn.model_validate(
        {
            "code": code,
            "title": title,
            "owner": owner,
            "document": document,
            "start": start,
            "end": end,
            "budget_vnd": budget_vnd,
            "source": source,
        }
    )
    with p.store.write() as conn:
        view = service.create_plan(conn, p.audit, operator(), p.settings.instance, data)
    show(ctx, {k: view[k] for k in ("code", "title", "owner", "start", "end")})


@app.command("list")
def list_cmd(ctx: typer.Context) -> None:
    p = context(ctx).platform
    with p.store.read() as conn:
        plans = service.list_plans(conn, date.today())
    rows = [
        {
            "code": v["code"],
            "title": v["title"],
            "tasks": v["rollup"]["tasks"],
            "progress %": v["rollup"]["progress"],
            "overdue": v["rollup"]["overdue"],
        }
        for v in plans
    ]
    show(ctx, rows if not context(ctx).as_json else plans)


@app.command("show")
def show_cmd(ctx: typer.Context, code: str) -> None:
    p = context(ctx).platform
    with p.store.read() as conn:
        view = service.plan_view(conn, service.get_plan(conn, code), date.today(), with_tasks=True)
    if context(ctx).as_json:
        show(ctx, view)
        return
    r = view["rollup"]
    out.print(f"[bold]{view['title']}[/bold] — {r['progress']} % of {r['tasks']} tasks")
    show(
        ctx,
        [
            {
                "group": g["code"],
                "title": g["title"],
                **{k: g["rollup"][k] for k in ("tasks", "progress", "overdue")},
            }
            for g in view["groups"]
        ],
    )


@app.command("import")
def import_cmd(
    ctx: typer.Context,
    code: str,
    csv_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
) -> None:
    """Import tasks from a UTF-8 CSV: all rows or none."""
    p = context(ctx).platform
    try:
        text = csv_file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"{csv_file} is not UTF-8 (byte {exc.start:,})") from exc
    with p.store.write() as conn:
        result = importer.import_tasks(
            conn, p.audit, operator(), p.settings.instance, service.get_plan(conn, code), text
        )
    out.print(f"imported {result['tasks']:,} tasks ({result['groups_created']} new groups)")
