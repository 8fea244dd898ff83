"""The province overview: headline figures against their targets."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from lienthong.web.render import Web, render
from lienthong.web.routing import WebRoute
from lienthong.web.sources import overview

router = APIRouter(route_class=WebRoute, include_in_schema=False)

PROVINCE = "31"  # Hải Phòng: the platform's first user


@router.get("/")
@router.get("/overview")
def overview_page(ctx: Web) -> Response:
    figures = overview.figures(ctx.platform, PROVINCE)
    return render(ctx, "overview.html", figures=figures, province=PROVINCE)
