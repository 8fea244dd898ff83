"""Pages answer errors as pages: a person gets HTML in their language, not problem JSON."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from lienthong.core.errors import LienthongError, Unauthenticated
from lienthong.web import render as r

log = logging.getLogger("lienthong.web")


class WebRoute(APIRoute):
    """An APIRoute whose domain and validation errors become HTML error pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except Unauthenticated:
                return login_redirect(request)
            except LienthongError as exc:
                return await run_in_threadpool(error_page, request, exc.status, exc.message)
            except RequestValidationError as exc:
                detail = "; ".join(_describe(e) for e in exc.errors())
                return await run_in_threadpool(error_page, request, 422, detail)

        return guarded


def _describe(error: object) -> str:
    if not isinstance(error, dict):
        return str(error)[:200]
    where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body"))
    return f"{where}: {error.get('msg', 'invalid')}"[:200]


def login_redirect(request: Request) -> Response:
    """Send a visitor to the login page, coming back here afterwards."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    response = RedirectResponse(f"/login?next={_quote(target)}", status_code=303)
    response.headers.update(r.SECURITY_HEADERS)
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="/")


def error_page(request: Request, status: int, message: str) -> Response:
    ctx = r.web_context(request)
    titles = {403: "error.403", 404: "error.404", 422: "error.422", 401: "error.401"}
    key = titles.get(status, "error.other")
    return r.render(ctx, "error.html", status=status, title_key=key, message=message[:500])


def safe_next(target: str | None) -> str:
    """A local path to go back to: anything that could leave the site becomes "/".

    >>> safe_next("/datasets?q=x"), safe_next("//evil.example"), safe_next("https://x")
    ('/datasets?q=x', '/', '/')
    >>> safe_next("/\\\\evil.example"), safe_next("/ok\\r\\nSet-Cookie: a=b")
    ('/', '/')
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(c in target for c in "\\\r\n\t\x00") or len(target) > 2000:
        return "/"
    return target
