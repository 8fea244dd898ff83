"""Logging in and out with a password, and switching language."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Query
from starlette.responses import RedirectResponse, Response

from lienthong.web import session as sessions
from lienthong.web.i18n import LANG_COOKIE, LANGS
from lienthong.web.render import SECURITY_HEADERS, Web, finish, render
from lienthong.web.routing import WebRoute, safe_next
from lienthong.web.throttle import throttle

router = APIRouter(route_class=WebRoute, include_in_schema=False)
log = logging.getLogger("lienthong.web.auth")

Next = Annotated[str, Query(max_length=2000)]


@router.get("/login")
def login_form(ctx: Web, next: Next = "/") -> Response:
    """The login form; a logged-in person goes straight on."""
    if ctx.principal is not None:
        return _redirect(ctx, safe_next(next))
    return render(ctx, "login.html", next=safe_next(next), failed=False)


@router.post("/login")
def login(
    ctx: Web,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the CSRF token, then the password; start a fresh session on success."""
    if not ctx.session.csrf_ok(csrf_token):
        return render(ctx, "login.html", status=403, next=safe_next(next), failed="csrf")
    address = ctx.request.client.host if ctx.request.client else "unknown"
    wait = throttle(ctx.request).retry_after(username, address)
    if wait is not None:
        log.warning("web login throttled", extra={"username": username[:64], "client": address})
        response = render(
            ctx,
            "login.html",
            status=429,
            next=safe_next(next),
            failed="throttled",
            minutes=max(1, round(wait / 60)),
        )
        response.headers["Retry-After"] = str(wait)
        return response
    user_id = sessions.check_password(ctx.platform, username, password)
    if user_id is None:
        throttle(ctx.request).failed(username, address)
        log.info("web login refused", extra={"username": username[:64]})
        return render(ctx, "login.html", status=401, next=safe_next(next), failed="password")
    throttle(ctx.request).succeeded(username)
    ctx.session = sessions.new_login(user_id)
    return _redirect(ctx, safe_next(next))


@router.post("/logout")
def logout(ctx: Web, csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    if not ctx.session.csrf_ok(csrf_token):
        return render(ctx, "error.html", status=403, title_key="error.csrf", message="")
    ctx.session = sessions.Session(dirty=True)
    return _redirect(ctx, "/")


@router.get("/lang/{code}")
def switch_language(ctx: Web, code: str, next: Next = "/") -> Response:
    """Remember the language and go back where the person was."""
    response = RedirectResponse(safe_next(next), status_code=303)
    response.headers.update(SECURITY_HEADERS)
    if code in LANGS:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax")
    return response


def _redirect(ctx: Web, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    finish(ctx, response)
    return response
