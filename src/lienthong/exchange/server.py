"""Serving the gateway alone: uvicorn with httptools and uvloop, and an HTTP parser
whose refusals (control characters in a header, a broken request line) still answer
the X-Road way, with `X-Road-Error: Client.BadRequest` and X-Road's JSON body."""

from __future__ import annotations

import os

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from lienthong.exchange.xroad import error_body, new_id

MALFORMED = (
    "the HTTP request is malformed (for example a control character in a header): "
    "it was not forwarded"
)


class XRoadHttpToolsProtocol(HttpToolsProtocol):
    """httptools, answering unparseable requests with an X-Road error."""

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
