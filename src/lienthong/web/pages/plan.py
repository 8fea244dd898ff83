"""The action plan: a place kept for the programs part (issue 7 fills it)."""

from __future__ import annotations

import importlib
import logging
from datetime import date
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from lienthong.web.render import Web, render
from lienthong.web.routing import WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)
log = logging.getLogger("lienthong.web.plan")


@router.get("/plan")
def plan_page(ctx: Web) -> Response:
    """Plans with their roll-up when the programs part holds any; otherwise say so."""
    return render(ctx, "plan.html", plans=_plans(ctx))


def _plans(ctx: Web) -> list[dict[str, Any]]:
    try:
        service = importlib.import_module("lienthong.programs.service")
    except ImportError:
        return []
    try:
        with ctx.platform.store.read() as conn:
            return list(service.list_plans(conn, date.today()))
    except Exception:  # the programs part is still being built: its shape may change
        log.warning("action plans not readable yet", exc_info=True)
        return []
