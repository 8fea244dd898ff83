"""Identifiers: random tokens and request ids."""

from __future__ import annotations

import secrets
import uuid


def request_id() -> str:
    return uuid.uuid4().hex


def token_urlsafe(nbytes: int = 32) -> str:
    """A random token of `nbytes` bytes (256 bits by default), URL-safe base64."""
    return secrets.token_urlsafe(nbytes)
