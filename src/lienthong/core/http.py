"""HTTP conventions shared by the native API: problem+json errors, request ids,
access logs and a cap on request bodies."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lienthong.core.errors import LienthongError
from lienthong.core.ids import request_id
from lienthong.core.logs import request_id_var

log = logging.getLogger("lienthong.http")

PROBLEM = "application/problem+json"


def problem(
    status: int, title: str, detail: str, request: Request | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    body["detail"] = detail
    if request is not None:
        body["instance"] = request.url.path
        rid = request_id_var.get()
        if rid:
            body["request_id"] = rid
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LienthongError)
    if exc.status >= 500:
        log.error("integrity error: %s", exc.message)
    return problem(exc.status, exc.title, exc.message, request, **exc.to_details())


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0] if loc else "request")


def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errs = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errs):
        ctx = errs[0].get("ctx", {})
        detail = f"malformed JSON: {ctx.get('error', 'cannot be parsed')}"
        return problem(400, "Malformed request", detail, request)
    fields: dict[str, list[str]] = {}
    for e in errs:
        fields.setdefault(_field_path(tuple(e.get("loc", ()))), []).append(str(e.get("msg")))
    detail = "; ".join(f"{k}: {', '.join(v)}" for k, v in fields.items())
    return problem(422, "Validation failed", detail, request, errors=fields)


def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    title = {404: "Not found", 405: "Method not allowed", 413: "Payload too large"}
    resp = problem(exc.status_code, title.get(exc.status_code, "Error"), str(exc.detail), request)
    if exc.headers:
        resp.headers.update(exc.headers)
    return resp


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return problem(500, "Internal error", "an unexpected error occurred", request)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(LienthongError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)


class RequestContext:
    """Pure ASGI middleware: request id, access log line and a body-size cap."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, larger: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        # path endings allowed bigger bodies: uploads, bulk records
        self.larger = larger or {}

    def _limit(self, scope: Scope) -> int:
        path: str = scope["path"]
        return next(
            (n for end, n in self.larger.items() if path.endswith(end)), self.max_body_bytes
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # the exchange gateway caps its own bodies and answers with X-Road errors
        if scope["type"] != "http" or scope["path"].startswith("/r1/"):
            await self.app(scope, receive, send)
            return
        rid = _header(scope, b"x-request-id") or request_id()
        token = request_id_var.set(rid[:64])
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid[:64].encode())]
            await send(message)

        try:
            declared = _header(scope, b"content-length")
            limit = self._limit(scope)
            if declared and declared.isdigit() and int(declared) > limit:
                await _too_large(send_with_id, limit)
                return
            await self.app(scope, self._capped(receive, limit), send_with_id)
        finally:
            log.info(
                "request",
                extra={
                    "request_id": rid[:64],
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(token)

    def _capped(self, receive: Receive, limit: int) -> Receive:
        seen = 0

        async def wrapped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, f"the request body exceeds {limit:,} bytes")
            return message

        return wrapped


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": "Payload too large",
            "status": 413,
            "detail": f"the request body exceeds {limit:,} bytes",
        }
    ).encode()
    headers = [(b"content-type", PROBLEM.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
