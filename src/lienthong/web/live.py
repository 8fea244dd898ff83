"""Live updates: change events fanned out to open pages over Server-Sent Events.

Two feeds reach the hub:
- the platform's in-process bus (`lienthong.core.events`): an ingestion, a
  recomputed indicator cell or an exchange is announced the moment it commits;
- a watermark on the catalog (one cheap aggregate query every half second, and
  only while a page is listening), which also sees ingestions made by another
  process, such as `lienthong ingest` from the command line.

Events name topics only ("warehouse", "indicator:<code>", "exchange"): never a
dataset's name or a value, because a page re-reads its regions under its own
viewer's rights when told something changed.

SSE is served by sse-starlette rather than a bare StreamingResponse because it
notices client disconnects, sends keep-alive pings through proxies, and ends
open streams when uvicorn shuts down (a bare stream would hold shutdown open).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection
from starlette.requests import Request

from lienthong.core import events
from lienthong.core.platform import Platform
from lienthong.core.timeutil import iso, utcnow
from lienthong.web.sources.catalog import watermark

log = logging.getLogger("lienthong.web.live")

POLL_SECONDS = 0.5
QUEUE_SIZE = 64
Watermark = Callable[[Connection], tuple[Any, ...]]


@dataclass
class Hub:
    """One per app: subscribers' queues, the sequence counter and the watermark poller."""

    platform: Platform
    loop: asyncio.AbstractEventLoop
    poll_seconds: float = POLL_SECONDS
    queues: set[asyncio.Queue[dict[str, Any]]] = field(default_factory=set)
    seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    poller: asyncio.Task[None] | None = None
    unsubscribe: Callable[[], None] | None = None

    def publish(self, topics: list[str]) -> None:
        """Queue an event for every listener; callable from any thread."""
        event = {"id": next(self.seq), "topics": sorted(set(topics)), "at": iso(utcnow())}
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is listening
            self.loop.call_soon_threadsafe(self._fan_out, event)

    def _fan_out(self, event: dict[str, Any]) -> None:
        for queue in list(self.queues):
            if queue.full():
                # a stalled page loses old events, not the newest: it refreshes anyway
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(event)

    @contextlib.asynccontextmanager
    async def listen(self) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        self.queues.add(queue)
        self._start()
        try:
            yield queue
        finally:
            self.queues.discard(queue)
            if not self.queues:
                await self._stop()

    def _start(self) -> None:
        if self.poller is None or self.poller.done():
            self.poller = asyncio.create_task(self._poll())
        if self.unsubscribe is None:
            self.unsubscribe = _subscribe_engine(self)

    async def _stop(self) -> None:
        task, self.poller = self.poller, None
        stop, self.unsubscribe = self.unsubscribe, None
        if stop is not None:
            stop()
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _poll(self) -> None:
        last = await asyncio.to_thread(self._watermark)
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                now = await asyncio.to_thread(self._watermark)
            except Exception:
                log.exception("live watermark query failed")
                continue
            if now != last:
                last = now
                self.publish(["warehouse"])

    def _watermark(self) -> tuple[Any, ...]:
        with self.platform.store.read() as conn:
            return watermark(conn)


def _subscribe_engine(hub: Hub) -> Callable[[], None]:
    """Follow every topic on the platform's in-process bus."""

    url = hub.platform.store.url

    def on_event(topic: str, event: dict[str, Any]) -> None:
        if event.get("database") not in (None, url):
            return  # another database in this process (tests run several)
        topics = topics_of(topic, event)
        if topics:
            hub.publish(topics)

    return events.subscribe(events.ANY, on_event).close


def topics_of(topic: str, event: dict[str, Any]) -> list[str]:
    """The page topics a bus event concerns; names of datasets never leave the server.

    >>> topics_of("dataset.changed", {"dataset": "the-bhyt"})
    ['warehouse']
    >>> topics_of("indicators.changed", {"cells": [["KTS_TY_TRONG", "31", "2025"]]})
    ['indicators', 'indicator:KTS_TY_TRONG']
    """
    head = topic.split(".", 1)[0]
    if head in ("dataset", "warehouse", "catalog"):
        return ["warehouse"]
    if head in ("indicator", "indicators"):
        cells = event.get("cells") or []
        codes = dict.fromkeys(str(c[0]) for c in cells if isinstance(c, list | tuple) and c)
        return ["indicators", *(f"indicator:{c}" for c in codes)]
    if head in ("exchange", "access_request", "service"):
        return ["exchange"]
    if head in ("plan", "programs", "task"):
        return ["plan"]
    return []


def hub_for(request: Request) -> Hub:
    state = request.app.state
    hub: Hub | None = getattr(state, "web_hub", None)
    if hub is None or hub.loop.is_closed():
        hub = Hub(state.platform, asyncio.get_running_loop())
        state.web_hub = hub
    return hub


async def stream(request: Request, hub: Hub) -> AsyncIterator[dict[str, str]]:
    """The SSE body: a hello, then one `change` event per published change."""
    async with hub.listen() as queue:
        yield {"event": "hello", "data": json.dumps({"at": iso(utcnow())})}
        while True:
            event = await queue.get()
            if await request.is_disconnected():
                return
            yield {"event": "change", "id": str(event["id"]), "data": json.dumps(event)}
