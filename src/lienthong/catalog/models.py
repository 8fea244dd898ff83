"""Inputs of the catalog, shared by the native API, CKAN's API and the CLI."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

NAME_RE = re.compile(r"^[a-z0-9_-]{2,100}$")

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{2,100}$")]
Text300 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
UnitCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{2,5}$")]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]


class Classification(StrEnum):
    PUBLIC = "public"
    SHARED = "shared"  # the default, per Decree 194/2025
    RESTRICTED = "restricted"


class Frequency(StrEnum):
    REALTIME = "realtime"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    IRREGULAR = "irregular"


class DatasetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Slug
    owner: Annotated[str, StringConstraints(max_length=80, pattern=r"^[^/]+/[^/]+$")]
    title: Text300
    title_en: Text300 | None = None
    description: Annotated[str, StringConstraints(max_length=20_000)] = ""
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    license_id: Annotated[str, StringConstraints(max_length=100)] = "cc-by-4.0"
    classification: Classification = Classification.SHARED
    update_frequency: Frequency | None = None
    spatial: list[UnitCode] = Field(default_factory=list, max_length=5000)
    temporal_start: IsoDate | None = None
    temporal_end: IsoDate | None = None
    schema_: dict[str, Any] = Field(alias="schema")

    @field_validator("tags")
    @classmethod
    def _unique_tags(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(v))


class DatasetPatch(BaseModel):
    """A partial update: only the keys given change."""

    model_config = ConfigDict(extra="forbid")

    title: Text300 | None = None
    title_en: Text300 | None = None
    description: Annotated[str, StringConstraints(max_length=20_000)] | None = None
    tags: list[Tag] | None = Field(None, max_length=50)
    license_id: Annotated[str, StringConstraints(max_length=100)] | None = None
    classification: Classification | None = None
    update_frequency: Frequency | None = None
    spatial: list[UnitCode] | None = Field(None, max_length=5000)
    temporal_start: IsoDate | None = None
    temporal_end: IsoDate | None = None
    schema_: dict[str, Any] | None = Field(None, alias="schema")


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member: Annotated[str, StringConstraints(max_length=80, pattern=r"^[^/]+/[^/]+$")] | None = None
    subsystem: (
        Annotated[str, StringConstraints(max_length=150, pattern=r"^[^/]+/[^/]+/[^/]+$")] | None
    ) = None
    fields: list[Annotated[str, StringConstraints(max_length=63)]] | None = None
    legal_basis: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]
        | None
    ) = None
    purpose: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]
    expires_at: datetime | None = None
