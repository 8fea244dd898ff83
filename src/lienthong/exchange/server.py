"""Serving the gateway alone: uvicorn with httptools and uvloop, and an HTTP parser
whose refusals (control characters in a header, a broken request line) still answer
the X-Road way, with `X-Road-Error: Client.BadRequest` and X-Road's JSON body."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from lienthong.exchange.xroad import error_body, new_id

MALFORMED = (
    "the HTTP request is malformed (for example a control character in a header): "
    "it was not forwarded"
)


# a write this small is held for the rest of the loop's pass (a response head, a small body)
HOLD_BYTES = 8 * 1024


class CoalescingTransport:
    """A transport that holds one small write until the next write, a close or the end of
    the event loop's current pass, so that a response's head and its body leave in ONE
    send (one system call and one wake-up of the reader instead of two).

    uvicorn writes the head when the app sends `http.response.start` and the body when it
    sends `http.response.body`; the gateway sends both back to back. Nothing is held
    across an `await` that waits: the pass ends first and flushes it."""

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        held = self._held
        if held is not None:
            self._held = None
            self._transport.writelines((held, data))
        elif len(data) <= HOLD_BYTES and data and not self._transport.is_closing():
            self._held = bytes(data)
            self._loop.call_soon(self.flush)
        else:
            self._transport.write(data)

    def writelines(self, chunks: Any) -> None:
        for chunk in chunks:
            self.write(chunk)

    def flush(self) -> None:
        held = self._held
        if held is not None:
            self._held = None
            self._transport.write(held)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + len(self._held or b"")

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._held = None
        self._transport.abort()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.flush()
        self._transport.set_protocol(protocol)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class XRoadHttpToolsProtocol(HttpToolsProtocol):
    """httptools, answering unparseable requests with an X-Road error, writing each
    response's head and body together."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        coalescing: Any = CoalescingTransport(transport, self.loop)
        super().connection_made(coalescing)

    def send_400_response(self, msg: str) -> None:
        body = error_body("Client.BadRequest", MALFORMED, new_id())
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        head += [
            b"content-type: application/json; charset=utf-8\r\n",
            b"x-road-error: Client.BadRequest\r\n",
            b"content-length: " + str(len(body)).encode() + b"\r\n",
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()


def run(host: str, port: int, workers: int) -> None:
    """Serve `lienthong.exchange.standalone:create_gateway` in `workers` processes."""
    import uvicorn

    os.environ["LIENTHONG_GATEWAY_WORKERS"] = str(workers)
    uvicorn.run(
        "lienthong.exchange.standalone:create_gateway",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=XRoadHttpToolsProtocol,
        loop="uvloop",
        access_log=False,
        server_header=False,
        backlog=4096,
        timeout_graceful_shutdown=10,
        log_level="warning",
    )
