"""A lean way in for the hottest CKAN read actions, in front of FastAPI's routing.

`FastActions` is pure ASGI middleware, installed inside `RequestContext` (so request ids,
the access log and the body cap apply as to every request). A call of one of its actions
at ``/api/action/{name}`` or ``/api/3/action/{name}``, by GET or POST, is answered by
`ckan.answer`, the very code behind the FastAPI route: the envelope, the errors, the
keys, masking and the read audit are the route's. What it saves is routing, dependency
resolution and the response object; and for a quick anonymous call on SQLite (the
action's `quick` says so: no writes, an index to read, a small page), the hop to a worker
thread. Every other request goes on to FastAPI unchanged.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from lienthong.catalog import ckan
from lienthong.core.auth import token_from_headers
from lienthong.core.http import _http as http_problem
from lienthong.core.platform import Platform

HOT = frozenset({"datastore_search"})
PREFIXES = ("/api/action/", "/api/3/action/")
_CONTENT_TYPE = ckan.JSON_TYPE.encode()


class FastActions:
    """ASGI middleware answering calls of `hot` actions; everything else passes through."""

    def __init__(self, app: ASGIApp, platform: Platform, hot: frozenset[str] = HOT) -> None:
        self.app = app
        # SQLite reads are local and short; a PostgreSQL read waits on the network
        self.inline = platform.store.is_sqlite
        self.paths = {prefix + name: name for prefix in PREFIXES for name in hot}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = self.paths.get(scope["path"]) if scope["type"] == "http" else None
        if name is None or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            status, body = await ckan.answer(name, request, self._run)
        except HTTPException as exc:  # the body cap, raised while the body is read
            await http_problem(request, exc)(scope, receive, send)
            return
        headers = [(b"content-length", str(len(body)).encode()), (b"content-type", _CONTENT_TYPE)]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _run(self, act: ckan.Action, request: Request, data: dict[str, Any]) -> Any:
        # a key is resolved on a read transaction and sometimes touched by a write: a thread
        quick = act.quick
        if self.inline and quick is not None and not token_from_headers(request) and quick(data):
            return ckan.run(act, request, data)
        return await ckan.in_thread(act, request, data)
