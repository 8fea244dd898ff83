"""A mock port terminal operating system (TOS): the provider service behind the gateway.

Run: python tests/exchange_peers/tos.py PORT. Data is synthetic and deterministic.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys

from aiohttp import web

OPENAPI = {
    "openapi": "3.0.3",
    "info": {"title": "TOS Cảng Hải Phòng (synthetic)", "version": "1.0"},
    "servers": [{"url": "http://tos.internal.example:8080"}],
    "paths": {
        "/containers/{id}": {
            "get": {"summary": "Trạng thái container", "operationId": "getContainer"}
        },
        "/vessels": {"get": {"summary": "Lịch tàu", "operationId": "listVessels"}},
        "/declarations": {"post": {"summary": "Nhận tờ khai", "operationId": "postDeclaration"}},
    },
}


def container(cid: str) -> dict[str, object]:
    """Synthetic: every field is derived from the container number."""
    n = int(hashlib.sha256(cid.encode()).hexdigest()[:8], 16)
    return {
        "container_id": cid,
        "status": ["IN_YARD", "ON_VESSEL", "GATE_OUT"][n % 3],
        "terminal": ["Tân Vũ", "Chùa Vẽ", "Lạch Huyện"][n % 3],
        "yard_position": f"B{n % 40:02d}-{n % 7}-{n % 5}",
        "synthetic": True,
    }


async def get_container(request: web.Request) -> web.Response:
    return web.json_response(
        container(request.match_info["id"]),
        headers={
            "Server": "TOS/1.0",
            "X-Road-Id": "forged-by-provider",
            "X-Powered-By": "tos-mock",
            "Cache-Control": "no-store",
        },
    )


async def vessels(request: web.Request) -> web.Response:
    calls = [
        {"vessel": f"SYNTH {i}", "berth": f"HP{i % 5}", "eta": f"2025-07-{i + 1:02d}"}
        for i in range(5)
    ]
    return web.json_response({"vessels": calls, "synthetic": True})


async def declarations(request: web.Request) -> web.Response:
    body = await request.read()
    return web.json_response(
        {"received_bytes": len(body), "sha512": hashlib.sha512(body).hexdigest()}, status=201
    )


async def echo(request: web.Request) -> web.Response:
    """What reached the provider: method, raw path, query and headers."""
    body = await request.read()
    return web.json_response(
        {
            "method": request.method,
            "raw_path": request.raw_path,
            "headers": [[k, v] for k, v in request.headers.items()],
            "body_bytes": len(body),
        }
    )


async def payload(request: web.Request) -> web.Response:
    size = int(request.query.get("size", "16384"))
    return web.Response(body=b"x" * size, content_type="application/octet-stream")


async def status(request: web.Request) -> web.Response:
    code = int(request.match_info["code"])
    return web.json_response({"error": "provider says no", "status": code}, status=code)


async def openapi(request: web.Request) -> web.Response:
    return web.Response(
        text=json.dumps(OPENAPI, ensure_ascii=False), content_type="application/json"
    )


def app() -> web.Application:
    a = web.Application(client_max_size=64 * 2**20)
    a.router.add_get("/openapi.json", openapi)
    a.router.add_get("/containers/{id}", get_container)
    a.router.add_get("/vessels", vessels)
    a.router.add_post("/declarations", declarations)
    a.router.add_route("*", "/echo/{tail:.*}", echo)
    a.router.add_get("/payload", payload)
    a.router.add_get("/status/{code}", status)
    return a


async def main(port: int) -> None:
    runner = web.AppRunner(app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print(f"READY {port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
