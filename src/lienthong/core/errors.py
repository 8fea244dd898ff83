"""Domain errors, defined once. Each interface maps them to its own convention.

>>> raise NotFound("member GOV/H31 not found")
Traceback (most recent call last):
...
lienthong.core.errors.NotFound: member GOV/H31 not found
"""

from __future__ import annotations

from typing import Any, ClassVar


class LienthongError(Exception):
    """Base of every error a caller can act on."""

    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"
    exit_code: ClassVar[int] = 2

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        # field -> messages, for errors that concern named fields
        self.errors: dict[str, list[str]] = errors or {}

    def to_details(self) -> dict[str, Any]:
        return {"errors": self.errors} if self.errors else {}


class ValidationFailed(LienthongError):
    status = 422
    title = "Validation failed"
    exit_code = 2


class NotFound(LienthongError):
    status = 404
    title = "Not found"
    exit_code = 3


class Conflict(LienthongError):
    status = 409
    title = "Conflict"
    exit_code = 4


class Unauthenticated(LienthongError):
    status = 401
    title = "Unauthenticated"
    exit_code = 5


class Forbidden(LienthongError):
    status = 403
    title = "Forbidden"
    exit_code = 6


class TooLarge(LienthongError):
    status = 413
    title = "Payload too large"
    exit_code = 2


class IntegrityBroken(LienthongError):
    """Stored evidence does not verify (e.g. a broken audit chain)."""

    status = 500
    title = "Integrity check failed"
    exit_code = 1
