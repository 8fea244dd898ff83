"""Metaservices (X-Road PR-META and PR-MREST): listClients, listMethods, allowedMethods
and getOpenAPI, answered from the gateway's snapshot."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import select

from lienthong.core.db import Store
from lienthong.exchange import openapi
from lienthong.exchange.schema import services
from lienthong.exchange.snapshot import Endpoint, Service, Snapshot
from lienthong.exchange.xroad import XRoadError

JSON = "application/json; charset=utf-8"
XML = "text/xml; charset=utf-8"


def _id(instance: str, cls: str, code: str, sub: str | None = None) -> dict[str, str]:
    ident = {"xroad_instance": instance, "member_class": cls, "member_code": code}
    if sub is None:
        return ident | {"object_type": "MEMBER"}
    return ident | {"subsystem_code": sub, "object_type": "SUBSYSTEM"}


def list_clients(snap: Snapshot, wants_json: bool) -> tuple[bytes, str]:
    """Members and their subsystems; JSON when asked for, else X-Road's XML clientList."""
    entries: list[dict[str, Any]] = []
    subs_of: dict[tuple[str, str, str], list[Any]] = {}
    for c in snap.clients.values():
        inst, cls, code, sub = c.xroad_id.split("/")
        subs_of.setdefault((inst, cls, code), []).append((sub, c))
    for inst, cls, code, name in snap.members:
        entries.append({"id": _id(inst, cls, code), "name": name})
        for sub, c in sorted(subs_of.get((inst, cls, code), []), key=lambda x: x[0]):
            entries.append(
                {"id": _id(inst, cls, code, sub), "name": name, "subsystem_name": c.subsystem_name}
            )
    if wants_json:
        return json.dumps({"member": entries}, ensure_ascii=False).encode(), JSON
    return _clients_xml(entries).encode(), XML


def _clients_xml(entries: list[dict[str, Any]]) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        '<ns2:clientList xmlns:ns1="http://x-road.eu/xsd/identifiers" '
        'xmlns:ns2="http://x-road.eu/xsd/xroad.xsd">',
    ]
    for e in entries:
        i = e["id"]
        out.append(f'<ns2:member><ns2:id ns1:objectType="{i["object_type"]}">')
        out.append(f"<ns1:xRoadInstance>{escape(i['xroad_instance'])}</ns1:xRoadInstance>")
        out.append(f"<ns1:memberClass>{escape(i['member_class'])}</ns1:memberClass>")
        out.append(f"<ns1:memberCode>{escape(i['member_code'])}</ns1:memberCode>")
        if "subsystem_code" in i:
            out.append(f"<ns1:subsystemCode>{escape(i['subsystem_code'])}</ns1:subsystemCode>")
        out.append(f"</ns2:id><ns2:name>{escape(e['name'])}</ns2:name>")
        if "subsystem_name" in e:
            out.append(f"<ns2:subsystemName>{escape(e['subsystem_name'])}</ns2:subsystemName>")
        out.append("</ns2:member>")
    out.append("</ns2:clientList>")
    return "\n".join(out)


def _service_entry(svc: Service, eps: list[Endpoint]) -> dict[str, Any]:
    inst, cls, code, sub = svc.provider.split("/")
    return {
        "member_class": cls,
        "member_code": code,
        "object_type": "SERVICE",
        "service_code": svc.code,
        "service_type": "OPENAPI" if svc.has_openapi else "REST",
        "subsystem_code": sub,
        "xroad_instance": inst,
        "endpoint_list": [{"method": e.method, "path": e.path} for e in eps],
    }


def provider_services(snap: Snapshot, provider: str) -> list[Service]:
    if provider not in snap.clients:
        raise XRoadError(
            404, "Server.ServerProxy.UnknownMember", f"the subsystem {provider} does not exist"
        )
    return [s for s in snap.by_provider.get(provider, []) if not s.disabled]


def list_methods(snap: Snapshot, provider: str) -> bytes:
    entries = [_service_entry(s, list(s.endpoints)) for s in provider_services(snap, provider)]
    return json.dumps({"service": entries}, ensure_ascii=False).encode()


def allowed_methods(snap: Snapshot, provider: str, client_id: int) -> bytes:
    entries = []
    for s in provider_services(snap, provider):
        eps = snap.allowed_endpoints(s, client_id)
        if eps is not None:
            entries.append(_service_entry(s, eps))
    return json.dumps({"service": entries}, ensure_ascii=False).encode()


def get_openapi(
    store: Store, snap: Snapshot, provider: str, code: str | None, site_url: str
) -> tuple[bytes, str]:
    """The service's OpenAPI description, its `servers` pointing at this gateway."""
    if not code:
        raise XRoadError(400, "Client.BadRequest", "getOpenAPI needs ?serviceCode=")
    provider_services(snap, provider)
    svc = snap.services.get(f"{provider}/{code}")
    if svc is None or svc.disabled:
        raise XRoadError(
            404, "Server.ServerProxy.UnknownService", f"no service {provider}/{code[:64]}"
        )
    with store.read() as conn:
        row = conn.execute(
            select(services.c.openapi, services.c.openapi_format).where(services.c.id == svc.id)
        ).first()
    if row is None or row.openapi is None:
        raise XRoadError(
            404,
            "Server.ServerProxy.UnknownService",
            f"the service {svc.xroad_id} has no OpenAPI description",
        )
    return openapi.for_client(row.openapi, row.openapi_format, f"{site_url}/r1/{svc.xroad_id}")
