"""The `lienthong` command: assembles every part's commands."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from pydantic import ValidationError

from lienthong.audit.cli import app as audit_app
from lienthong.bootstrap import build_platform
from lienthong.catalog.cli import app as dataset_app
from lienthong.core import migrate
from lienthong.core.console import CliContext, context, err, out, show
from lienthong.core.errors import LienthongError
from lienthong.core.settings import get_settings
from lienthong.demo.cli import ScaleOpt, SeedOpt, load_cmd
from lienthong.demo.cli import app as demo_app
from lienthong.demo.load import DEFAULT_SEED
from lienthong.demo.setup import setup_cmd
from lienthong.exchange.cli import exchange_app, gateway_app
from lienthong.indicators.cli import app as indicators_app
from lienthong.indicators.cli import compute_cmd
from lienthong.programs.cli import app as programs_app
from lienthong.registry.auth import init_platform, initialised
from lienthong.registry.cli import key_app, member_app, user_app
from lienthong.reports.cli import app as report_app
from lienthong.units.cli import app as units_app
from lienthong.units.cli import load_cmd as units_load_cmd
from lienthong.warehouse.cli import export_cmd, ingest_cmd

app = typer.Typer(
    help="lienthong — nền tảng tích hợp, chia sẻ dữ liệu dùng chung (shared-data platform).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(member_app, name="member")
app.add_typer(user_app, name="user")
app.add_typer(key_app, name="key")
app.add_typer(audit_app, name="audit")
app.add_typer(dataset_app, name="dataset")
app.add_typer(programs_app, name="programs")
app.add_typer(units_app, name="units")
app.add_typer(indicators_app, name="indicators")
app.add_typer(exchange_app, name="exchange")
app.add_typer(gateway_app, name="gateway")
demo_app.command("setup")(setup_cmd)
app.add_typer(demo_app, name="demo")
app.add_typer(report_app, name="report")
app.command("ingest")(ingest_cmd)
app.command("export")(export_cmd)


@app.callback()
def root(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of tables")] = False,
) -> None:
    ctx.obj = CliContext(factory=lambda: build_platform(get_settings()), as_json=as_json)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply pending migrations."""
    store = context(ctx).platform.store
    migrate.upgrade(store)
    out.print(f"database at revision {migrate.current(store)} ({store.dialect})")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Show the schema revision."""
    store = context(ctx).platform.store
    out.print(f"{migrate.current(store)} (newest: {migrate.head()})")


@app.command("init")
def init(
    ctx: typer.Context,
    admin: Annotated[str, typer.Option(help="username of the first platform admin")] = "admin",
    name: Annotated[str, typer.Option(help="their full name")] = "Quản trị nền tảng",
    if_needed: Annotated[
        bool, typer.Option("--if-needed", help="do nothing if the platform is initialised")
    ] = False,
) -> None:
    """Create the first platform admin and print its API key once."""
    p = context(ctx).platform
    migrate.upgrade(p.store)
    if if_needed:
        with p.store.read() as conn:
            if initialised(conn):
                out.print("platform already initialised; its admin key was printed at init")
                return
    with p.store.write() as conn:
        result = init_platform(conn, p.audit, p.settings.instance, admin, name, "init")
    if context(ctx).as_json:
        show(ctx, result)
        return
    out.print(f"platform admin [bold]{admin}[/bold] created.")
    out.print("API key (shown once, store it now):")
    typer.echo(result["key"]["token"])


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    migrate_first: Annotated[bool, typer.Option("--migrate/--no-migrate")] = True,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 1,
    demo_traffic: Annotated[
        bool, typer.Option("--demo-traffic", help="ingest synthetic dossiers every few seconds")
    ] = False,
) -> None:
    """Serve the platform over HTTP (uvicorn). Applies migrations first."""
    import uvicorn

    from lienthong.app import configure_logging, create_app

    settings = get_settings()
    platform = build_platform(settings)
    if migrate_first:
        migrate.upgrade(platform.store)
    configure_logging(settings)
    out.print(
        f"lienthong serving on http://{host}:{port} — API docs at /docs ({platform.store.dialect})"
    )
    traffic = None
    if demo_traffic:
        from lienthong.demo.traffic import Traffic

        traffic = Traffic(platform, f"http://{host}:{port}").start()
        out.print("synthetic demo traffic: new dossiers and a customs–port exchange every 3 s")
    try:
        if workers > 1:
            uvicorn.run(
                "lienthong.app:create_app",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                access_log=False,  # RequestContext logs each request already
                server_header=False,
            )
        else:
            app = create_app(settings, platform)
            # X-Road filters the Server header: do not add one (nor above)
            uvicorn.run(app, host=host, port=port, access_log=False, server_header=False)
    finally:
        if traffic:
            traffic.stop()


@demo_app.callback(invoke_without_command=True, no_args_is_help=False)
def demo(
    ctx: typer.Context,
    scale: ScaleOpt = None,
    seed: SeedOpt = DEFAULT_SEED,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="serve it with live synthetic traffic")
    ] = True,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
) -> None:
    """The whole demo, from nothing: init, units, every pack, the plans and keys, the
    indicators, then the scoreboard served with live traffic (`make demo` runs this)."""
    if ctx.invoked_subcommand is not None:
        return
    init(ctx, if_needed=True)
    units_load_cmd(ctx)
    load_cmd(ctx, scale=scale, seed=seed, keep_files=None, only=None)
    setup_cmd(ctx)
    compute_cmd(ctx, engine=None, snapshots=None)
    if serve_after:
        serve(host=host, port=port, demo_traffic=True)


def main() -> None:
    try:
        app()
    except LienthongError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        for field, msgs in exc.errors.items():
            err.print(f"  {field}: {'; '.join(msgs)}")
        sys.exit(exc.exit_code)
    except ValidationError as exc:
        for e in exc.errors():
            loc = ".".join(str(x) for x in e["loc"]) or "input"
            err.print(f"[red]error:[/red] {loc}: {e['msg']}")
        sys.exit(2)


if __name__ == "__main__":
    main()
