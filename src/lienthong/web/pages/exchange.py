"""The exchange monitor (members only): services, traffic, errors, pending requests."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from lienthong.core.errors import Unauthenticated
from lienthong.web import svg
from lienthong.web.render import Web, render
from lienthong.web.routing import WebRoute
from lienthong.web.sources import exchange

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/exchange")
def exchange_page(ctx: Web) -> Response:
    """Who exchanges what with whom is for members' eyes: log in first."""
    if ctx.principal is None:
        raise Unauthenticated("log in to see the exchange monitor")
    mon = exchange.monitor(ctx.platform, ctx.principal)
    label = ctx.t("ex.hourly_label")
    chart = (
        svg.line_chart(
            [svg.Series("requests", [(p.period, p.value) for p in mon.hourly])], label, ctx.t.number
        )
        if any(p.value for p in mon.hourly)
        else ""
    )
    return render(ctx, "exchange.html", mon=mon, chart=chart)
