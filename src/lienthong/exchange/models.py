"""Inputs of the exchange, shared by the REST API and the CLI."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9'()+,\-.=?]{1,64}$")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Purpose = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=2000)]
# CLASS/CODE/SUBSYSTEM within this instance
SubsystemRef = Annotated[
    str, StringConstraints(min_length=5, max_length=200, pattern=r"^[^/]+/[^/]+/[^/]+$")
]
# CLASS/CODE/SUBSYSTEM/SERVICE within this instance
ServiceRef = Annotated[
    str, StringConstraints(min_length=7, max_length=270, pattern=r"^[^/]+/[^/]+/[^/]+/[^/]+$")
]
# CLASS/CODE/GROUP: a group owned by an organisation
GroupRef = Annotated[
    str, StringConstraints(min_length=5, max_length=200, pattern=r"^[^/]+/[^/]+/[^/]+$")
]
SubjectKey = Literal["citizen_id", "tax_code"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EndpointIn(Strict):
    """An HTTP method (or *) and a path pattern (* one segment, ** any, {name} one)."""

    method: Annotated[str, StringConstraints(to_upper=True, pattern=r"^(\*|[A-Z]{3,7})$")] = "*"
    path: Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=r"^[^\s?#]+$")]
    summary: Annotated[str, StringConstraints(max_length=300)] | None = None

    @classmethod
    def parse(cls, text: str) -> EndpointIn:
        """`GET /containers/*` or `/containers/*` (any method)."""
        method, _, path = text.strip().partition(" ")
        if not path:
            return cls(method="*", path=method)
        return cls(method=method, path=path.strip())


class ServiceIn(Strict):
    provider: SubsystemRef
    code: Code
    title: Title
    upstream_url: Url
    # an OpenAPI 3 (or Swagger 2) description: an object, or JSON/YAML text
    openapi: dict[str, Any] | str | None = None
    openapi_url: Url | None = None
    # endpoints; when omitted they are read from the OpenAPI description's paths
    endpoints: list[EndpointIn] | None = Field(default=None, max_length=1000)
    subject_keys: list[SubjectKey] = Field(default_factory=list, max_length=2)
    disabled: bool = False


class ServicePatch(Strict):
    title: Title | None = None
    upstream_url: Url | None = None
    openapi: dict[str, Any] | str | None = None
    openapi_url: Url | None = None
    endpoints: list[EndpointIn] | None = Field(default=None, max_length=1000)
    subject_keys: list[SubjectKey] | None = Field(default=None, max_length=2)
    disabled: bool | None = None


class GroupIn(Strict):
    owner: Annotated[str, StringConstraints(pattern=r"^[^/]+/[^/]+$", max_length=80)]
    code: Code
    description: Annotated[str, StringConstraints(max_length=500)] = ""


class RightIn(Strict):
    service: ServiceRef
    # one endpoint of the service; omitted means the whole service
    endpoint: EndpointIn | None = None
    client: SubsystemRef | None = None
    group: GroupRef | None = None
    purpose: Purpose
    expires_at: datetime

    @field_validator("expires_at")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("give a timezone, e.g. 2026-12-31T23:59:59+07:00")
        return v


class AccessRequestIn(Strict):
    service: ServiceRef
    endpoint: EndpointIn | None = None
    client: SubsystemRef
    purpose: Purpose
    justification: Annotated[str, StringConstraints(max_length=2000)] = ""
    expires_at: datetime | None = None


class DecisionIn(Strict):
    reason: Reason | None = None
    # for an approval: when the right ends (default: what was asked, else one year)
    expires_at: datetime | None = None


class RefusalIn(Strict):
    reason: Reason


class LimitsIn(Strict):
    rate_per_second: float = Field(gt=0, le=1_000_000)
    burst: int = Field(ge=1, le=10_000_000)
    daily_quota: int = Field(ge=1, le=10_000_000_000)
