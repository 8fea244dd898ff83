"""Inputs of the registry, shared by the REST API and the CLI."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from lienthong.core.auth import Role
from lienthong.registry.identifiers import MemberClass

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]
# a member within this instance: CLASS/CODE, e.g. GOV/H31
MemberRef = Annotated[str, StringConstraints(min_length=3, max_length=80, pattern=r"^[^/]+/[^/]+$")]
# a subsystem within this instance: CLASS/CODE/SUBSYSTEM
SubsystemRef = Annotated[
    str, StringConstraints(min_length=5, max_length=150, pattern=r"^[^/]+/[^/]+/[^/]+$")
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MemberIn(Strict):
    member_class: MemberClass
    member_code: Code
    name: Name
    name_en: Name | None = None


class MemberPatch(Strict):
    name: Name | None = None
    name_en: Name | None = None


class SubsystemIn(Strict):
    code: Code
    name: Name


class UserIn(Strict):
    username: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]
    full_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    email: (
        Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
        | None
    ) = None
    password: Annotated[str, StringConstraints(min_length=12, max_length=256)] | None = None


class RoleIn(Strict):
    role: Role
    # omitted only for platform_admin
    member: MemberRef | None = None


class KeyIn(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    # whose key: a username, or a subsystem; neither means the caller's own
    user: Annotated[str, StringConstraints(max_length=64)] | None = None
    subsystem: SubsystemRef | None = None
    # what a subsystem key may do in its member
    roles: list[Role] = Field(default_factory=lambda: [Role.CONSUMER], max_length=4)
    expires_at: datetime | None = None
