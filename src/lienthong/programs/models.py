"""Inputs of the programmes part."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,50}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{2,100}$")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
MemberRef = Annotated[str, StringConstraints(max_length=80, pattern=r"^[^/]+/[^/]+$")]
IndicatorCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,100}$")]
Money = Annotated[int, Field(ge=0, le=10**16)]


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanIn(Strict):
    code: Slug
    title: Title
    document: Annotated[str, StringConstraints(max_length=200)] | None = None
    owner: MemberRef
    start: date | None = None
    end: date | None = None
    budget_vnd: Money | None = None
    description: Annotated[str, StringConstraints(max_length=20_000)] = ""
    source: Annotated[str, StringConstraints(max_length=500)] | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> PlanIn:
        if self.start and self.end and self.end < self.start:
            raise ValueError("end is before start")
        return self


class GroupIn(Strict):
    code: Code
    title: Title
    position: int = Field(0, ge=0, le=10_000)


class TaskIn(Strict):
    group: Code
    code: Code
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    owner: MemberRef
    budget_vnd: Money | None = None
    deadline: date | None = None
    status: Status = Status.NOT_STARTED
    progress: int = Field(0, ge=0, le=100)
    indicators: list[IndicatorCode] = Field(default_factory=list, max_length=50)
    notes: Annotated[str, StringConstraints(max_length=5000)] = ""

    @model_validator(mode="after")
    def _done_is_complete(self) -> TaskIn:
        if self.status == Status.DONE and self.progress != 100:
            raise ValueError("a done task has progress 100")
        return self


class TaskPatch(Strict):
    status: Status | None = None
    progress: int | None = Field(None, ge=0, le=100)
    deadline: date | None = None
    budget_vnd: Money | None = None
    notes: Annotated[str, StringConstraints(max_length=5000)] | None = None
    indicators: list[IndicatorCode] | None = Field(None, max_length=50)
