"""`lienthong audit ...`: verify the chain offline, read it, sign a checkpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lienthong.audit.chain import load_public_key
from lienthong.audit.service import Auditor, list_entries
from lienthong.audit.verify import verify
from lienthong.core.console import context, err, out, show

app = typer.Typer(help="The append-only audit log.", no_args_is_help=True)


@app.command("verify")
def verify_cmd(
    ctx: typer.Context,
    public_key: Annotated[
        Path | None,
        typer.Option(
            help="PEM file of the signing key's public half (default: the configured key)"
        ),
    ] = None,
) -> None:
    """Check every link and every signed checkpoint. Exits 1 on the first broken one."""
    platform = context(ctx).platform
    key_path = public_key or platform.settings.signing_key_file
    if not key_path.exists():
        err.print(f"[red]no key at {key_path}: give --public-key[/red]")
        raise typer.Exit(2)
    with out.status("verifying the audit chain…"):
        report = verify(platform.store, load_public_key(key_path))
    if report.ok:
        out.print(
            f"[green]ok[/green]: {report.entries:,} entries, {report.checkpoints:,} signed "
            f"checkpoints, chain intact up to entry {report.last_seq:,}"
        )
        return
    err.print(f"[red]BROKEN[/red]: {report.first_problem}")
    for p in report.problems[1:]:
        err.print(f"  also: {p}")
    raise typer.Exit(1)


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    after: Annotated[int, typer.Option(min=0)] = 0,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    action: Annotated[str | None, typer.Option(help="action prefix, e.g. key.")] = None,
) -> None:
    """Entries oldest first."""
    with context(ctx).platform.store.read() as conn:
        rows = list_entries(conn, after=after, limit=limit, action_prefix=action)
    show(ctx, rows, ["seq", "ts", "actor", "action", "target", "details"])


@app.command("checkpoint")
def checkpoint_cmd(ctx: typer.Context) -> None:
    """Sign the chain's tip now."""
    platform = context(ctx).platform
    assert isinstance(platform.audit, Auditor)
    with platform.store.write() as conn:
        seq = platform.audit.checkpoint(conn, force=True)
    out.print(f"signed checkpoint at entry {seq:,}" if seq else "nothing new to sign")


@app.command("public-key")
def public_key_cmd(ctx: typer.Context) -> None:
    """Print the public half of the signing key, for verifying elsewhere."""
    platform = context(ctx).platform
    assert isinstance(platform.audit, Auditor)
    typer.echo(platform.audit.signer.public_pem(), nl=False)
