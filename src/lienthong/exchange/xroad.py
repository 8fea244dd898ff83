"""X-Road REST r1 vocabulary: identifiers, endpoint patterns, headers and error bodies.

Identifier parts are percent-encoded UTF-8 on the wire and, once decoded, may hold
only ``A–Z a–z 0–9 ' ( ) + , - . = ?`` (1–64 characters).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from urllib.parse import unquote

PART = re.compile(r"^[A-Za-z0-9'()+,\-.=?]{1,64}$")
# X-Road-Id, X-Road-UserId, X-Road-Issue: visible ASCII, no control characters
TOKEN_VALUE = re.compile(r"^[\x20-\x7e]{1,255}$")
CONTROL_TEXT = re.compile(r"[\x00-\x1f\x7f]")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})
META_SERVICES = frozenset({"listMethods", "allowedMethods", "getOpenAPI"})

# RFC 7230 hop-by-hop headers, and those X-Road filters because they name hosts
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
FILTERED_REQUEST = HOP_BY_HOP | {
    b"host",
    b"user-agent",
    b"server",
    b"content-length",
    b"expect",
    b"x-api-key",
    b"x-road-client",
    b"x-road-service",
    b"x-road-id",
    b"x-road-request-id",
    b"x-road-request-hash",
    b"x-road-error",
}
# set by the gateway on the way back; a provider's own values are dropped
FILTERED_RESPONSE = HOP_BY_HOP | {
    b"server",
    b"content-length",
    b"date",
    b"x-road-client",
    b"x-road-service",
    b"x-road-id",
    b"x-road-request-id",
    b"x-road-request-hash",
    b"x-road-error",
}


class XRoadError(Exception):
    """An error the gateway answers itself, with an `X-Road-Error` code.

    >>> XRoadError(403, "Server.ServerProxy.AccessDenied", "no right").code
    'Server.ServerProxy.AccessDenied'
    """

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def bad_request(message: str) -> XRoadError:
    return XRoadError(400, "Client.BadRequest", message)


@dataclass(frozen=True)
class ClientId:
    """INSTANCE/CLASS/MEMBER/SUBSYSTEM."""

    instance: str
    member_class: str
    member_code: str
    subsystem: str

    def __str__(self) -> str:
        return f"{self.instance}/{self.member_class}/{self.member_code}/{self.subsystem}"


@dataclass(frozen=True)
class ServiceId:
    """INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE."""

    provider: ClientId
    code: str

    def __str__(self) -> str:
        return f"{self.provider}/{self.code}"


def decode_part(raw: str, what: str) -> str:
    """A percent-decoded identifier part, or Client.BadRequest.

    >>> decode_part("G12.31", "member code")
    'G12.31'
    >>> decode_part("A%2FB", "member code")
    Traceback (most recent call last):
    ...
    lienthong.exchange.xroad.XRoadError: the member code 'A/B' is not a valid identifier part
    """
    value = unquote(raw, errors="strict") if "%" in raw else raw
    if not PART.match(value):
        shown = value[:80].encode("unicode_escape").decode("ascii")
        raise bad_request(f"the {what} '{shown}' is not a valid identifier part")
    return value


# parsed identifiers by their raw text: a gateway sees few distinct ones, many times
_CLIENTS: dict[str, ClientId] = {}
_SERVICES: dict[str, list[str]] = {}
_CACHED = 10_000


def parse_client(header: str | None) -> ClientId:
    """The X-Road-Client header: four parts, the subsystem included.

    >>> str(parse_client("VN/GOV/G12.31/CUSTOMS"))
    'VN/GOV/G12.31/CUSTOMS'
    """
    if not header:
        raise XRoadError(400, "Client.MissingHeaderField", "the X-Road-Client header is required")
    known = _CLIENTS.get(header)
    if known is None:
        known = _parse_client(header)
        if len(_CLIENTS) >= _CACHED:
            _CLIENTS.clear()
        _CLIENTS[header] = known
    return known


def _parse_client(header: str) -> ClientId:
    parts = header.strip().split("/")
    if len(parts) != 4:
        raise XRoadError(
            400,
            "Client.InvalidClientIdentifier",
            "X-Road-Client must be INSTANCE/CLASS/MEMBER/SUBSYSTEM; this gateway serves "
            "subsystems only",
        )
    try:
        names = ("instance", "member class", "member code", "subsystem code")
        return ClientId(*(decode_part(p, n) for p, n in zip(parts, names, strict=True)))
    except (XRoadError, UnicodeDecodeError) as exc:
        raise XRoadError(
            400, "Client.InvalidClientIdentifier", f"X-Road-Client is malformed: {exc}"
        ) from exc


def split_raw_path(raw_path: bytes) -> tuple[list[str], str]:
    """`/r1/I/C/M/S[/SERVICE][/rest]` → the decoded id parts (4 or 5) and the raw rest.

    >>> split_raw_path(b"/r1/VN/COM/0200236845/TOS/containers/MSCU1234567")
    (['VN', 'COM', '0200236845', 'TOS', 'containers'], '/MSCU1234567')
    """
    try:
        text = raw_path.decode("ascii")
    except UnicodeDecodeError as exc:
        raise bad_request("the request path must be percent-encoded ASCII") from exc
    if not text.startswith("/r1/"):
        raise bad_request("the path must start with /r1/ (X-Road message protocol for REST r1)")
    segments = text[4:].split("/", 5)
    if len(segments) < 5 or not segments[4]:
        raise bad_request(
            "the path must name a service: /r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/path]"
        )
    rest = "/" + segments[5] if len(segments) == 6 else ""
    raw = "/".join(segments[:5])
    parts = _SERVICES.get(raw)
    if parts is None:
        names = ("instance", "member class", "member code", "subsystem code", "service code")
        try:
            parts = [decode_part(s, n) for s, n in zip(segments[:5], names, strict=True)]
        except UnicodeDecodeError as exc:
            raise bad_request("an identifier part is not percent-encoded UTF-8") from exc
        if len(_SERVICES) >= _CACHED:
            _SERVICES.clear()
        _SERVICES[raw] = parts
    return parts, rest


def rest_segments(rest: str) -> list[str]:
    """The decoded segments of the path after the service code; dot segments are refused.

    >>> rest_segments("/containers/MSCU%201")
    ['containers', 'MSCU 1']
    """
    if not rest:
        return []
    segments = []
    for raw in rest[1:].split("/"):
        value = unquote(raw) if "%" in raw else raw
        if value in (".", "..") or CONTROL_TEXT.search(value):
            raise bad_request("the service path may not hold dot segments or control characters")
        segments.append(value)
    return segments


def compile_pattern(path: str) -> re.Pattern[str] | None:
    """An endpoint path as a regex over decoded paths; None for '**' (everything).

    `*` matches one segment, `**` any number, `{name}` (OpenAPI) one segment.

    >>> bool(compile_pattern("/containers/*").match("/containers/MSCU1"))
    True
    >>> bool(compile_pattern("/containers/*").match("/containers/a/b"))
    False
    """
    if path in ("/**", "**"):
        return None
    out = []
    for seg in path.strip("/").split("/"):
        if seg == "**":
            out.append("(?:/[^/]*)*")
        elif seg == "*" or (seg.startswith("{") and seg.endswith("}")):
            out.append("/[^/]+")
        else:
            out.append("/" + re.escape(seg))
    return re.compile("^" + "".join(out) + "/?$")


def normalise_endpoint_path(path: str) -> str:
    """OpenAPI templates become X-Road wildcards.

    >>> normalise_endpoint_path("containers/{id}")
    '/containers/*'
    """
    path = "/" + path.strip().lstrip("/")
    return "/".join("*" if s.startswith("{") and s.endswith("}") else s for s in path.split("/"))


def error_body(code: str, message: str, detail: str) -> bytes:
    """X-Road's error body: `{"type", "message", "detail"}`; detail is the X-Road-Id."""
    return json.dumps({"type": code, "message": message, "detail": detail}).encode()


_random = random.Random()  # noqa: S311  (message ids must be unique, not secret)


def new_id() -> str:
    """A random (version 4) UUID, from a fast generator: ids are unique, not secret.

    >>> len(new_id()), new_id()[14]
    (36, '4')
    >>> import uuid
    >>> ids = [uuid.UUID(new_id()) for _ in range(99)]
    >>> {(u.version, u.variant) for u in ids} == {(4, uuid.RFC_4122)}
    True
    """
    n = _random.getrandbits(128) & _CLEAR | _VERSION_4
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# the version (4) and variant (RFC 4122) bits, as uuid.UUID(int=..., version=4) sets them
_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_4 = (4 << 76) | (0x8000 << 48)
