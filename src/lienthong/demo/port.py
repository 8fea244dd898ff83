"""The port community flow: a terminal operating system serves customs through the gateway.

A port operator (synthetic tax code) registers its TOS subsystem and a service, and
customs' VNACCS subsystem receives an access right. The service's upstream is the
platform's own public records API of the ports dataset, so the demo needs no extra
process; the exchange still runs through the X-Road REST gateway, with its evidence.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from lienthong.core.auth import Principal, Role
from lienthong.core.errors import NotFound
from lienthong.core.platform import Platform
from lienthong.core.timeutil import utcnow
from lienthong.demo.packs import owners
from lienthong.exchange import rights, services
from lienthong.exchange.models import EndpointIn, RightIn, ServiceIn
from lienthong.exchange.schema import services as service_table
from lienthong.registry import keys, members
from lienthong.registry.models import KeyIn, MemberIn, SubsystemIn
from lienthong.registry.schema import api_keys

# synthetic, valid-format tax code (029… is the demo's range, clear of real firms)
PORT = ("COM", "0299900011", "Công ty cảng container Đình Vũ (mô phỏng)")
TOS, VNACCS, SERVICE = "TOS", "VNACCS", "ports"
KEY_NAME = "demo key (port community)"


def service_path(instance: str) -> str:
    return f"{instance}/{PORT[0]}/{PORT[1]}/{TOS}/{SERVICE}"


def client_id(instance: str) -> str:
    return f"{instance}/{owners.CUSTOMS.ref}/{VNACCS}"


def setup(platform: Platform, actor: Principal, site_url: str) -> list[tuple[str, str]]:
    """Register the port, the subsystems, the service and the right; return fresh keys."""
    inst = platform.settings.instance
    with platform.store.write() as conn:
        port = _member(conn, platform, actor, inst)
        customs = members.member_by_ref(conn, inst, owners.CUSTOMS.ref)
        for member, code, name in (
            (port, TOS, "Hệ thống quản lý cảng (TOS)"),
            (customs, VNACCS, "Hệ thống VNACCS"),
        ):
            existing = [s["code"] for s in members.list_subsystems(conn, member)]
            if code not in existing:
                members.create_subsystem(
                    conn, platform.audit, actor, member, SubsystemIn(code=code, name=name)
                )
        _service(conn, platform, actor, inst, site_url)
        return _keys(conn, platform, actor, inst)


def _member(conn: Any, platform: Platform, actor: Principal, inst: str) -> Any:
    try:
        return members.get_member(conn, inst, PORT[0], PORT[1])
    except NotFound:
        data = MemberIn(member_class=PORT[0], member_code=PORT[1], name=PORT[2])
        members.create_member(conn, platform.audit, actor, inst, data)
        return members.get_member(conn, inst, PORT[0], PORT[1])


def _service(conn: Any, platform: Platform, actor: Principal, inst: str, site_url: str) -> None:
    if conn.execute(select(service_table.c.id).where(service_table.c.code == SERVICE)).first():
        return
    data = ServiceIn(
        provider=f"{PORT[0]}/{PORT[1]}/{TOS}",
        code=SERVICE,
        title="Danh sách cảng và hệ thống TOS (mô phỏng)",
        upstream_url=f"{site_url.rstrip('/')}/api/v1/datasets/cang-bien/records",
        endpoints=[EndpointIn(method="GET", path="/")],
    )
    services.create_service(conn, platform.audit, actor, inst, data, None)
    right = RightIn(
        service=f"{PORT[0]}/{PORT[1]}/{TOS}/{SERVICE}",
        client=f"{owners.CUSTOMS.ref}/{VNACCS}",
        purpose="Thông quan hàng hoá tại cảng (mô phỏng)",
        expires_at=utcnow() + timedelta(days=365),
    )
    rights.grant(conn, platform.audit, actor, inst, right)


def _keys(conn: Any, platform: Platform, actor: Principal, inst: str) -> list[tuple[str, str]]:
    conn.execute(
        api_keys.update()
        .where(api_keys.c.name == KEY_NAME, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    out = []
    for sub, role in (
        (f"{PORT[0]}/{PORT[1]}/{TOS}", Role.PUBLISHER),
        (f"{owners.CUSTOMS.ref}/{VNACCS}", Role.CONSUMER),
    ):
        view = keys.create_key(
            conn, platform.audit, actor, inst, KeyIn(name=KEY_NAME, subsystem=sub, roles=[role])
        )
        out.append((f"subsystem {inst}/{sub}", str(view["token"])))
    return out
