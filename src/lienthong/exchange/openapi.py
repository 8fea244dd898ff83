"""OpenAPI descriptions: parsed from uploads or fetched at registration, turned into
endpoints, and handed to clients with the upstream's address hidden."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import yaml

from lienthong.core.errors import ValidationFailed
from lienthong.exchange.models import EndpointIn
from lienthong.exchange.xroad import normalise_endpoint_path

MAX_BYTES = 2 * 2**20
FETCH_TIMEOUT = 10.0
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass(frozen=True)
class OpenApiDoc:
    text: str
    format: str  # json | yaml
    source: str  # "upload" or the URL it was fetched from
    doc: dict[str, Any]


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={"openapi": [message]})


def parse(raw: dict[str, Any] | str, source: str = "upload") -> OpenApiDoc:
    """Validate an OpenAPI 3 (or Swagger 2) description given as an object or JSON/YAML text.

    >>> parse('openapi: 3.0.0\\ninfo: {title: t, version: "1"}\\npaths: {}').format
    'yaml'
    """
    if isinstance(raw, dict):
        text, fmt, doc = json.dumps(raw, ensure_ascii=False), "json", raw
    else:
        if len(raw.encode()) > MAX_BYTES:
            raise _invalid(f"the OpenAPI description exceeds {MAX_BYTES:,} bytes")
        text = raw
        try:
            doc, fmt = json.loads(raw), "json"
        except ValueError:
            try:
                doc, fmt = yaml.safe_load(raw), "yaml"
            except yaml.YAMLError as exc:
                raise _invalid(f"the OpenAPI description is neither JSON nor YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise _invalid("the OpenAPI description must be an object")
    version = str(doc.get("openapi") or doc.get("swagger") or "")
    if not (version.startswith("3.") or version == "2.0"):
        raise _invalid("not an OpenAPI 3 (or Swagger 2.0) description: `openapi: 3.x` is missing")
    if not isinstance(doc.get("paths", {}), dict):
        raise _invalid("`paths` must be an object")
    return OpenApiDoc(text, fmt, source, doc)


def check_http_url(url: str, field: str) -> str:
    """An absolute http(s) URL without credentials, query or fragment."""
    parts = urlsplit(url)
    problem = None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problem = "must be an absolute http:// or https:// URL"
    elif parts.username or parts.password:
        problem = "may not carry credentials"
    elif parts.query or parts.fragment:
        problem = "may not carry a query or fragment"
    if problem:
        raise ValidationFailed(f"{field} {problem}", errors={field: [problem]})
    return url.rstrip("/")


def fetch(url: str) -> OpenApiDoc:
    """Fetch a description at registration time: 10 s, 2 MiB, no redirects."""
    check_http_url(url, "openapi_url")
    try:
        with (
            httpx.Client(timeout=FETCH_TIMEOUT, follow_redirects=False) as client,
            client.stream("GET", url) as resp,
        ):
            if resp.status_code != 200:
                raise _invalid(f"fetching {url} answered HTTP {resp.status_code}")
            body = bytearray()
            for chunk in resp.iter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    raise _invalid(f"the description at {url} exceeds {MAX_BYTES:,} bytes")
    except httpx.HTTPError as exc:
        raise _invalid(f"cannot fetch {url}: {exc}") from exc
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _invalid(f"the description at {url} is not UTF-8") from exc
    return parse(text, source=url)


def endpoints(doc: dict[str, Any]) -> list[EndpointIn]:
    """One endpoint per path and method, `{param}` turned into `*`."""
    found: list[EndpointIn] = []
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                summary = str(op.get("summary") or op.get("operationId") or "")[:300] or None
                found.append(
                    EndpointIn(
                        method=method.upper(), path=normalise_endpoint_path(path), summary=summary
                    )
                )
    return found


def for_client(text: str, fmt: str, gateway_url: str) -> tuple[bytes, str]:
    """The stored description with `servers` pointing at the gateway, not the upstream."""
    doc = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    if "swagger" in doc:
        parts = urlsplit(gateway_url)
        doc["host"], doc["basePath"], doc["schemes"] = parts.netloc, parts.path, [parts.scheme]
    else:
        doc["servers"] = [{"url": gateway_url}]
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False).encode(), "application/json; charset=utf-8"
    dumped = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    return dumped.encode(), "text/yaml; charset=utf-8"
