"""The scoreboard's routes, gathered into one router for the app to include."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.staticfiles import StaticFiles

from lienthong.web.pages import auth, catalog, exchange, indicators, live, overview, plan, rankings
from lienthong.web.render import STATIC

router = APIRouter(include_in_schema=False)
for part in (overview, rankings, indicators, catalog, exchange, plan, auth, live):
    router.include_router(part.router)


def static_files() -> StaticFiles:
    """The stylesheet, script and icon, for `app.mount("/static", ...)`."""
    return StaticFiles(directory=str(STATIC))
