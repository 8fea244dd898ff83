"""Calling the provider: the pooled aiohttp session, timeouts, size caps, the circuit
breaker, and the mapping of transport failures to X-Road errors."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import yarl
from starlette.types import Receive, Scope, Send

from lienthong.exchange.config import GatewaySettings
from lienthong.exchange.evidence import Exchange
from lienthong.exchange.forward import (
    INLINE_BYTES,
    Body,
    BodyTooLarge,
    Incoming,
    ResponseTooLarge,
    relay,
    request_hash,
    response_headers,
    too_large,
)
from lienthong.exchange.limits import Breaker
from lienthong.exchange.snapshot import Service
from lienthong.exchange.xroad import XRoadError


class Upstream:
    """The connection pool to the providers and what the gateway knows of their health."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = s = settings
        self.breaker = Breaker(s.breaker_failures, s.breaker_reset_seconds)
        self.session: aiohttp.ClientSession | None = None

    def open(self) -> None:
        s = self.settings
        connector = aiohttp.TCPConnector(
            limit=s.pool_size, limit_per_host=s.pool_per_host, ttl_dns_cache=60
        )
        self.session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,
            skip_auto_headers=("User-Agent", "Accept-Encoding", "Accept"),
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=s.connect_timeout, sock_read=s.read_timeout
            ),
        )

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None

    async def forward(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        service: Service,
        rest: str,
        qs: bytes,
        inc: Incoming,
        ex: Exchange,
        echo: dict[bytes, bytes],
    ) -> None:
        assert self.session is not None
        s = self.settings
        host = urlsplit(service.upstream).netloc
        wait = self.breaker.check(host)
        if wait is not None:
            raise XRoadError(
                503,
                "Server.ServerProxy.ServiceUnavailable",
                f"{ex.service} failed repeatedly; the gateway retries it shortly",
                {"retry-after": str(round(wait + 0.5))},
            )
        body = Body(receive, s.max_request_bytes)
        data: Any = None
        headers = [*inc.forward, *((k.decode(), v.decode()) for k, v in echo.items())]
        try:
            if inc.content_length and inc.content_length > s.max_request_bytes:
                raise too_large(s.max_request_bytes)
            if inc.streamed or (inc.content_length or 0) > INLINE_BYTES:
                data = body.stream()
                if inc.content_length is not None:
                    headers.append(("Content-Length", str(inc.content_length)))
            elif inc.content_length:
                data = await body.read_all()
        except BodyTooLarge as exc:
            raise too_large(s.max_request_bytes) from exc
        url = yarl.URL(
            service.upstream + rest + ("?" + qs.decode("latin-1") if qs else ""), encoded=True
        )
        hasher = hashlib.sha512()
        try:
            async with self.session.request(
                ex.method, url, headers=headers, data=data, allow_redirects=False
            ) as resp:
                self.breaker.success(host)
                ex.bytes_in = body.size
                ex.request_sha512 = body.digest().hex()
                ex.request_hash = request_hash(inc.head_digest, body.digest())
                out = response_headers(resp, ex.method == "HEAD")
                out += list(echo.items())
                out.append((b"x-road-request-hash", ex.request_hash.encode()))
                ex.bytes_out = await relay(
                    resp, send, resp.status, out, s.max_response_bytes, hasher, ex.method == "HEAD"
                )
                ex.response_sha512 = hasher.hexdigest()
        except XRoadError:
            raise
        except ResponseTooLarge as exc:
            ex.error = "Server.ServerProxy.ResponseTooLarge"
            raise XRoadError(
                502, ex.error, f"the response exceeds {s.max_response_bytes:,} bytes"
            ) from exc
        except Exception as exc:
            raise self._failure(exc, body, host, ex) from exc

    def _failure(self, exc: Exception, body: Body, host: str, ex: Exchange) -> XRoadError:
        s = self.settings
        ex.bytes_in = body.size
        ex.request_sha512 = body.digest().hex()
        if body.too_large or isinstance(exc, BodyTooLarge):
            return too_large(s.max_request_bytes)
        if isinstance(exc, ConnectionResetError) and "client went away" in str(exc):
            return XRoadError(400, "Client.BadRequest", "the client closed the request body early")
        if isinstance(exc, ValueError) and not isinstance(exc, aiohttp.ClientError):
            return XRoadError(400, "Client.BadRequest", f"the request cannot be forwarded: {exc}")
        self.breaker.failure(host)
        if isinstance(exc, (TimeoutError, aiohttp.ServerTimeoutError)):
            return XRoadError(
                504,
                "Server.ServerProxy.Timeout",
                f"{ex.service} did not answer within {s.read_timeout:g} s",
            )
        if isinstance(exc, aiohttp.ClientConnectorError):
            return XRoadError(502, "Server.ServerProxy.NetworkError", f"cannot reach {ex.service}")
        return XRoadError(
            502,
            "Server.ServerProxy.ServiceFailed",
            f"{ex.service} failed to answer: {type(exc).__name__}",
        )
