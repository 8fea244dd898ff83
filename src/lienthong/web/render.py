"""Jinja2 pages: the request's context (who, which language), rendering and headers.

One environment serves the live pages and the quarterly report, so both read the
same templates and macros.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.responses import HTMLResponse, Response

from lienthong.core.auth import Principal
from lienthong.core.platform import Platform, get_platform
from lienthong.web import session as sessions
from lienthong.web import svg
from lienthong.web.i18n import LANG_COOKIE, Translator, pick_lang

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

# no inline script or style anywhere: the pages and their SVG use attributes only
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["svg"] = lambda s: Markup(s)  # noqa: S704  (SVG built by web.svg, values escaped)
    env.filters["data_uri"] = svg.data_uri
    env.globals["svg"] = svg
    env.globals["dot_list"] = dot_list
    env.globals["bar_rows"] = lambda ranked: [(r.name, r.value) for r in ranked]
    return env


def dot_list(ranked: list[Any], indicator: str) -> list[svg.Dot]:
    """Ranked units as map dots, each linking to its unit's view of the indicator."""
    return [
        svg.Dot(r.code, r.name, r.lat, r.lon, r.value, f"/indicators/{indicator}?unit={r.code}")
        for r in ranked
        if r.lat is not None and r.lon is not None
    ]


@dataclass
class WebContext:
    """Everything a page needs to know about the request it answers."""

    request: Request
    platform: Platform
    session: sessions.Session
    principal: Principal | None
    t: Translator
    lang_from_query: bool

    @property
    def lang(self) -> str:
        return self.t.lang

    @property
    def member(self) -> bool:
        return self.principal is not None


def web_context(request: Request) -> WebContext:
    platform = get_platform(request)
    session = sessions.load(request, platform)
    query_lang = request.query_params.get("lang")
    lang = pick_lang(query_lang, request.cookies.get(LANG_COOKIE))
    return WebContext(
        request=request,
        platform=platform,
        session=session,
        principal=sessions.principal_of(session, platform),
        t=Translator(lang),
        lang_from_query=query_lang == lang,
    )


Web = Annotated[WebContext, Depends(web_context)]


def page_values(ctx: WebContext) -> dict[str, Any]:
    """What every template may use."""
    return {
        "_": ctx.t,
        "t": ctx.t,
        "lang": ctx.lang,
        "principal": ctx.principal,
        "csrf_token": ctx.session.csrf,
        "path": ctx.request.url.path,
        "query": str(ctx.request.url.query),
        "now": datetime.now(UTC),
    }


def render(ctx: WebContext, template: str, status: int = 200, **values: Any) -> Response:
    """A whole page, or one block of it when the live script asks for `?_fragment=`."""
    tpl = environment().get_template(template)
    data = page_values(ctx) | values
    block = ctx.request.query_params.get("_fragment")
    if block is not None and block in tpl.blocks:
        body = "".join(tpl.blocks[block](tpl.new_context(data)))
    else:
        body = tpl.render(data)
    response = HTMLResponse(body, status_code=status)
    finish(ctx, response)
    return response


def finish(ctx: WebContext, response: Response) -> None:
    """Headers every page carries, and the cookies the request changed."""
    response.headers.update(SECURITY_HEADERS)
    response.headers["Cache-Control"] = "no-store" if ctx.member else "no-cache"
    response.headers["Vary"] = "Cookie"
    secure = ctx.platform.settings.site_url.startswith("https:")
    if ctx.session.dirty:
        sessions.save(response, ctx.session, ctx.platform, secure)
    if ctx.lang_from_query:
        response.set_cookie(
            LANG_COOKIE, ctx.lang, max_age=365 * 86400, samesite="lax", secure=secure
        )
