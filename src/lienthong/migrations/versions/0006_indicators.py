"""Indicators: the fact cube, values, reported values and ingestion watermarks.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 19:02:17.819931
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ind_facts",
        sa.Column("element", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("num", sa.Float(), nullable=False),
        sa.Column("den", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("element", "unit", "period", name=op.f("pk_ind_facts")),
    )
    op.create_table(
        "ind_reported",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("element", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("reported_by", sa.String(length=200), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ind_reported")),
        sa.UniqueConstraint(
            "element",
            "unit",
            "period",
            "source",
            name=op.f("uq_ind_reported_element_unit_period_source"),
        ),
    )
    op.create_table(
        "ind_state",
        sa.Column("dataset", sa.String(length=100), nullable=False),
        sa.Column("seen_id", sa.BigInteger(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("dataset", name=op.f("pk_ind_state")),
    )
    op.create_table(
        "ind_values",
        sa.Column("dx", sa.String(length=64), nullable=False),
        sa.Column("ou", sa.String(length=32), nullable=False),
        sa.Column("pe", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("estimated", sa.Boolean(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("dx", "ou", "pe", "source", name=op.f("pk_ind_values")),
    )
    with op.batch_alter_table("ind_values", schema=None) as batch_op:
        batch_op.create_index("ix_ind_values_pe_dx", ["pe", "dx"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ind_values", schema=None) as batch_op:
        batch_op.drop_index("ix_ind_values_pe_dx")

    op.drop_table("ind_values")
    op.drop_table("ind_state")
    op.drop_table("ind_reported")
    op.drop_table("ind_facts")
