"""Failed web logins, shared by all server processes (web/throttle.py).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 11:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auth_login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=256), nullable=False),
        sa.Column("failed_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_login_failures")),
    )
    with op.batch_alter_table("auth_login_failures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_auth_login_failures_key", ["kind", "key", "failed_at"], unique=False
        )
        batch_op.create_index("ix_auth_login_failures_failed_at", ["failed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("auth_login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_auth_login_failures_failed_at")
        batch_op.drop_index("ix_auth_login_failures_key")

    op.drop_table("auth_login_failures")
