"""Registry tables."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from lienthong.core.db import metadata

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("instance", String(64), nullable=False),
    Column("member_class", String(8), nullable=False),
    Column("member_code", String(64), nullable=False),
    Column("name", String(300), nullable=False),
    Column("name_en", String(300)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("instance", "member_class", "member_code"),
)

subsystems = Table(
    "subsystems",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("name", String(300), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("member_id", "code"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("full_name", String(200), nullable=False),
    Column("email", String(254)),
    Column("password_hash", String(200)),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

role_assignments = Table(
    "role_assignments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    # NULL for the platform-wide role platform_admin
    Column("member_id", ForeignKey("members.id")),
    Column("role", String(20), nullable=False),
    UniqueConstraint("user_id", "member_id", "role"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("secret_hash", String(64), nullable=False),
    Column("name", String(100), nullable=False),
    Column("user_id", ForeignKey("users.id")),
    Column("subsystem_id", ForeignKey("subsystems.id")),
    # roles a subsystem key acts with in its member, comma-separated
    Column("roles", String(100), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("expires_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
    CheckConstraint("(user_id IS NULL) <> (subsystem_id IS NULL)", name="one_holder"),
)

# failed web logins, one row per failure and key (web/throttle.py): kind is "user" or
# "address"; failed_at is Unix seconds, so window arithmetic is the same on both back ends
login_failures = Table(
    "auth_login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(8), nullable=False),
    Column("key", String(256), nullable=False),
    Column("failed_at", Float, nullable=False),
)

Index(
    "ix_auth_login_failures_key",
    login_failures.c.kind,
    login_failures.c.key,
    login_failures.c.failed_at,
)
Index("ix_auth_login_failures_failed_at", login_failures.c.failed_at)
Index("ix_role_assignments_member", role_assignments.c.member_id)
Index("ix_api_keys_user", api_keys.c.user_id)
Index("ix_api_keys_subsystem", api_keys.c.subsystem_id)
