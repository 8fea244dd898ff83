"""The assembled platform handed to services, routers and commands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request
from sqlalchemy import Connection

from lienthong.core.db import Store
from lienthong.core.settings import Settings


class AuditSink(Protocol):
    """Where every write, restricted read and exchange is recorded."""

    def record(
        self,
        conn: Connection,
        actor: str,
        action: str,
        target: str,
        details: dict[str, Any] | None = None,
        member_id: int | None = None,
    ) -> int:
        """Append one entry inside the caller's transaction; return its seq."""
        ...


@dataclass
class Platform:
    settings: Settings
    store: Store
    audit: AuditSink


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]
