"""Who may read a dataset, which fields, and whether personal fields are masked.

- `public`: anyone; `shared`: any authenticated principal; `restricted`: a grant.
- The owner organisation reads everything unmasked.
- Personal fields are masked unless a grant names a legal basis.
- Reads of restricted or unmasked personal data are audited by the caller.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, or_, select
from sqlalchemy.engine import RowMapping

from lienthong.catalog.models import Classification
from lienthong.catalog.schema import grants
from lienthong.catalog.tableschema import TableSchema
from lienthong.core.auth import Principal, Role
from lienthong.core.errors import Forbidden, NotFound, Unauthenticated
from lienthong.core.timeutil import utcnow


@dataclass(frozen=True)
class ReadAccess:
    """What one principal may read of one dataset."""

    fields: tuple[str, ...]
    masked: frozenset[str]
    # restricted data or unmasked personal data: every read is audited
    audited: bool
    basis: str

    def visible(self, requested: list[str] | None) -> list[str]:
        if not requested:
            return list(self.fields)
        hidden = [f for f in requested if f not in self.fields]
        if hidden:
            raise Forbidden(f"fields not readable under your access: {', '.join(hidden[:10])}")
        return requested


def can_see(principal: Principal | None, dataset: RowMapping) -> bool:
    """Metadata: public datasets for anyone; the rest for authenticated principals."""
    return dataset["classification"] == Classification.PUBLIC or principal is not None


def _active_grants(conn: Connection, principal: Principal, dataset_id: int) -> list[RowMapping]:
    holders = []
    if principal.kind == "subsystem":
        holders.append(grants.c.subsystem_id == principal.id)
    if principal.member_ids:
        holders.append(grants.c.member_id.in_(sorted(principal.member_ids)))
    if not holders:
        return []
    q = select(grants).where(
        grants.c.dataset_id == dataset_id, grants.c.revoked_at.is_(None), or_(*holders)
    )
    now = utcnow()
    return [g for g in conn.execute(q).mappings() if _live(g["expires_at"], now)]


def _live(expires: datetime | None, now: datetime) -> bool:
    aware = _aware(expires)
    return aware is None or aware > now


def _aware(dt: datetime | None) -> datetime | None:
    return dt.replace(tzinfo=UTC) if dt is not None and dt.tzinfo is None else dt


def read_access(
    conn: Connection, principal: Principal | None, dataset: RowMapping, schema: TableSchema
) -> ReadAccess:
    """Decide what `principal` reads of `dataset`, or raise Unauthenticated / Forbidden."""
    names = tuple(schema.names)
    personal = frozenset(f.name for f in schema.fields if f.personal)
    cls = dataset["classification"]
    if (
        principal is not None
        and principal.has_role(dataset["owner_member_id"], Role.VIEWER)
        and not principal.platform_admin
    ):
        return ReadAccess(
            names, frozenset(), bool(personal) or cls == Classification.RESTRICTED, "owner"
        )
    found = _active_grants(conn, principal, dataset["id"]) if principal else []
    if found:
        allowed: set[str] = set()
        for g in found:
            allowed |= set(json.loads(g["fields"])) if g["fields"] else set(names)
        unmasked = any(g["legal_basis"] for g in found)
        fields = tuple(n for n in names if n in allowed)
        masked = frozenset() if unmasked else personal & set(fields)
        audited = cls == Classification.RESTRICTED or (unmasked and bool(personal & set(fields)))
        return ReadAccess(fields, masked, audited, f"grant {found[0]['id']}")
    if cls == Classification.PUBLIC:
        return ReadAccess(names, personal, False, "public")
    if principal is None:
        raise Unauthenticated("this dataset is shared with members: send an API key")
    if cls == Classification.SHARED:
        return ReadAccess(names, personal, False, "shared")
    raise Forbidden(f"dataset '{dataset['name']}' is restricted: ask its owner for a grant")


def mask(value: Any) -> Any:
    """Hide the middle of a personal value.

    >>> mask("0912345689"), mask("abc"), mask(None)
    ('0*******89', '***', None)
    """
    if value is None:
        return None
    text = str(value)
    if len(text) <= 4:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 3) + text[-2:]


def require_visible(principal: Principal | None, dataset: RowMapping) -> None:
    if not can_see(principal, dataset):
        # do not confirm that a non-public dataset exists to anonymous callers
        raise NotFound(f"dataset '{dataset['name']}' does not exist")
