"""The gateway's in-memory view of services, rights, clients and limits.

The proxy never reads the database on the hot path: it reads a snapshot that is
reloaded whole when older than `cache_seconds` (the revocation delay). A province
has hundreds of services and thousands of rights, so a reload is a few small queries.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from lienthong.core.timeutil import utcnow
from lienthong.exchange.schema import endpoints, group_members, limits, rights, services
from lienthong.exchange.xroad import compile_pattern
from lienthong.registry.schema import members, subsystems


@dataclass(frozen=True)
class Endpoint:
    id: int
    method: str
    path: str
    pattern: re.Pattern[str] | None  # None: every path

    def matches(self, method: str, path: str) -> bool:
        if self.method != "*" and self.method != method:
            return False
        return self.pattern is None or bool(self.pattern.match(path or "/"))


@dataclass(frozen=True)
class Service:
    id: int
    xroad_id: str
    provider: str
    code: str
    member_id: int
    upstream: str
    disabled: bool
    has_openapi: bool
    endpoints: tuple[Endpoint, ...]
    subject_keys: tuple[str, ...]


@dataclass(frozen=True)
class Grant:
    right_id: int
    endpoint_id: int | None  # None: the whole service
    expires: float  # epoch seconds


@dataclass(frozen=True)
class Client:
    subsystem_id: int
    xroad_id: str
    member_id: int
    member_name: str
    subsystem_name: str


@dataclass(frozen=True)
class Limits:
    rate_per_second: float
    burst: int
    daily_quota: int


@dataclass
class Snapshot:
    services: dict[str, Service] = field(default_factory=dict)
    by_provider: dict[str, list[Service]] = field(default_factory=dict)
    grants: dict[tuple[int, int], list[Grant]] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    members: list[tuple[str, str, str, str]] = field(default_factory=list)
    limits: dict[int, Limits] = field(default_factory=dict)
    loaded_at: float = 0.0

    def allowed(self, service: Service, client_id: int, method: str, path: str) -> Grant | None:
        """The right that lets `client_id` call `method path` on `service`, if any."""
        now = time.time()
        for g in self.grants.get((service.id, client_id), ()):
            if g.expires <= now:
                continue
            if g.endpoint_id is None:
                return g
            for e in service.endpoints:
                if e.id == g.endpoint_id and e.matches(method, path):
                    return g
        return None

    def allowed_endpoints(self, service: Service, client_id: int) -> list[Endpoint] | None:
        """What a client may call: None for nothing, every endpoint for a service-wide right."""
        now = time.time()
        live = [g for g in self.grants.get((service.id, client_id), ()) if g.expires > now]
        if not live:
            return None
        if any(g.endpoint_id is None for g in live):
            return list(service.endpoints)
        ids = {g.endpoint_id for g in live}
        return [e for e in service.endpoints if e.id in ids]


def load(conn: Connection, instance: str) -> Snapshot:
    snap = Snapshot(loaded_at=time.monotonic())
    member_rows = {r["id"]: r for r in conn.execute(select(members)).mappings()}
    sub_rows = {r["id"]: r for r in conn.execute(select(subsystems)).mappings()}
    for m in sorted(member_rows.values(), key=lambda r: r["id"]):
        if m["instance"] == instance:
            snap.members.append((m["instance"], m["member_class"], m["member_code"], m["name"]))
    sub_ids: dict[int, str] = {}
    for s in sub_rows.values():
        m = member_rows[s["member_id"]]
        text = f"{m['instance']}/{m['member_class']}/{m['member_code']}/{s['code']}"
        sub_ids[s["id"]] = text
        snap.clients[text] = Client(s["id"], text, m["id"], m["name"], s["name"])
    _load_services(conn, snap, sub_ids)
    _load_grants(conn, snap)
    for r in conn.execute(select(limits)).mappings():
        snap.limits[r["subsystem_id"]] = Limits(r["rate_per_second"], r["burst"], r["daily_quota"])
    return snap


def _load_services(conn: Connection, snap: Snapshot, sub_ids: dict[int, str]) -> None:
    eps: dict[int, list[Endpoint]] = {}
    for e in conn.execute(select(endpoints).order_by(endpoints.c.id)).mappings():
        eps.setdefault(e["service_id"], []).append(
            Endpoint(e["id"], e["method"], e["path"], compile_pattern(e["path"]))
        )
    cols = [c for c in services.c if c.name != "openapi"]
    q = select(*cols, services.c.openapi.is_not(None).label("has_openapi"))
    for r in conn.execute(q).mappings():
        provider = sub_ids[r["subsystem_id"]]
        client = snap.clients[provider]
        svc = Service(
            id=r["id"],
            xroad_id=f"{provider}/{r['code']}",
            provider=provider,
            code=r["code"],
            member_id=client.member_id,
            upstream=r["upstream_url"],
            disabled=bool(r["disabled"]),
            has_openapi=bool(r["has_openapi"]),
            endpoints=tuple(eps.get(r["id"], ())),
            subject_keys=tuple(json.loads(r["subject_keys"])),
        )
        snap.services[svc.xroad_id] = svc
        snap.by_provider.setdefault(provider, []).append(svc)


def _load_grants(conn: Connection, snap: Snapshot) -> None:
    now = utcnow()
    live = select(rights).where(rights.c.revoked_at.is_(None), rights.c.expires_at > now)
    in_group: dict[int, list[int]] = {}
    for gm in conn.execute(select(group_members)).mappings():
        in_group.setdefault(gm["group_id"], []).append(gm["subsystem_id"])
    for r in conn.execute(live).mappings():
        expires = r["expires_at"]
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=now.tzinfo)
        grant = Grant(r["id"], r["endpoint_id"], expires.timestamp())
        holders = [r["subsystem_id"]] if r["subsystem_id"] else in_group.get(r["group_id"], [])
        for h in holders:
            snap.grants.setdefault((r["service_id"], h), []).append(grant)
