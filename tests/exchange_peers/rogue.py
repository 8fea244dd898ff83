"""A misbehaving upstream on raw sockets. What it does depends on the request path:

/hang        reads the request and never answers
/reset       reads the request and resets the connection (RST)
/garbage     answers with bytes that are not HTTP
/stall-body  sends headers and part of the body, then stalls
/huge        declares a 10 GiB body
/endless     streams a chunked body without end

Run: python tests/exchange_peers/rogue.py PORT
"""

from __future__ import annotations

import asyncio
import socket
import struct
import sys


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        writer.close()
        return
    path = head.split(b" ", 2)[1].decode()
    if path.startswith("/hang"):
        await asyncio.sleep(3600)
    elif path.startswith("/reset"):
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
    elif path.startswith("/garbage"):
        writer.write(b"HELLO THIS IS NOT HTTP\r\n\r\n")
        await writer.drain()
        writer.close()
    elif path.startswith("/stall-body"):
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 10)
        await writer.drain()
        await asyncio.sleep(3600)
    elif path.startswith("/huge"):
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10737418240\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(3600)
    elif path.startswith("/endless"):
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"y" * 65536
        try:
            while True:
                writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                await writer.drain()
        except (ConnectionError, OSError):
            return
    else:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        writer.close()


async def main(port: int) -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", port)
    print(f"READY {port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
