"""API keys resolved through a small TTL cache, so the proxy asks the database about a
key at most once per `ttl` seconds (revoking a key takes effect within that delay)."""

from __future__ import annotations

import asyncio
import logging
import time

from lienthong.core.auth import Principal
from lienthong.core.db import Store
from lienthong.core.errors import Unauthenticated
from lienthong.exchange.xroad import XRoadError
from lienthong.registry.auth import Authenticator

log = logging.getLogger("lienthong.exchange.keys")
MAX_ENTRIES = 50_000


def _refused(message: str) -> XRoadError:
    return XRoadError(401, "Client.AuthenticationFailed", message)


class KeyCache:
    """Token → Principal (or the reason it was refused), for `ttl` seconds."""

    def __init__(self, store: Store, ttl: float) -> None:
        self.authenticate = Authenticator(store)
        self.ttl = ttl
        self.entries: dict[str, tuple[float, Principal | str]] = {}
        self.inflight: dict[str, asyncio.Future[Principal | str]] = {}

    async def resolve(self, token: str) -> Principal:
        hit = self.entries.get(token)
        if hit is None or hit[0] <= time.monotonic():
            hit = (0.0, await self._lookup(token))
        result = hit[1]
        if isinstance(result, str):
            raise _refused(result)
        return result

    async def _lookup(self, token: str) -> Principal | str:
        """One database look-up per token at a time, however many requests wait for it."""
        waiting = self.inflight.get(token)
        if waiting is not None:
            return await waiting
        future: asyncio.Future[Principal | str] = asyncio.get_running_loop().create_future()
        self.inflight[token] = future
        try:
            result = await asyncio.to_thread(self._resolve, token)
        except Exception as exc:
            log.exception("key look-up failed")
            error = XRoadError(
                503, "Server.ServerProxy.DatabaseError", "the key registry cannot be read"
            )
            future.set_exception(error)
            future.exception()  # retrieved here: waiters get it through `await`
            raise error from exc
        finally:
            self.inflight.pop(token, None)
        if len(self.entries) >= MAX_ENTRIES:
            self._prune()
        self.entries[token] = (time.monotonic() + self.ttl, result)
        future.set_result(result)
        return result

    def _resolve(self, token: str) -> Principal | str:
        try:
            return self.authenticate(token)
        except Unauthenticated as exc:
            return exc.message

    def _prune(self) -> None:
        now = time.monotonic()
        self.entries = {k: v for k, v in self.entries.items() if v[0] > now}
        if len(self.entries) >= MAX_ENTRIES:
            self.entries.clear()
