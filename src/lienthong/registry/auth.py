"""Authentication against the registry, and the platform's first administrator."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, exists, select

from lienthong.core.auth import Principal, Role, local_operator
from lienthong.core.db import Store
from lienthong.core.errors import Conflict
from lienthong.core.platform import AuditSink
from lienthong.registry.keys import create_key, resolve, touch
from lienthong.registry.models import KeyIn, RoleIn, UserIn
from lienthong.registry.people import create_user, grant_role
from lienthong.registry.schema import role_assignments


class Authenticator:
    """Resolves tokens on a read transaction; refreshes last_used_at sparingly."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __call__(self, token: str) -> Principal:
        with self.store.read() as conn:
            principal, stale = resolve(conn, token)
        if stale and principal.key_id is not None:
            with self.store.write() as conn:
                touch(conn, principal.key_id)
        return principal


def initialised(conn: Connection) -> bool:
    q = select(exists().where(role_assignments.c.role == Role.PLATFORM_ADMIN.value))
    return bool(conn.execute(q).scalar())


def init_platform(
    conn: Connection, audit: AuditSink, instance: str, username: str, full_name: str, operator: str
) -> dict[str, Any]:
    """Create the first platform admin and its key. Refused once an admin exists."""
    if initialised(conn):
        raise Conflict("the platform is already initialised: a platform admin exists")
    actor = local_operator(operator)
    user = create_user(conn, audit, actor, UserIn(username=username, full_name=full_name))
    grant_role(conn, audit, actor, instance, username, RoleIn(role=Role.PLATFORM_ADMIN))
    key = create_key(conn, audit, actor, instance, KeyIn(name="initial admin key", user=username))
    audit.record(conn, actor.actor, "platform.init", f"user:{username}", {"instance": instance})
    return {"user": user, "key": key}
