"""`lienthong units ...`: load the units, show one, search, resolve an old code or name."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

from lienthong.core import migrate
from lienthong.core.console import context, operator, out, show
from lienthong.units import loader, service
from lienthong.units.api import unit_view

app = typer.Typer(help="Administrative units (34 provinces since 2025, 63 before).")
HierarchyOpt = Annotated[str, typer.Option("--hierarchy", "-H", help="2025 or legacy")]
COLUMNS = ["code", "name", "type", "level", "parent", "hierarchy", "area_km2"]


@app.command("load")
def load_cmd(ctx: typer.Context) -> None:
    """Load both hierarchies and the 2025 mapping from the offline source (idempotent)."""
    platform = context(ctx).platform
    migrate.upgrade(platform.store)
    with out.status("loading administrative units…"):
        report = loader.load_platform(platform, operator().actor)
    if context(ctx).as_json:
        show(ctx, report.__dict__ | {"changed": report.changed})
        return
    c = report.counts
    out.print(
        f"{report.source} {report.version} ({report.license}): "
        f"2025: {c['2025.level1']} provinces, {c['2025.level3']:,} communes; "
        f"legacy: {c['legacy.level1']} provinces, {c['legacy.level2']} districts, "
        f"{c['legacy.level3']:,} communes; {c['mapping.split_communes']} old communes split"
    )
    if report.changed:
        out.print(
            f"[green]loaded[/green]: {report.inserted:,} rows added, {report.updated:,} changed, "
            f"{report.deleted:,} removed in {report.seconds:.1f} s"
        )
    else:
        out.print("already up to date: nothing written")


@app.command("show")
def show_cmd(ctx: typer.Context, code: str, hierarchy: HierarchyOpt = service.CURRENT) -> None:
    """One unit and the units directly under it."""
    with context(ctx).platform.store.read() as conn:
        unit = service.get(conn, code, hierarchy)
        below = service.children(conn, code, hierarchy)
        links = (
            service.successors(conn, code)
            if hierarchy == service.LEGACY
            else service.predecessors(conn, code)
        )
    view = unit_view(unit) | {"children": len(below)}
    view["successors" if hierarchy == service.LEGACY else "predecessors"] = [
        f"{s.code}{' (partial)' if s.partial else ''}" for s in links
    ]
    if context(ctx).as_json:
        show(ctx, view)
        return
    show(ctx, [{"field": k, "value": v} for k, v in view.items()], ["field", "value"])
    if below:
        show(ctx, [unit_view(u) for u in below], COLUMNS)


@app.command("search")
def search_cmd(
    ctx: typer.Context,
    q: str,
    hierarchy: Annotated[
        str | None, typer.Option("--hierarchy", "-H", help="2025 or legacy (default: both)")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Units by name, diacritics ignored: `lienthong units search "hai phong"`."""
    with context(ctx).platform.store.read() as conn:
        found = service.search(conn, q, hierarchy, limit)
    show(ctx, [unit_view(u) for u in found], COLUMNS)


@app.command("resolve")
def resolve_cmd(
    ctx: typer.Context,
    q: str,
    on: Annotated[
        str | None, typer.Option("--date", help="the day the code or name was used, YYYY-MM-DD")
    ] = None,
) -> None:
    """Today's unit(s) for an old (or current) code or name."""
    when = _day(on) if on else None
    with context(ctx).platform.store.read() as conn:
        found = service.resolve_detail(conn, q, when)
        rows = [
            unit_view(service.get(conn, s.code)) | {"partial": s.partial} for s in found.successors
        ]
    if not context(ctx).as_json:
        out.print(
            "matched: " + "; ".join(f"{u.name} ({u.hierarchy} {u.code})" for u in found.matched)
        )
    show(ctx, rows, ["code", "name", "type", "partial"])


def _day(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date: use YYYY-MM-DD") from None
