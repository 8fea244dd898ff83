"""The gateway's transport wrapper: a response head and its body leave in one send, and
nothing held is lost or reordered (next write, close, end of the loop's pass, big writes)."""

from __future__ import annotations

import asyncio
import socket

from lienthong.exchange.server import HOLD_BYTES, CoalescingTransport


async def _pair() -> tuple[asyncio.Transport, socket.socket, asyncio.AbstractEventLoop]:
    loop = asyncio.get_running_loop()
    ours, theirs = socket.socketpair()
    theirs.setblocking(False)
    transport, _ = await loop.create_connection(asyncio.Protocol, sock=ours)
    return transport, theirs, loop


def _received(sock: socket.socket) -> list[bytes]:
    """What has arrived, one element per read (a send of ours arrives in one piece)."""
    parts = []
    while True:
        try:
            part = sock.recv(1 << 20)
        except BlockingIOError:
            return parts
        if not part:
            return parts
        parts.append(part)


def test_head_and_body_in_one_send() -> None:
    async def run() -> None:
        transport, theirs, loop = await _pair()
        t = CoalescingTransport(transport, loop)
        t.write(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n")
        assert _received(theirs) == []  # held until the body comes
        t.write(b"hello")
        await asyncio.sleep(0.01)
        assert b"".join(_received(theirs)) == b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"
        t.close()
        theirs.close()

    asyncio.run(run())


def test_a_held_write_goes_out_at_the_end_of_the_pass_and_on_close() -> None:
    async def run() -> None:
        transport, theirs, loop = await _pair()
        t = CoalescingTransport(transport, loop)
        t.write(b"head only")
        assert t.get_write_buffer_size() == len(b"head only")
        await asyncio.sleep(0.01)
        assert b"".join(_received(theirs)) == b"head only"
        t.write(b"last words")
        t.close()
        await asyncio.sleep(0.01)
        assert b"".join(_received(theirs)) == b"last words"
        assert t.is_closing()
        theirs.close()

    asyncio.run(run())


def test_big_writes_are_not_held_and_order_is_kept() -> None:
    async def run() -> None:
        transport, theirs, loop = await _pair()
        t = CoalescingTransport(transport, loop)
        big = bytes(range(256)) * (HOLD_BYTES // 256 + 1)
        t.write(big)
        await asyncio.sleep(0)
        assert t.get_write_buffer_size() == transport.get_write_buffer_size()  # none held
        t.writelines([b"a", b"b", big, b"c"])
        await asyncio.sleep(0.01)
        got = b""
        for _ in range(50):
            got += b"".join(_received(theirs))
            if len(got) >= 2 * len(big) + 3:
                break
            await asyncio.sleep(0.01)
        assert got == big + b"ab" + big + b"c"
        t.abort()
        theirs.close()

    asyncio.run(run())
