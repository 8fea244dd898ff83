"""In-process publish/subscribe: parts tell each other that something changed.

Handlers run in the publisher's thread, after its transaction has committed,
in the order they subscribed; one failing handler is logged and the others
still run. Asyncio code (the web part's SSE) listens through a queue fed
thread-safely from whichever thread publishes.

>>> seen = []
>>> sub = subscribe("dataset.changed", lambda topic, event: seen.append(event["dataset"]))
>>> publish("dataset.changed", {"dataset": "ho-so-tthc"})
1
>>> sub.close(); seen
['ho-so-tthc']
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("lienthong.events")

Event = dict[str, Any]
Handler = Callable[[str, Event], None]
ANY = "*"  # subscribe to every topic


@dataclass(frozen=True)
class Subscription:
    """A handle to stop receiving: `close()` (or use it as a context manager)."""

    bus: Bus
    topic: str
    handler: Handler

    def close(self) -> None:
        self.bus.unsubscribe(self.topic, self.handler)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Bus:
    """Topics and their handlers; safe to use from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handlers: dict[str, list[Handler]] = {}

    def subscribe(self, topic: str, handler: Handler) -> Subscription:
        with self._lock:
            self._handlers.setdefault(topic, []).append(handler)
        return Subscription(self, topic, handler)

    def unsubscribe(self, topic: str, handler: Handler) -> None:
        with self._lock:
            handlers = self._handlers.get(topic, [])
            if handler in handlers:
                handlers.remove(handler)

    def publish(self, topic: str, event: Event) -> int:
        """Call every handler of `topic` (and of `*`); return how many were called."""
        with self._lock:
            # a copy: handlers may subscribe or unsubscribe while we call them
            handlers = [*self._handlers.get(topic, []), *self._handlers.get(ANY, [])]
        for handler in handlers:
            try:
                handler(topic, event)
            except Exception:
                log.exception("handler %r of %s failed", handler, topic)
        return len(handlers)

    async def listen(self, topics: Iterable[str], maxsize: int = 1000) -> AsyncIterator[Event]:
        """Yield `{"topic": ..., **event}` as events arrive; drops the oldest when full.

        A slow reader (an SSE client on a bad line) must never hold up the publisher.
        """
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Event] = asyncio.Queue(maxsize)

        def put(item: Event) -> None:
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(item)

        def handler(topic: str, event: Event) -> None:
            with contextlib.suppress(RuntimeError):  # the loop has closed
                loop.call_soon_threadsafe(put, {"topic": topic, **event})

        subs = [self.subscribe(t, handler) for t in topics]
        try:
            while True:
                yield await queue.get()
        finally:
            for s in subs:
                s.close()


bus = Bus()


def subscribe(topic: str, handler: Handler) -> Subscription:
    """Subscribe `handler(topic, event)` to `topic` on the platform's bus."""
    return bus.subscribe(topic, handler)


def unsubscribe(topic: str, handler: Handler) -> None:
    bus.unsubscribe(topic, handler)


def publish(topic: str, event: Event) -> int:
    """Publish on the platform's bus, after the change has committed."""
    return bus.publish(topic, event)


def listen(topics: Iterable[str], maxsize: int = 1000) -> AsyncIterator[Event]:
    """Async iterator over the platform's bus, for SSE."""
    return bus.listen(topics, maxsize)
