"""The /r1 proxy: a lean ASGI app speaking the X-Road message protocol for REST r1.

Mount it into the main app (`app.mount("/r1", gateway)`) or run it alone
(`lienthong gateway serve --workers N`). Nothing on the hot path reads the database:
keys, services and rights come from caches at most `cache_seconds` old, and evidence
is queued for the background writer (see evidence.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from urllib.parse import parse_qs

from starlette.types import Message, Receive, Scope, Send

from lienthong.audit.service import Auditor
from lienthong.core.auth import Principal, Role
from lienthong.core.platform import Platform
from lienthong.exchange import meta
from lienthong.exchange.config import GatewaySettings
from lienthong.exchange.evidence import EvidenceWriter, Exchange
from lienthong.exchange.forward import (
    Incoming,
    read_headers,
    request_hash,
    send_error,
    send_simple,
)
from lienthong.exchange.keycache import KeyCache
from lienthong.exchange.limits import Quota, RateLimiter
from lienthong.exchange.snapshot import Client, Limits, Service, Snapshot, load
from lienthong.exchange.upstream import Upstream
from lienthong.exchange.xroad import (
    META_SERVICES,
    XRoadError,
    new_id,
    parse_client,
    rest_segments,
    split_raw_path,
)

log = logging.getLogger("lienthong.exchange.proxy")
JSON = b"application/json; charset=utf-8"


class Gateway:
    """The gateway's ASGI app and the state it keeps between requests."""

    def __init__(
        self,
        platform: Platform,
        settings: GatewaySettings | None = None,
        standalone: bool = False,
    ) -> None:
        assert isinstance(platform.audit, Auditor)
        self.platform = platform
        self.settings = s = settings or GatewaySettings()
        self.instance = platform.settings.instance
        self.site_url = platform.settings.site_url.rstrip("/")
        self.standalone = standalone
        self.snapshot = Snapshot()
        self.keys = KeyCache(platform.store, s.cache_seconds)
        self.rate = RateLimiter(s.workers)
        self.quota = Quota()
        self.evidence = EvidenceWriter(
            platform.store, platform.audit, s.flush_seconds, s.flush_entries, self.quota.flushed
        )
        self.upstream = Upstream(s)
        self._consumers: dict[int, bool] = {}
        self._reloading: asyncio.Future[Snapshot] | None = None
        self._refresher: asyncio.Task[None] | None = None
        self._starting: asyncio.Lock | None = None

    # life cycle

    async def startup(self) -> None:
        """Open the upstream pool, start the evidence writer, load the snapshot."""
        if self.upstream.session is not None:
            return
        self.upstream.open()
        await self.evidence.start()
        self._refresher = asyncio.create_task(self._refresh_loop(), name="lienthong-snapshot")

    async def shutdown(self) -> None:
        """Write the queued evidence and close the pool."""
        if self._refresher is not None:
            self._refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refresher
        await self.evidence.stop()
        await self.upstream.close()

    async def _ensure_started(self) -> None:
        # mounted apps get no lifespan events of their own: start on first use
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            await self.startup()

    async def _refresh_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.cache_seconds / 2)
            try:
                await self._reload()
            except Exception:
                log.exception("snapshot reload failed")

    async def current(self) -> Snapshot:
        snap = self.snapshot
        if time.monotonic() - snap.loaded_at <= self.settings.cache_seconds:
            return snap
        try:
            return await self._reload()
        except Exception as exc:
            log.exception("snapshot reload failed")
            raise XRoadError(
                503, "Server.ServerProxy.DatabaseError", "the service registry cannot be read"
            ) from exc

    async def _reload(self) -> Snapshot:
        if self._reloading is None:
            self._reloading = asyncio.ensure_future(asyncio.to_thread(self._load))
        try:
            snap = await asyncio.shield(self._reloading)
        finally:
            self._reloading = None
        self.snapshot = snap
        return snap

    def _load(self) -> Snapshot:
        with self.platform.store.read() as conn:
            return load(conn, self.instance)

    # ASGI

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if self.upstream.session is None:
            await self._ensure_started()
        path: str = scope["path"]
        if path.startswith("/r1/") and path != "/r1/listClients":
            await self._exchange(scope, receive, send)
        elif path in ("/listClients", "/r1/listClients"):
            await self._list_clients(scope, send)
        elif self.standalone and path in ("/metrics", "/healthz"):
            await self._local(path, send)
        else:
            unknown = XRoadError(404, "Client.BadRequest", "not an X-Road REST r1 path: use /r1/")
            await send_error(send, unknown, new_id(), {})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.startup()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # one exchange

    async def _exchange(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        ex = Exchange(
            at=time.time(),
            method=scope["method"],
            service="",
            status=500,
            duration_ms=0.0,
            xroad_id="",
            request_id=new_id(),
        )
        echo: dict[bytes, bytes] = {}
        opened = [False]

        async def tracked(message: Message) -> None:
            if message["type"] == "http.response.start":
                opened[0] = True
                ex.status = message["status"]
            await send(message)

        try:
            await self._handle(scope, receive, tracked, ex, echo)
        except XRoadError as refused:
            ex.error = refused.code
            if not opened[0]:  # else the answer was cut short: the connection closes
                ex.status = refused.status
                await send_error(send, refused, ex.xroad_id or new_id(), echo)
        except Exception:
            log.exception("exchange %s failed", ex.xroad_id)
            ex.error = ex.error or "Server.ServerProxy.InternalError"
            if opened[0]:
                raise  # the answer is under way: closing the connection is all that is left
            failed = XRoadError(500, ex.error, "the gateway failed to process the request")
            ex.status = 500
            await send_error(send, failed, ex.xroad_id or new_id(), echo)
        finally:
            ex.duration_ms = (time.perf_counter() - started) * 1000
            self.evidence.add(ex)

    async def _handle(
        self, scope: Scope, receive: Receive, send: Send, ex: Exchange, echo: dict[bytes, bytes]
    ) -> None:
        s = self.settings
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        qs: bytes = scope.get("query_string", b"")
        if len(raw_path) + len(qs) > s.max_uri_chars:
            raise XRoadError(
                414, "Client.BadRequest", f"the URI exceeds {s.max_uri_chars} characters"
            )
        inc = read_headers(scope, s.max_header_bytes)
        ex.xroad_id = inc.xroad_id or new_id()
        echo[b"x-road-id"] = ex.xroad_id.encode()
        echo[b"x-road-request-id"] = ex.request_id.encode()
        ex.user_id, ex.issue = inc.user_id, inc.issue
        parts, rest = split_raw_path(raw_path)
        ex.service = "/".join(parts)
        ex.path, ex.query = rest, qs.decode("latin-1")
        client = parse_client(inc.client)
        ex.client = str(client)
        echo[b"x-road-client"] = ex.client.encode()
        echo[b"x-road-service"] = ex.service.encode()
        snap, who = await self._authorise(inc, ex)
        if parts[4] in META_SERVICES:
            await self._meta(snap, who, parts, qs, inc, ex, echo, receive, send)
            return
        service = snap.services.get(ex.service)
        if service is None:
            ex.action = "exchange.denied"
            raise XRoadError(
                404, "Server.ServerProxy.UnknownService", f"no service {ex.service} is registered"
            )
        ex.known_service, ex.member_id = True, service.member_id
        path = "/" + "/".join(rest_segments(rest)) if rest else "/"
        grant = snap.allowed(service, who.subsystem_id, ex.method, path)
        if grant is None or service.disabled:
            ex.action = "exchange.denied"
            if service.disabled:
                raise XRoadError(
                    503, "Server.ServerProxy.ServiceDisabled", f"{ex.service} is disabled"
                )
            raise XRoadError(
                403,
                "Server.ServerProxy.AccessDenied",
                f"{ex.client} has no access right to {ex.method} {path} of {ex.service}",
            )
        ex.endpoint = self._endpoint_text(service, grant.endpoint_id, ex.method, path)
        await self.upstream.forward(scope, receive, send, service, rest, qs, inc, ex, echo)

    async def _authorise(self, inc: Incoming, ex: Exchange) -> tuple[Snapshot, Client]:
        """The key must be the client subsystem's own, within its rate and quota."""
        if not inc.token:
            raise XRoadError(
                401,
                "Client.AuthenticationFailed",
                "an API key of the client subsystem is required (X-API-Key or Authorization)",
            )
        principal = await self.keys.resolve(inc.token)
        if principal.kind != "subsystem" or principal.name != ex.client:
            raise XRoadError(
                403,
                "Client.InvalidClientIdentifier",
                f"the API key does not belong to the client subsystem {ex.client}",
            )
        snap = await self.current()
        who = snap.clients.get(ex.client)
        if who is None or who.subsystem_id != principal.id:
            raise XRoadError(
                403, "Client.InvalidClientIdentifier", f"{ex.client} is not a known subsystem"
            )
        ex.actor, ex.client_id, ex.audit = principal.actor, principal.id, True
        if not self._consumer(principal):
            raise XRoadError(
                403, "Server.ServerProxy.AccessDenied", "the API key lacks the consumer role"
            )
        self._admit(snap.limits.get(who.subsystem_id), who.subsystem_id, ex)
        return snap, who

    def _consumer(self, principal: Principal) -> bool:
        """Whether a key holds the consumer role (a key's roles never change: cached)."""
        key = principal.key_id or 0
        held = self._consumers.get(key)
        if held is None:
            if len(self._consumers) > 50_000:
                self._consumers.clear()
            held = self._consumers[key] = principal.has_role(principal.member_id, Role.CONSUMER)
        return held

    def _admit(self, limits: Limits | None, client_id: int, ex: Exchange) -> None:
        s = self.settings
        limits = limits or Limits(s.rate_per_second, s.burst, s.daily_quota)
        wait = self.rate.take(client_id, limits)
        if wait is not None:
            ex.audit = False  # counted in the metrics, not in the evidence log
            raise XRoadError(
                429,
                "Client.RateLimited",
                f"more than {limits.rate_per_second:g} requests/s",
                {"retry-after": str(max(1, round(wait + 0.5)))},
            )
        reset = self.quota.take(client_id, limits.daily_quota)
        if reset is not None:
            ex.audit = False
            raise XRoadError(
                429,
                "Client.QuotaExceeded",
                f"the daily quota of {limits.daily_quota:,} requests is used up",
                {"retry-after": str(reset)},
            )
        if self.evidence.backlog > s.max_backlog:
            raise XRoadError(
                503,
                "Server.ServerProxy.DatabaseError",
                "the evidence log is behind; exchanges resume when it catches up",
                {"retry-after": "5"},
            )

    @staticmethod
    def _endpoint_text(service: Service, endpoint_id: int | None, method: str, path: str) -> str:
        for e in service.endpoints:
            if (endpoint_id is None or e.id == endpoint_id) and e.matches(method, path):
                return f"{e.method} {e.path}"
        return "*"

    # metaservices and local paths

    async def _meta(
        self,
        snap: Snapshot,
        who: Client,
        parts: list[str],
        qs: bytes,
        inc: Incoming,
        ex: Exchange,
        echo: dict[bytes, bytes],
        receive: Receive,
        send: Send,
    ) -> None:
        provider, name = "/".join(parts[:4]), parts[4]
        ex.action, ex.endpoint = "exchange.meta", f"{ex.method} /{name}"
        if ex.method != "GET":
            raise XRoadError(405, "Client.BadRequest", f"{name} answers GET only")
        if name == "listMethods":
            body, ctype = meta.list_methods(snap, provider), meta.JSON
        elif name == "allowedMethods":
            body, ctype = meta.allowed_methods(snap, provider, who.subsystem_id), meta.JSON
        else:
            codes = parse_qs(qs.decode("latin-1")).get("serviceCode")
            code = codes[0] if codes else None
            body, ctype = await asyncio.to_thread(
                meta.get_openapi, self.platform.store, snap, provider, code, self.site_url
            )
        ex.known_service = provider in snap.clients
        ex.member_id = snap.clients[provider].member_id if ex.known_service else None
        ex.request_hash = request_hash(inc.head_digest, hashlib.sha512(b"").digest())
        ex.response_sha512 = hashlib.sha512(body).hexdigest()
        ex.bytes_out = len(body)
        headers = [*echo.items(), (b"x-road-request-hash", ex.request_hash.encode())]
        await send_simple(send, 200, body, ctype.encode(), headers)

    async def _list_clients(self, scope: Scope, send: Send) -> None:
        try:
            inc = read_headers(scope, self.settings.max_header_bytes)
            if not inc.token:
                raise XRoadError(401, "Client.AuthenticationFailed", "an API key is required")
            await self.keys.resolve(inc.token)
            body, ctype = meta.list_clients(await self.current(), inc.wants_json)
        except XRoadError as err:
            await send_error(send, err, new_id(), {})
            return
        await send_simple(send, 200, body, ctype.encode(), [])

    async def _local(self, path: str, send: Send) -> None:
        if path == "/healthz":
            await send_simple(send, 200, b'{"status":"ok"}', JSON, [])
            return
        from lienthong.exchange.metrics import render

        body, ctype = await asyncio.to_thread(render, self.platform.store)
        await send_simple(send, 200, body, ctype.encode(), [])
