"""Programme tables."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from lienthong.core.db import metadata

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(100), nullable=False, unique=True),
    Column("title", String(500), nullable=False),
    # the document that adopted it, e.g. "Nghị quyết 03-NQ/TU"
    Column("document", String(200)),
    Column("owner_member_id", ForeignKey("members.id"), nullable=False),
    Column("start", Date),
    Column("end", Date),
    Column("budget_vnd", BigInteger),
    Column("description", Text, nullable=False, default=""),
    # where the plan's figures come from (an article, a decision)
    Column("source", String(500)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

plan_groups = Table(
    "plan_groups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", ForeignKey("plans.id"), nullable=False),
    Column("code", String(50), nullable=False),
    Column("title", String(500), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    UniqueConstraint("plan_id", "code"),
)

plan_tasks = Table(
    "plan_tasks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("group_id", ForeignKey("plan_groups.id"), nullable=False),
    Column("code", String(50), nullable=False),
    Column("title", String(1000), nullable=False),
    Column("owner_member_id", ForeignKey("members.id"), nullable=False),
    Column("budget_vnd", BigInteger),
    Column("deadline", Date),
    Column("status", String(20), nullable=False),
    Column("progress", Integer, nullable=False, default=0),
    # JSON list of indicator codes this task moves
    Column("indicators", Text, nullable=False, default="[]"),
    Column("notes", Text, nullable=False, default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("group_id", "code"),
)

Index("ix_plan_tasks_owner", plan_tasks.c.owner_member_id)
