"""API-key tokens and password hashes.

A key is 256 random bits shown once. The database keeps a lookup prefix and
the SHA-256 of the whole token: a slow hash adds nothing to a 256-bit secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "lt_"  # noqa: S105  (a marker that makes leaked keys greppable, not a secret)
PREFIX_LEN = 12  # "lt_" + 9 characters of the random part
_hasher = PasswordHasher()


def new_token() -> str:
    """A fresh key: ``lt_`` and 43 URL-safe characters (256 bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_prefix(token: str) -> str:
    return token[:PREFIX_LEN]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(token_hash(token), stored_hash)


def hash_password(password: str) -> str:
    return str(_hasher.hash(password))


def password_matches(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        return bool(_hasher.verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False
