"""`lienthong indicators …`: compute, list and check frameworks, report values from CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lienthong.core.console import context, err, operator, out, show
from lienthong.indicators import compute, live, loader, reported

app = typer.Typer(
    help="Indicators: frameworks, computation, reported values.", no_args_is_help=True
)


@app.command("compute")
def compute_cmd(
    ctx: typer.Context,
    engine: Annotated[
        str | None,
        typer.Option(help="sqlite, postgresql (where the data is; the default) or spark"),
    ] = None,
    snapshots: Annotated[
        Path | None, typer.Option(help="spark: where to write the Parquet snapshots")
    ] = None,
) -> None:
    """Recompute every value of the shipped frameworks from the datasets and reports."""
    p = context(ctx).platform
    with err.status(f"computing on {engine or p.store.dialect}…"):
        summary = compute.compute_all(p.store, engine, workdir=snapshots)
    result = {k: v for k, v in summary.as_dict().items() if k != "cells"}
    if context(ctx).as_json:
        show(ctx, result)
        return
    years = f"{summary.years[0]}–{summary.years[-1]}" if summary.years else "no year"
    out.print(
        f"[green]indicators: {summary.values:,} values ({summary.changed:,} changed) from "
        f"{summary.facts:,} facts, {years}, in {summary.seconds:.1f} s on {summary.engine}[/green]"
    )
    if summary.missing_datasets:
        out.print(f"datasets not loaded yet: {', '.join(summary.missing_datasets)}")
    if summary.unresolved_units:
        shown = ", ".join(summary.unresolved_units[:10])
        out.print(f"[yellow]unit codes not found: {shown}[/yellow]")


@app.command("frameworks")
def frameworks_cmd(ctx: typer.Context) -> None:
    """The shipped frameworks, and the share of their components computed from platform data."""
    rows = []
    for fw in loader.load_shipped().frameworks.values():
        cov = fw.coverage()
        rows.append(
            {
                "code": fw.code,
                "title": fw.title,
                "indicators": len(fw.indicators),
                "components": f"{cov['components_listed']}/{cov['components_official'] or '?'}",
                "computed": f"{cov['share_computed']:.1%}",
            }
        )
    show(ctx, rows)


@app.command("check")
def check_cmd(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Check framework files (with the shipped ones, which they may refer to)."""
    shipped = {p.name for p in files}
    paths = [p for p in loader.shipped_paths() if p.name not in shipped] + list(files)
    registry = loader.load_paths(paths)
    out.print(
        f"[green]ok[/green]: {len(registry.indicators)} indicators, "
        f"{len(registry.elements)} data elements"
    )


@app.command("report")
def report_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    member: Annotated[
        str | None, typer.Option(help="the reporting member, e.g. GOV/H31 (default: platform)")
    ] = None,
) -> None:
    """Report values from a CSV: element, unit, period, value, source, method[, note]."""
    p = context(ctx).platform
    rows = reported.parse_csv(file.read_text(encoding="utf-8"))
    show(ctx, live.report(p, operator(), rows, member))
