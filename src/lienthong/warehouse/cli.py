"""`lienthong ingest` and `lienthong export`: records in and out from the console."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from lienthong.core.console import context, err, operator, out, show
from lienthong.core.errors import ValidationFailed
from lienthong.warehouse import export, reads
from lienthong.warehouse.ingest import IngestFailed, Source, ingest, write_rejects
from lienthong.warehouse.writer import Mode


class RowsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "… rows/s", style="cyan")


def ingest_cmd(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="dataset name")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    mode: Annotated[Mode, typer.Option(help="insert, upsert, update or replace")] = Mode.INSERT,
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv, tsv, xlsx, json, ndjson, parquet")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="e.g. utf-8, windows-1258, tcvn3, vni")
    ] = None,
    reject_file: Annotated[
        Path | None, typer.Option(help="set bad rows aside in this CSV instead of failing")
    ] = None,
) -> None:
    """Load a file into a dataset: validated, all-or-nothing unless --reject-file is given."""
    p = context(ctx).platform
    src = Source.file(file, fmt, encoding)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} rows"),
        RowsPerSecond(),
        TimeElapsedColumn(),
        console=err,
        transient=context(ctx).as_json,
    ) as bar:
        task = bar.add_task(f"ingesting {file.name}", total=None)
        try:
            report = ingest(
                p,
                operator(),
                dataset,
                src,
                mode,
                reject=reject_file is not None,
                progress=lambda n: bar.update(task, completed=n),
            )
        except IngestFailed as exc:
            bar.stop()
            _print_failure(exc)
            raise typer.Exit(exc.exit_code) from None
    if reject_file is not None:
        # in file order: the ingestion finds malformed rows and key clashes apart
        write_rejects(reject_file, sorted(report["rejected"], key=lambda r: int(r["row"])))
    if context(ctx).as_json:
        show(ctx, {k: v for k, v in report.items() if k != "rejected"})
        return
    out.print(
        f"[green]{report['inserted']:,} inserted, {report['updated']:,} updated[/green] "
        f"from {report['rows_read']:,} rows in {report['seconds']:.2f} s "
        f"({report['rows_per_second'] or 0:,} rows/s); dataset now holds {report['record_count']:,}"
    )
    for note in report["notes"]:
        out.print(f"  note: {note}")
    if report["rejected_count"]:
        out.print(f"[yellow]{report['rejected_count']:,} rows set aside in {reject_file}[/yellow]")


def _print_failure(exc: IngestFailed) -> None:
    err.print(f"[red]error:[/red] {exc.message}")
    for e in exc.report["errors"][:20]:
        err.print(f"  row {e['row']:,}, column `{e['field']}`: '{e['value']}' {e['reason']}")
    more = exc.report["error_count"] - min(20, len(exc.report["errors"]))
    if more > 0:
        err.print(f"  … and {more:,} more:")
        for r in exc.report["by_reason"][:10]:
            err.print(f"    {r['count']:,} × `{r['field']}` {r['reason']}")


def export_cmd(
    ctx: typer.Context,
    dataset: str,
    output: Annotated[Path, typer.Option("--out", help="file to write")],
    fmt: Annotated[str, typer.Option("--format", help="csv, ndjson, parquet or xlsx")] = "csv",
    where: Annotated[
        list[str] | None, typer.Option(help="filter field=value (or field__gte=…)")
    ] = None,
    q: Annotated[str | None, typer.Option(help="full-text search")] = None,
) -> None:
    """Write a dataset's records (optionally filtered) to a file."""
    if fmt not in export.MEDIA_TYPES:
        raise ValidationFailed(f"format is one of {', '.join(export.MEDIA_TYPES)}")
    params: dict[str, str] = {"q": q} if q else {}
    for w in where or []:
        key, sep, value = w.partition("=")
        if not sep:
            raise ValidationFailed(f"--where takes field=value, not '{w}'")
        params[key] = value
    fields, kinds, chunks = reads.read_all(context(ctx).platform, operator(), dataset, params)
    with output.open("wb") as fh:
        for part in export.stream(fmt, fields, kinds, chunks):
            fh.write(part)
    out.print(f"wrote {output}")
