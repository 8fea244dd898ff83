"""A customs information system (the consumer): it calls services through the gateway.

Run: python tests/exchange_peers/customs.py SCRIPT.json. The script holds the gateway's
address, the client identifier, the API key and a list of calls; the report on stdout
gives each call's status, headers and body. Standard library only, like a plain client.
"""

from __future__ import annotations

import base64
import http.client
import json
import sys
from typing import Any


def call(
    conn: http.client.HTTPConnection, script: dict[str, Any], c: dict[str, Any]
) -> dict[str, Any]:
    headers = {"X-Road-Client": script["client"], "X-API-Key": script["key"]}
    headers |= c.get("headers", {})
    body = c.get("body")
    raw = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    if raw is not None:
        headers["Content-Type"] = "application/json; charset=utf-8"
    conn.request(c.get("method", "GET"), c["path"], body=raw, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    try:
        parsed: Any = json.loads(data)
    except ValueError:
        parsed = base64.b64encode(data).decode()
    return {
        "status": resp.status,
        "headers": {k.lower(): v for k, v in resp.getheaders()},
        "body": parsed,
    }


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        script = json.load(f)
    conn = http.client.HTTPConnection(script["host"], script["port"], timeout=20)
    results = [call(conn, script, c) for c in script["calls"]]
    conn.close()
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
