"""The wire: reading the client's headers, calling the upstream, relaying its answer."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from starlette.types import Receive, Scope, Send

from lienthong.exchange.xroad import (
    FILTERED_REQUEST,
    FILTERED_RESPONSE,
    TOKEN_VALUE,
    XRoadError,
    bad_request,
    error_body,
)

# control characters other than TAB: a value holding them is an injection attempt
CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
INLINE_BYTES = 1 * 2**20
CHUNK = 64 * 1024
EMPTY_SHA512 = hashlib.sha512(b"").digest()


@dataclass(slots=True)
class Incoming:
    """What the gateway takes from the client's request headers."""

    client: str | None = None
    xroad_id: str | None = None
    user_id: str | None = None
    issue: str | None = None
    token: str | None = None
    content_length: int | None = None
    streamed: bool = False
    wants_json: bool = False
    forward: list[tuple[str, str]] = field(default_factory=list)
    head_digest: bytes = b""


def _text(value: bytes, name: str) -> str:
    text = value.decode("latin-1")
    if not TOKEN_VALUE.match(text):
        raise bad_request(f"the {name} header must be 1–255 visible ASCII characters")
    return text


def read_headers(scope: Scope, max_bytes: int) -> Incoming:
    """Parse, check and filter the request headers in one pass."""
    inc = Incoming()
    qs = scope.get("query_string", b"")
    line = scope["method"].encode() + b" " + (scope.get("raw_path") or scope["path"].encode())
    digest = hashlib.sha512(line + (b"?" + qs if qs else b"") + b"\n")
    size = 0
    authorization: str | None = None
    connection_named: set[bytes] = set()
    for name, value in scope["headers"]:
        size += len(name) + len(value)
        if CONTROL.search(value):
            raise bad_request(f"the {name.decode('latin-1')} header holds control characters")
        digest.update(name + b":" + value + b"\n")
        if name == b"x-road-client":
            inc.client = value.decode("latin-1")
        elif name == b"x-road-id":
            inc.xroad_id = _text(value, "X-Road-Id")
        elif name == b"x-road-userid":
            inc.user_id = _text(value, "X-Road-UserId")
        elif name == b"x-road-issue":
            inc.issue = _text(value, "X-Road-Issue")
        elif name == b"x-api-key":
            inc.token = value.decode("latin-1").strip()
        elif name == b"authorization":
            authorization = value.decode("latin-1")
        elif name == b"content-length":
            inc.content_length = _length(value)
        elif name == b"transfer-encoding":
            inc.streamed = True
        elif name == b"accept":
            inc.wants_json = b"json" in value
        elif name == b"connection":
            connection_named |= {v.strip().lower() for v in value.split(b",")}
        if name not in FILTERED_REQUEST and name != b"authorization":
            inc.forward.append((name.decode("latin-1"), value.decode("latin-1")))
    if size > max_bytes:
        raise XRoadError(
            431, "Client.BadRequest", f"the request headers exceed {max_bytes:,} bytes"
        )
    if connection_named:
        inc.forward = [(n, v) for n, v in inc.forward if n.encode() not in connection_named]
    _take_authorization(inc, authorization)
    inc.head_digest = digest.digest()
    return inc


def _length(value: bytes) -> int:
    if not value.isdigit() or len(value) > 15:
        raise bad_request("Content-Length is not a number")
    return int(value)


def _take_authorization(inc: Incoming, authorization: str | None) -> None:
    """The gateway's key travels in X-API-Key, or in Authorization when nothing else does.

    A key in X-API-Key leaves Authorization to pass to the provider unmodified (X-Road
    passes tokens through); a gateway key in Authorization is never forwarded.
    """
    if authorization is None:
        return
    scheme, _, rest = authorization.partition(" ")
    candidate = rest.strip() if scheme.lower() == "bearer" and rest else authorization.strip()
    if inc.token is None and candidate.startswith("lt_"):
        inc.token = candidate
    else:
        inc.forward.append(("Authorization", authorization))


def request_hash(head_digest: bytes, body_digest: bytes) -> str:
    """X-Road-Request-Hash: base64 of SHA-512(SHA-512(request line and headers) + SHA-512(body))."""
    return base64.b64encode(hashlib.sha512(head_digest + body_digest).digest()).decode()


class BodyTooLarge(Exception):
    pass


@dataclass(slots=True)
class Body:
    """The request body on its way to the upstream: counted, capped and hashed."""

    receive: Receive
    cap: int
    size: int = 0
    too_large: bool = False
    done: bool = False
    hasher: Any = field(default_factory=hashlib.sha512)

    async def read_all(self) -> bytes:
        parts = []
        while not self.done:
            parts.append(await self._next())
        return b"".join(parts)

    async def stream(self) -> Any:
        while not self.done:
            yield await self._next()

    async def _next(self) -> bytes:
        message = await self.receive()
        if message["type"] == "http.disconnect":
            raise ConnectionResetError("the client went away")
        chunk: bytes = message.get("body", b"")
        self.size += len(chunk)
        if self.size > self.cap:
            self.too_large = True
            raise BodyTooLarge
        self.hasher.update(chunk)
        self.done = not message.get("more_body", False)
        return chunk

    def digest(self) -> bytes:
        return self.hasher.digest() if self.size else EMPTY_SHA512


def too_large(cap: int) -> XRoadError:
    return XRoadError(413, "Client.RequestTooLarge", f"the request body exceeds {cap:,} bytes")


def response_headers(resp: aiohttp.ClientResponse, head: bool) -> list[tuple[bytes, bytes]]:
    """The provider's headers less hop-by-hop, Server and X-Road's own (set by the gateway)."""
    named: set[bytes] = set()
    for name, value in resp.raw_headers:
        if name.lower() == b"connection":
            named |= {v.strip().lower() for v in value.split(b",")}
    out = []
    for name, value in resp.raw_headers:
        low = name.lower()
        if low in FILTERED_RESPONSE or low in named:
            if head and low == b"content-length":
                out.append((low, value))
            continue
        out.append((low, value))
    return out


class ResponseTooLarge(Exception):
    pass


async def relay(
    resp: aiohttp.ClientResponse,
    send: Send,
    status: int,
    headers: list[tuple[bytes, bytes]],
    cap: int,
    hasher: Any,
    head: bool,
) -> int:
    """Send the provider's body: whole when small and of known length, else streamed."""
    known = resp.content_length
    if known is not None and known > cap:
        raise ResponseTooLarge
    no_body = head or status in (204, 304) or 100 <= status < 200
    if no_body or (known is not None and known <= INLINE_BYTES):
        body = b"" if no_body else await resp.read()
        hasher.update(body)
        if not no_body:
            headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return len(body)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    sent = 0
    async for chunk in resp.content.iter_chunked(CHUNK):
        sent += len(chunk)
        if sent > cap:
            raise ResponseTooLarge
        hasher.update(chunk)
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})
    return sent


async def send_error(send: Send, err: XRoadError, xroad_id: str, echo: dict[bytes, bytes]) -> None:
    """An error the X-Road way: `X-Road-Error` and `{"type", "message", "detail"}`."""
    headers = list(echo.items())
    headers.append((b"x-road-error", err.code.encode()))
    headers += [(k.encode(), v.encode()) for k, v in err.headers.items()]
    await send_simple(
        send,
        err.status,
        error_body(err.code, err.message, xroad_id),
        b"application/json; charset=utf-8",
        headers,
    )


async def send_simple(
    send: Send, status: int, body: bytes, ctype: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    headers = [
        *headers,
        (b"content-type", ctype),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
