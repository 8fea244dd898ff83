"""`lienthong report quarterly --province 31 --quarter 2025-Q4 --out report.pdf`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lienthong.core.console import context, out

app = typer.Typer(help="Reports: the quarterly scoreboard as an A4 PDF.", no_args_is_help=True)


@app.command("quarterly")
def quarterly(
    ctx: typer.Context,
    quarter: Annotated[str, typer.Option(help="the quarter, e.g. 2025-Q4")],
    out_path: Annotated[Path, typer.Option("--out", help="where to write the PDF")],
    province: Annotated[str, typer.Option(help="province code (31 is Hải Phòng)")] = "31",
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
) -> None:
    """Write the quarter's report as an A4 PDF, with charts and tables."""
    from lienthong.reports import pdf  # WeasyPrint and vl-convert load only when needed

    if lang not in ("vi", "en"):
        raise typer.BadParameter("lang is vi or en")
    size = pdf.write(context(ctx).platform, province, quarter, out_path, lang)
    out.print(f"wrote {out_path} ({size:,} bytes) for province {province}, {quarter}")
