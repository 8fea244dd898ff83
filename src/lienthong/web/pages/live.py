"""The SSE endpoint open pages listen on."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse

from lienthong.web import live

router = APIRouter(include_in_schema=False)

PING_SECONDS = 15  # under the idle timeout of the usual reverse proxies


@router.get("/live/events")
async def events(request: Request) -> EventSourceResponse:
    """Change events as Server-Sent Events; the page re-reads what changed."""
    hub = live.hub_for(request)
    return EventSourceResponse(
        live.stream(request, hub),
        ping=PING_SECONDS,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
