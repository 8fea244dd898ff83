"""Units: both hierarchies, their names, the 2025 old→new mapping and the loads.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 18:59:48.744101
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_loads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("license", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_loads")),
    )
    op.create_table(
        "unit_names",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("hierarchy", sa.String(length=8), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("quality", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", "hierarchy", "code", name=op.f("pk_unit_names")),
    )
    op.create_table(
        "unit_successors",
        sa.Column("legacy_code", sa.String(length=8), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.Column("preferred", sa.Boolean(), nullable=False),
        sa.Column("direct", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("legacy_code", "code", name=op.f("pk_unit_successors")),
    )
    op.create_index(op.f("ix_unit_successors_code"), "unit_successors", ["code"])
    op.create_table(
        "units",
        sa.Column("hierarchy", sa.String(length=8), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("short_name", sa.String(length=120), nullable=False),
        sa.Column("type_vi", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("parent", sa.String(length=8), nullable=True),
        sa.Column("province", sa.String(length=8), nullable=False),
        sa.Column("district", sa.String(length=8), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("area_km2", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("hierarchy", "code", name=op.f("pk_units")),
    )
    op.create_index(op.f("ix_units_code"), "units", ["code"])
    op.create_index(
        op.f("ix_units_hierarchy_district_level"), "units", ["hierarchy", "district", "level"]
    )
    op.create_index(op.f("ix_units_hierarchy_parent"), "units", ["hierarchy", "parent"])
    op.create_index(
        op.f("ix_units_hierarchy_province_level"), "units", ["hierarchy", "province", "level"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_units_hierarchy_province_level"), table_name="units")
    op.drop_index(op.f("ix_units_hierarchy_parent"), table_name="units")
    op.drop_index(op.f("ix_units_hierarchy_district_level"), table_name="units")
    op.drop_index(op.f("ix_units_code"), table_name="units")
    op.drop_table("units")
    op.drop_index(op.f("ix_unit_successors_code"), table_name="unit_successors")
    op.drop_table("unit_successors")
    op.drop_table("unit_names")
    op.drop_table("unit_loads")
