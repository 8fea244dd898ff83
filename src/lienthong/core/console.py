"""What every part's commands share: the platform, the operator, output."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from lienthong.core.auth import Principal, local_operator
from lienthong.core.platform import Platform

out = Console()
err = Console(stderr=True)


@dataclass
class CliContext:
    factory: Callable[[], Platform]
    as_json: bool = False
    _platform: Platform | None = field(default=None, repr=False)

    @property
    def platform(self) -> Platform:
        if self._platform is None:
            self._platform = self.factory()
        return self._platform


def context(ctx: typer.Context) -> CliContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliContext), "the root command sets the context"
    return obj


def operator() -> Principal:
    """The console operator: whoever can reach the database acts as platform admin."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "operator"
    return local_operator(name)


def show(ctx: typer.Context, value: Any, columns: Sequence[str] | None = None) -> None:
    """Print a record or a list of records as a table, or as JSON with --json."""
    if context(ctx).as_json:
        out.print_json(json.dumps(value, default=str, ensure_ascii=False))
        return
    rows = value if isinstance(value, list) else [value]
    if not rows:
        out.print("[dim](none)[/dim]")
        return
    cols = list(columns or rows[0].keys())
    table = Table(*cols)
    for r in rows:
        table.add_row(*(_cell(r.get(c)) for c in cols))
    out.print(table)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return ", ".join(_cell(x) for x in v)
    if isinstance(v, dict):
        return " ".join(f"{k}={_cell(x)}" for k, x in v.items() if x is not None)
    return str(v)
