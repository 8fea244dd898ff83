"""Catalog tables. A dataset's records live in their own table, `ds_<id>` (warehouse)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
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

datasets = Table(
    "datasets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("owner_member_id", ForeignKey("members.id"), nullable=False),
    Column("title", String(500), nullable=False),
    Column("title_en", String(500)),
    Column("description", Text, nullable=False, default=""),
    # JSON list of strings
    Column("tags", Text, nullable=False, default="[]"),
    Column("license_id", String(100), nullable=False),
    Column("classification", String(20), nullable=False),
    Column("update_frequency", String(20)),
    # JSON list of administrative-unit codes
    Column("spatial", Text, nullable=False, default="[]"),
    Column("temporal_start", String(10)),
    Column("temporal_end", String(10)),
    # the Frictionless Table Schema, JSON
    Column("table_schema", Text, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("record_count", BigInteger, nullable=False, default=0),
    Column("state", String(10), nullable=False, default="active"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("modified_at", DateTime(timezone=True), nullable=False),
    # when records last changed
    Column("data_modified_at", DateTime(timezone=True)),
    Column("created_by", String(200), nullable=False),
)

dataset_versions = Table(
    "dataset_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", ForeignKey("datasets.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("modified_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("change", String(200), nullable=False),
    # the whole metadata and schema as they were after this change, JSON
    Column("snapshot", Text, nullable=False),
    UniqueConstraint("dataset_id", "version"),
)

grants = Table(
    "grants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", ForeignKey("datasets.id"), nullable=False),
    # the grantee: a whole member, or one subsystem
    Column("member_id", ForeignKey("members.id")),
    Column("subsystem_id", ForeignKey("subsystems.id")),
    # JSON list of field names, or null for every field
    Column("fields", Text),
    # a legal basis unmasks personal fields (e.g. "Luật Căn cước 2023, Điều 10")
    Column("legal_basis", String(500)),
    Column("purpose", String(500), nullable=False),
    Column("expires_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

Index("ix_datasets_owner", datasets.c.owner_member_id)
Index("ix_grants_dataset", grants.c.dataset_id)
