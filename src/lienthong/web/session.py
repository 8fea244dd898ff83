"""People's sessions: a signed cookie, a CSRF token, and the principal behind it.

The cookie holds only the user's id, a CSRF token and when it was issued, signed with
itsdangerous (HMAC-SHA256 over a per-site secret, with a salt per purpose; its default
would be SHA-1). The user's roles are read from the registry on every request, so revoking
a role or deactivating a person takes effect at once, not when the cookie expires.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import NoResultFound
from starlette.requests import Request
from starlette.responses import Response

from lienthong.core.auth import Principal
from lienthong.core.errors import Unauthenticated
from lienthong.core.platform import Platform
from lienthong.registry.keys import _user_principal  # the registry's one rule for user roles
from lienthong.registry.schema import users
from lienthong.registry.secrets import hash_password, password_matches
from lienthong.web import secret

COOKIE = "lt_session"
MAX_AGE = 12 * 3600  # one working day and a little more, then log in again
_SALT = "lienthong.web.session"


@dataclass
class Session:
    """What the cookie carries. `dirty` means the response must set it again."""

    user_id: int | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    issued: int = field(default_factory=lambda: int(time.time()))
    dirty: bool = False

    def csrf_ok(self, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(self.csrf, str(presented))


def _serializer(platform: Platform) -> URLSafeTimedSerializer:
    key = secret.load_or_create(secret.session_key_file(platform.settings.data_dir))
    return URLSafeTimedSerializer(key, salt=_SALT, signer_kwargs={"digest_method": hashlib.sha256})


def load(request: Request, platform: Platform) -> Session:
    """The visitor's session, or a fresh anonymous one (marked to be set)."""
    raw = request.cookies.get(COOKIE)
    if raw and len(raw) < 1000:
        try:
            data: Any = _serializer(platform).loads(raw, max_age=MAX_AGE)
        except BadSignature:
            data = None
        if isinstance(data, dict) and isinstance(data.get("c"), str):
            uid = data.get("u")
            return Session(uid if isinstance(uid, int) else None, data["c"], int(data.get("t", 0)))
    return Session(dirty=True)


def save(response: Response, session: Session, platform: Platform, secure: bool) -> None:
    token = _serializer(platform).dumps(
        {"u": session.user_id, "c": session.csrf, "t": session.issued}
    )
    response.set_cookie(
        COOKIE, token, max_age=MAX_AGE, httponly=True, samesite="lax", secure=secure, path="/"
    )


def principal_of(session: Session, platform: Platform) -> Principal | None:
    """The logged-in person, or None for a visitor or a person since deactivated."""
    if session.user_id is None:
        return None
    with platform.store.read() as conn:
        try:
            return _user_principal(conn, session.user_id, None)
        except (Unauthenticated, NoResultFound):
            return None


def check_password(platform: Platform, username: str, password: str) -> int | None:
    """The user's id when the password matches an active account, else None.

    The hash is verified even for unknown names, so timing does not reveal which
    usernames exist.
    """
    row = None
    if "\x00" not in username:  # no username holds NUL, and PostgreSQL refuses it in text
        with platform.store.read() as conn:
            query = select(users).where(users.c.username == username[:64])
            row = conn.execute(query).mappings().first()
    stored = row["password_hash"] if row is not None else _dummy_hash()
    matched = password_matches(password[:1024], stored)
    if row is None or not row["active"] or not matched:
        return None
    return int(row["id"])


def new_login(user_id: int) -> Session:
    """A new session (new CSRF token) on login: no fixation of a pre-login session."""
    return Session(user_id=user_id, dirty=True)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))
