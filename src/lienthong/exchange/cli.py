"""`lienthong exchange ...` (services, groups, rights, requests, limits, stats, once-only)
and `lienthong gateway serve` (the /r1 proxy on its own)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from lienthong.core.console import context, operator, out, show
from lienthong.exchange import access_requests, metrics, onceonly, openapi, rights, services
from lienthong.exchange.config import GatewaySettings
from lienthong.exchange.limits_admin import set_limits
from lienthong.exchange.models import (
    AccessRequestIn,
    DecisionIn,
    EndpointIn,
    GroupIn,
    LimitsIn,
    RightIn,
    ServiceIn,
)

exchange_app = typer.Typer(
    help="The data exchange: services, rights, requests.", no_args_is_help=True
)
service_app = typer.Typer(help="Provider services.", no_args_is_help=True)
group_app = typer.Typer(help="Groups of client subsystems.", no_args_is_help=True)
right_app = typer.Typer(help="Access rights (deny by default).", no_args_is_help=True)
request_app = typer.Typer(help="Access requests and decisions.", no_args_is_help=True)
exchange_app.add_typer(service_app, name="service")
exchange_app.add_typer(group_app, name="group")
exchange_app.add_typer(right_app, name="right")
exchange_app.add_typer(request_app, name="request")
gateway_app = typer.Typer(help="The X-Road REST r1 gateway.", no_args_is_help=True)

SERVICE_COLUMNS = ["id", "title", "endpoints", "subject_keys", "disabled"]
RIGHT_COLUMNS = ["id", "service", "endpoint", "client", "group", "purpose", "expires_at", "active"]
REQUEST_COLUMNS = ["id", "service", "client", "state", "age_working_days", "due_on", "overdue"]


def _openapi(source: str | None) -> openapi.OpenApiDoc | None:
    if source is None:
        return None
    if source.startswith(("http://", "https://")):
        return openapi.fetch(source)
    return openapi.parse(Path(source).read_text(encoding="utf-8"), source="upload")


def _expiry(text: str | None, default_days: int = 365) -> datetime:
    if text is None:
        return datetime.now(UTC) + timedelta(days=default_days)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@service_app.command("add")
def service_add(
    ctx: typer.Context,
    provider: Annotated[str, typer.Argument(help="CLASS/CODE/SUBSYSTEM, e.g. COM/0200236845/TOS")],
    code: Annotated[str, typer.Argument(help="the service code")],
    upstream: Annotated[str, typer.Option(help="the upstream base URL")],
    title: Annotated[str | None, typer.Option()] = None,
    openapi_source: Annotated[
        str | None, typer.Option("--openapi", help="a JSON/YAML file, or a URL fetched now")
    ] = None,
    endpoint: Annotated[
        list[str] | None, typer.Option(help='"GET /containers/*"; repeat; default: from OpenAPI')
    ] = None,
    subject_key: Annotated[
        list[str] | None, typer.Option(help="citizen_id or tax_code, for once-only lookups")
    ] = None,
) -> None:
    """Register a provider service."""
    p = context(ctx).platform
    body = ServiceIn(
        provider=provider,
        code=code,
        title=title or code,
        upstream_url=upstream,
        endpoints=[EndpointIn.parse(e) for e in endpoint] if endpoint else None,
        subject_keys=subject_key or [],
    )
    doc = _openapi(openapi_source)
    with p.store.write() as conn:
        view = services.create_service(conn, p.audit, operator(), p.settings.instance, body, doc)
    show(ctx, view, SERVICE_COLUMNS)


@service_app.command("list")
def service_list(
    ctx: typer.Context, provider: Annotated[str | None, typer.Option()] = None
) -> None:
    p = context(ctx).platform
    with p.store.read() as conn:
        views = services.list_services(conn, p.settings.instance, operator(), provider)
    show(ctx, views, SERVICE_COLUMNS)


@service_app.command("show")
def service_show(ctx: typer.Context, ref: str) -> None:
    """One service: CLASS/CODE/SUBSYSTEM/SERVICE."""
    p = context(ctx).platform
    with p.store.read() as conn:
        view = services.service_view(
            conn, services.get_service(conn, p.settings.instance, ref), operator()
        )
    show(ctx, view)


@service_app.command("remove")
def service_remove(ctx: typer.Context, ref: str) -> None:
    p = context(ctx).platform
    with p.store.write() as conn:
        services.delete_service(
            conn, p.audit, operator(), services.get_service(conn, p.settings.instance, ref)
        )
    show(ctx, {"removed": ref})


@group_app.command("create")
def group_create(ctx: typer.Context, owner: str, code: str, description: str = "") -> None:
    """A group owned by an organisation (CLASS/CODE)."""
    p = context(ctx).platform
    with p.store.write() as conn:
        view = rights.create_group(
            conn,
            p.audit,
            operator(),
            p.settings.instance,
            GroupIn(owner=owner, code=code, description=description),
        )
    show(ctx, view)


@group_app.command("add")
def group_add(ctx: typer.Context, group: str, subsystem: str) -> None:
    """Add a client subsystem (CLASS/CODE/SUB) to a group (CLASS/CODE/GROUP)."""
    _group_member(ctx, group, subsystem, True)


@group_app.command("remove")
def group_remove(ctx: typer.Context, group: str, subsystem: str) -> None:
    _group_member(ctx, group, subsystem, False)


def _group_member(ctx: typer.Context, group: str, subsystem: str, present: bool) -> None:
    p = context(ctx).platform
    inst = p.settings.instance
    with p.store.write() as conn:
        row = rights.get_group(conn, inst, group)
        view = rights.set_group_member(conn, p.audit, operator(), inst, row, subsystem, present)
    show(ctx, view)


@group_app.command("list")
def group_list(ctx: typer.Context) -> None:
    with context(ctx).platform.store.read() as conn:
        show(ctx, rights.list_groups(conn))


@right_app.command("grant")
def right_grant(
    ctx: typer.Context,
    service: Annotated[str, typer.Argument(help="CLASS/CODE/SUBSYSTEM/SERVICE")],
    purpose: Annotated[str, typer.Option(help="why the client needs the data")],
    client: Annotated[str | None, typer.Option(help="CLASS/CODE/SUBSYSTEM")] = None,
    group: Annotated[str | None, typer.Option(help="CLASS/CODE/GROUP")] = None,
    endpoint: Annotated[
        str | None, typer.Option(help='one endpoint, e.g. "GET /containers/*"')
    ] = None,
    expires: Annotated[
        str | None, typer.Option(help="ISO date-time; default a year from now")
    ] = None,
) -> None:
    """Grant a client or a group a whole service or one endpoint."""
    p = context(ctx).platform
    body = RightIn(
        service=service,
        endpoint=EndpointIn.parse(endpoint) if endpoint else None,
        client=client,
        group=group,
        purpose=purpose,
        expires_at=_expiry(expires),
    )
    with p.store.write() as conn:
        view = rights.grant(conn, p.audit, operator(), p.settings.instance, body)
    show(ctx, view, RIGHT_COLUMNS)


@right_app.command("list")
def right_list(
    ctx: typer.Context,
    service: Annotated[str | None, typer.Option()] = None,
    active: Annotated[bool, typer.Option("--active")] = False,
) -> None:
    p = context(ctx).platform
    with p.store.read() as conn:
        show(ctx, rights.list_rights(conn, p.settings.instance, service, active), RIGHT_COLUMNS)


@right_app.command("revoke")
def right_revoke(ctx: typer.Context, right_id: int) -> None:
    p = context(ctx).platform
    with p.store.write() as conn:
        show(ctx, rights.revoke(conn, p.audit, operator(), right_id), RIGHT_COLUMNS)


@request_app.command("file")
def request_file(
    ctx: typer.Context,
    service: str,
    client: Annotated[str, typer.Option(help="the client subsystem, CLASS/CODE/SUB")],
    purpose: Annotated[str, typer.Option()],
    endpoint: Annotated[str | None, typer.Option()] = None,
    justification: str = "",
) -> None:
    """File an access request on behalf of a client subsystem."""
    p = context(ctx).platform
    body = AccessRequestIn(
        service=service,
        client=client,
        purpose=purpose,
        endpoint=EndpointIn.parse(endpoint) if endpoint else None,
        justification=justification,
    )
    with p.store.write() as conn:
        view = access_requests.file_request(conn, p.audit, operator(), p.settings.instance, body)
    show(ctx, view, REQUEST_COLUMNS)


@request_app.command("list")
def request_list(
    ctx: typer.Context, pending: Annotated[bool, typer.Option("--pending")] = False
) -> None:
    """Oldest first, with their age in working days (a decision is due within 2)."""
    p = context(ctx).platform
    with p.store.read() as conn:
        views = access_requests.list_requests(
            conn, operator(), "pending" if pending else None, GatewaySettings().holidays
        )
    show(ctx, views, REQUEST_COLUMNS)


@request_app.command("approve")
def request_approve(
    ctx: typer.Context,
    request_id: int,
    reason: Annotated[str | None, typer.Option()] = None,
    expires: Annotated[str | None, typer.Option()] = None,
) -> None:
    p = context(ctx).platform
    body = DecisionIn(reason=reason, expires_at=_expiry(expires) if expires else None)
    with p.store.write() as conn:
        view = access_requests.approve(
            conn, p.audit, operator(), p.settings.instance, request_id, body
        )
    show(ctx, view, [*REQUEST_COLUMNS, "right_id"])


@request_app.command("refuse")
def request_refuse(
    ctx: typer.Context, request_id: int, reason: Annotated[str, typer.Option()]
) -> None:
    p = context(ctx).platform
    with p.store.write() as conn:
        view = access_requests.refuse(conn, p.audit, operator(), request_id, reason)
    show(ctx, view, [*REQUEST_COLUMNS, "reason"])


@exchange_app.command("limits")
def limits_cmd(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(help="CLASS/CODE/SUBSYSTEM")],
    rate: Annotated[float, typer.Option(help="requests per second")],
    burst: Annotated[int, typer.Option()],
    quota: Annotated[int, typer.Option(help="requests per UTC day")],
) -> None:
    """Set a client's rate limit, burst and daily quota."""
    p = context(ctx).platform
    body = LimitsIn(rate_per_second=rate, burst=burst, daily_quota=quota)
    with p.store.write() as conn:
        show(ctx, set_limits(conn, p.audit, operator(), p.settings.instance, client, body))


@exchange_app.command("stats")
def stats_cmd(ctx: typer.Context, minutes: int = 60) -> None:
    """Per service: requests, error rates, latency percentiles."""
    with context(ctx).platform.store.read() as conn:
        result = metrics.stats(conn, minutes)
    if context(ctx).as_json:
        show(ctx, result)
        return
    rows = [
        {**s, **{k: s["latency_ms"][k] for k in ("p50", "p95", "p99")}} for s in result["services"]
    ]
    show(ctx, rows, ["service", "requests", "error_rate", "p50", "p95", "p99"])


@exchange_app.command("once-only")
def once_only_cmd(ctx: typer.Context, subject: str) -> None:
    """Which datasets and services hold data about a citizen ID or tax code (audited)."""
    p = context(ctx).platform
    show(ctx, onceonly.lookup(p, operator(), subject))


@gateway_app.command("serve")
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8080,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 1,
) -> None:
    """Serve /r1 (and /listClients, /metrics, /healthz) alone: uvicorn, httptools, uvloop."""
    from lienthong.exchange.server import run

    out.print(f"gateway on http://{host}:{port}/r1 with {workers} worker(s)")
    run(host, port, workers)


def main() -> None:
    from lienthong.cli import app
    from lienthong.cli import main as lienthong_main

    names = {g.name for g in app.registered_groups}
    if "exchange" not in names:
        app.add_typer(exchange_app, name="exchange")
    if "gateway" not in names:
        app.add_typer(gateway_app, name="gateway")
    lienthong_main()


if __name__ == "__main__":
    main()
