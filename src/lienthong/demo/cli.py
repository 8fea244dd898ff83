"""`lienthong demo …`: load the Hải Phòng packs, write them as files, show the figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table as RichTable

from lienthong.core.console import context, err, operator, out, show
from lienthong.demo import load as loader
from lienthong.demo.figures import FIGURES, Figure
from lienthong.demo.packs import PACKS
from lienthong.demo.packs.base import Table

app = typer.Typer(help="The Hải Phòng demo: sector packs of synthetic data.", no_args_is_help=True)

ScaleOpt = Annotated[
    float | None,
    typer.Option(
        help="multiplier of the articles' scales, 0.01–10; default: tables up to "
        f"{loader.LARGE:,} rows at 1×, larger ones at {loader.DEFAULT_LARGE_SCALE}×",
        min=0.01,
        max=10.0,
    ),
]
SeedOpt = Annotated[int, typer.Option(help="the seed: the same seed gives the same data")]


class Bars:
    """Rich progress bars: one for the whole load, one for each table (rows generated, then
    rows ingested, so each table's bar counts twice its rows)."""

    def __init__(self, bar: Progress, total_rows: int, ingesting: bool) -> None:
        self.bar, self.ingesting = bar, ingesting
        self.weight = 2 if ingesting else 1
        self.overall = bar.add_task("[bold]all packs", total=total_rows * self.weight)
        self.task: TaskID | None = None
        self.ingested_rows = 0

    def begin(self, table: Table, rows: int) -> None:
        self.task = self.bar.add_task(f"  {table.name}", total=rows * self.weight)
        self.ingested_rows = 0

    def generated(self, rows: int) -> None:
        self._advance(rows)

    def ingested(self, rows: int) -> None:
        # ingestion reports its running total (and starts again if it retries)
        self._advance(max(0, rows - self.ingested_rows))
        self.ingested_rows = max(rows, self.ingested_rows)

    def end(self, table: Table, result: loader.TableResult) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=result.rows * self.weight, visible=False)

    def _advance(self, n: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, n)
        self.bar.advance(self.overall, n)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
    )


@app.command("load")
def load_cmd(
    ctx: typer.Context,
    scale: ScaleOpt = None,
    seed: SeedOpt = loader.DEFAULT_SEED,
    keep_files: Annotated[
        Path | None, typer.Option(help="keep the generated CSV files in this directory")
    ] = None,
    only: Annotated[list[str] | None, typer.Option(help="load only this dataset")] = None,
) -> None:
    """Register the owner agencies, create the datasets and load every pack."""
    p = context(ctx).platform
    counts = loader.row_counts(scale)
    total = sum(n for name, n in counts.items() if not only or name in only)
    with _progress() as bar:
        report = loader.load(p, operator(), scale, seed, Bars(bar, total, True), keep_files, only)
    if context(ctx).as_json:
        show(ctx, _summary(report))
        return
    _print_report(report)


@app.command("generate")
def generate_cmd(
    out_dir: Annotated[Path, typer.Argument(help="directory for <dataset>.csv files")],
    scale: ScaleOpt = None,
    seed: SeedOpt = loader.DEFAULT_SEED,
) -> None:
    """Write every pack as CSV files, without a database (same rows as `demo load`)."""
    total = sum(loader.row_counts(scale).values())
    with _progress() as bar:
        results = loader.generate_files(out_dir, seed, scale, progress=Bars(bar, total, False))
    rows = sum(r.rows for r in results)
    size = sum(r.bytes for r in results)
    out.print(f"[green]{rows:,} rows in {len(results)} files ({size / 1e6:,.1f} MB)[/green]")


@app.command("plan")
def plan_cmd(ctx: typer.Context, scale: ScaleOpt = None) -> None:
    """Show each pack's tables, owners and row counts at a scale (and at 1×)."""
    counts, full = loader.row_counts(scale), loader.row_counts(1.0)
    rows = [
        {
            "pack": pack.key,
            "dataset": t.name,
            "owner": t.owner.ref,
            "classification": t.classification,
            "rows": counts[t.name],
            "rows_at_1x": full[t.name],
        }
        for pack in PACKS
        for t in pack.tables
    ]
    show(ctx, rows)


@app.command("figures")
def figures_cmd(ctx: typer.Context) -> None:
    """The figures reported by the source articles, with their sources."""
    rows = [
        {
            "key": f.key,
            "value": _value(f),
            "period": f.period,
            "area": f.area,
            "source": f"seeds/{f.article.file} ({f.article.published})",
        }
        for f in FIGURES
    ]
    show(ctx, rows)


def _value(f: Figure) -> str:
    upper = f"–{f.upper:g}" if f.upper is not None else ""
    return f"{f.qualifier} {f.value:g}{upper} {f.unit}".strip()


def _summary(report: loader.LoadReport) -> dict[str, object]:
    return {
        "seed": report.seed,
        "scale": report.scale,
        "communes": report.communes_source,
        "members_created": report.members_created,
        "rows": report.rows,
        "seconds": round(report.seconds, 1),
        "tables": [vars(t) for t in report.tables],
    }


def _print_report(report: loader.LoadReport) -> None:
    table = RichTable("dataset", "rows", "generate s", "ingest s", "mode")
    for t in report.tables:
        table.add_row(
            t.name, f"{t.rows:,}", f"{t.generate_seconds:.1f}", f"{t.ingest_seconds:.1f}", t.mode
        )
    out.print(table)
    scale = "demo default" if report.scale is None else f"{report.scale:g}×"
    out.print(
        f"[green]{report.rows:,} synthetic and reported rows in {len(report.tables)} datasets, "
        f"{report.seconds:.1f} s[/green] (scale {scale}, seed {report.seed}, communes from "
        f"{report.communes_source}; {len(report.members_created)} members created)"
    )
