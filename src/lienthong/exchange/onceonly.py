"""Once-only lookup: which members' datasets and services hold data about a subject.

Data the state already holds must not be asked for again. Given a citizen ID (12 digits)
or an enterprise tax code, the lookup checks each dataset whose Table Schema marks a field
`subject: citizen_id | tax_code` with one bounded query (`LIMIT 1`, indexed when the field
is a key or listed in `indexes`), and lists the services that declare the subject key.
It returns dataset and service names with their owners, never data. Since 1 July 2025 a
person's tax code is their citizen ID, so 12 digits are looked up under both keys.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, literal, select, text
from sqlalchemy.exc import DBAPIError

from lienthong.catalog.service import active_rows, dataset_view, schema_of, table_name
from lienthong.core.auth import Principal
from lienthong.core.errors import ValidationFailed
from lienthong.core.platform import Platform
from lienthong.exchange.schema import services
from lienthong.exchange.services import service_id_text
from lienthong.registry.identifiers import tax_code_valid
from lienthong.warehouse.tables import query_table

CITIZEN_ID = re.compile(r"^\d{12}$")
# PostgreSQL stops a dataset's probe after this long (an unindexed subject field)
PROBE_TIMEOUT_MS = 2000


def subject_kinds(subject: str) -> tuple[str, ...]:
    """Which subject keys a value can be.

    >>> subject_kinds("031099001234"), subject_kinds("0200236845")
    (('citizen_id', 'tax_code'), ('tax_code',))
    """
    if CITIZEN_ID.match(subject):
        return ("citizen_id", "tax_code")
    if tax_code_valid(subject):
        return ("tax_code",)
    raise ValidationFailed(
        "the subject must be a 12-digit citizen ID or a valid tax code (10 digits, or -NNN)",
        errors={"subject": ["not a citizen ID or tax code"]},
    )


def salt(data_dir: Path) -> bytes:
    """The secret that salts subject hashes in the audit log, made on first use."""
    path = data_dir / "keys" / "subject-salt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def subject_hash(key: bytes, subject: str) -> str:
    return hmac.new(key, subject.encode(), hashlib.sha256).hexdigest()


def _probe(conn: Connection, dataset: Any, kinds: tuple[str, ...], subject: str) -> bool | None:
    """True/False: the subject is/is not in the dataset; None: the probe timed out."""
    schema = schema_of(dataset)
    fields = [f for f in schema.fields if f.subject in kinds]
    if not fields:
        return False
    table = query_table(table_name(dataset), schema)
    for f in fields:
        value: Any = int(subject) if f.type == "integer" else subject
        if f.type not in ("string", "integer", "any"):
            continue
        q = select(literal(1)).select_from(table).where(table.c[f.name] == value).limit(1)
        try:
            with conn.begin_nested():
                if conn.dialect.name == "postgresql":
                    conn.execute(text(f"SET LOCAL statement_timeout = {PROBE_TIMEOUT_MS}"))
                if conn.execute(q).first() is not None:
                    return True
        except DBAPIError:
            return None
    return False


def lookup(platform: Platform, actor: Principal, subject: str) -> dict[str, Any]:
    subject = subject.strip()
    kinds = subject_kinds(subject)
    found, unchecked = [], []
    with platform.store.read() as conn:
        for ds in active_rows(conn):
            hit = _probe(conn, ds, kinds, subject)
            if hit is None:
                unchecked.append(_named(conn, ds))
            elif hit:
                found.append(_named(conn, ds))
        declared = _services(conn, kinds)
    digest = subject_hash(salt(platform.settings.data_dir), subject)
    details = {
        "subject_sha256_salted": digest,
        "subject_kinds": list(kinds),
        "datasets": [d["name"] for d in found],
        "services": [s["id"] for s in declared],
    }
    with platform.store.write() as conn:
        platform.audit.record(conn, actor.actor, "exchange.once_only", f"subject:{digest}", details)
    return {
        "subject_kinds": list(kinds),
        "datasets": found,
        "datasets_unchecked": unchecked,
        "services": declared,
        "note": "names and owners only: ask the owner through the exchange, not the citizen",
    }


def _named(conn: Connection, ds: Any) -> dict[str, Any]:
    view = dataset_view(conn, ds)
    return {k: view[k] for k in ("name", "title", "owner", "owner_name")}


def _services(conn: Connection, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    out = []
    q = select(services).where(services.c.disabled.is_(False)).order_by(services.c.id)
    for row in conn.execute(q).mappings():
        keys = set(json.loads(row["subject_keys"]))
        if keys & set(kinds):
            ident = service_id_text(conn, row)
            out.append(
                {
                    "id": ident,
                    "title": row["title"],
                    "owner": ident.rsplit("/", 2)[0],
                    "subject_keys": sorted(keys),
                }
            )
    return out
