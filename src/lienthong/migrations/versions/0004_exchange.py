"""Exchange: provider services, endpoints, groups, access rights and requests, limits,
and the traffic counters behind /metrics.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_totals",
        sa.Column("service", sa.String(length=400), nullable=False),
        sa.Column("requests", sa.BigInteger(), nullable=False),
        sa.Column("client_errors", sa.BigInteger(), nullable=False),
        sa.Column("server_errors", sa.BigInteger(), nullable=False),
        sa.Column("gateway_errors", sa.BigInteger(), nullable=False),
        sa.Column("bytes_in", sa.BigInteger(), nullable=False),
        sa.Column("bytes_out", sa.BigInteger(), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("b0", sa.BigInteger(), nullable=False),
        sa.Column("b1", sa.BigInteger(), nullable=False),
        sa.Column("b2", sa.BigInteger(), nullable=False),
        sa.Column("b3", sa.BigInteger(), nullable=False),
        sa.Column("b4", sa.BigInteger(), nullable=False),
        sa.Column("b5", sa.BigInteger(), nullable=False),
        sa.Column("b6", sa.BigInteger(), nullable=False),
        sa.Column("b7", sa.BigInteger(), nullable=False),
        sa.Column("b8", sa.BigInteger(), nullable=False),
        sa.Column("b9", sa.BigInteger(), nullable=False),
        sa.Column("b10", sa.BigInteger(), nullable=False),
        sa.Column("b11", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("service", name=op.f("pk_exchange_totals")),
    )
    op.create_table(
        "exchange_traffic",
        sa.Column("minute", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("service", sa.String(length=400), nullable=False),
        sa.Column("requests", sa.BigInteger(), nullable=False),
        sa.Column("client_errors", sa.BigInteger(), nullable=False),
        sa.Column("server_errors", sa.BigInteger(), nullable=False),
        sa.Column("gateway_errors", sa.BigInteger(), nullable=False),
        sa.Column("bytes_in", sa.BigInteger(), nullable=False),
        sa.Column("bytes_out", sa.BigInteger(), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("b0", sa.BigInteger(), nullable=False),
        sa.Column("b1", sa.BigInteger(), nullable=False),
        sa.Column("b2", sa.BigInteger(), nullable=False),
        sa.Column("b3", sa.BigInteger(), nullable=False),
        sa.Column("b4", sa.BigInteger(), nullable=False),
        sa.Column("b5", sa.BigInteger(), nullable=False),
        sa.Column("b6", sa.BigInteger(), nullable=False),
        sa.Column("b7", sa.BigInteger(), nullable=False),
        sa.Column("b8", sa.BigInteger(), nullable=False),
        sa.Column("b9", sa.BigInteger(), nullable=False),
        sa.Column("b10", sa.BigInteger(), nullable=False),
        sa.Column("b11", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("minute", "service", name=op.f("pk_exchange_traffic")),
    )
    op.create_table(
        "exchange_usage",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("subsystem_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("requests", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "subsystem_id", name=op.f("pk_exchange_usage")),
    )
    op.create_table(
        "exchange_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["members.id"],
            name=op.f("fk_exchange_groups_owner_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_groups")),
        sa.UniqueConstraint(
            "owner_member_id", "code", name=op.f("uq_exchange_groups_owner_member_id_code")
        ),
    )
    op.create_table(
        "exchange_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("subsystem_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["exchange_groups.id"],
            name=op.f("fk_exchange_group_members_group_id_exchange_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subsystem_id"],
            ["subsystems.id"],
            name=op.f("fk_exchange_group_members_subsystem_id_subsystems"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "subsystem_id", name=op.f("pk_exchange_group_members")),
    )
    op.create_table(
        "exchange_limits",
        sa.Column("subsystem_id", sa.Integer(), nullable=False),
        sa.Column("rate_per_second", sa.Float(), nullable=False),
        sa.Column("burst", sa.Integer(), nullable=False),
        sa.Column("daily_quota", sa.BigInteger(), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["subsystem_id"],
            ["subsystems.id"],
            name=op.f("fk_exchange_limits_subsystem_id_subsystems"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("subsystem_id", name=op.f("pk_exchange_limits")),
    )
    op.create_table(
        "exchange_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subsystem_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("upstream_url", sa.String(length=2000), nullable=False),
        sa.Column("openapi", sa.Text(), nullable=True),
        sa.Column("openapi_format", sa.String(length=4), nullable=True),
        sa.Column("openapi_source", sa.String(length=2000), nullable=True),
        sa.Column("subject_keys", sa.Text(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["subsystem_id"],
            ["subsystems.id"],
            name=op.f("fk_exchange_services_subsystem_id_subsystems"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_services")),
        sa.UniqueConstraint(
            "subsystem_id", "code", name=op.f("uq_exchange_services_subsystem_id_code")
        ),
    )
    op.create_table(
        "exchange_endpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["exchange_services.id"],
            name=op.f("fk_exchange_endpoints_service_id_exchange_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_endpoints")),
        sa.UniqueConstraint(
            "service_id",
            "method",
            "path",
            name=op.f("uq_exchange_endpoints_service_id_method_path"),
        ),
    )
    op.create_table(
        "exchange_rights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("endpoint_id", sa.Integer(), nullable=True),
        sa.Column("subsystem_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(length=500), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "(subsystem_id IS NULL) <> (group_id IS NULL)",
            name=op.f("ck_exchange_rights_one_grantee"),
        ),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["exchange_endpoints.id"],
            name=op.f("fk_exchange_rights_endpoint_id_exchange_endpoints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["exchange_groups.id"],
            name=op.f("fk_exchange_rights_group_id_exchange_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["exchange_services.id"],
            name=op.f("fk_exchange_rights_service_id_exchange_services"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subsystem_id"],
            ["subsystems.id"],
            name=op.f("fk_exchange_rights_subsystem_id_subsystems"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rights")),
    )
    with op.batch_alter_table("exchange_rights", schema=None) as batch_op:
        batch_op.create_index("ix_exchange_rights_service", ["service_id"], unique=False)
        batch_op.create_index("ix_exchange_rights_subsystem", ["subsystem_id"], unique=False)

    op.create_table(
        "exchange_access_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("endpoint_id", sa.Integer(), nullable=True),
        sa.Column("subsystem_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=500), nullable=False),
        sa.Column("justification", sa.String(length=2000), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("right_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["exchange_endpoints.id"],
            name=op.f("fk_exchange_access_requests_endpoint_id_exchange_endpoints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["right_id"],
            ["exchange_rights.id"],
            name=op.f("fk_exchange_access_requests_right_id_exchange_rights"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["exchange_services.id"],
            name=op.f("fk_exchange_access_requests_service_id_exchange_services"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subsystem_id"],
            ["subsystems.id"],
            name=op.f("fk_exchange_access_requests_subsystem_id_subsystems"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_access_requests")),
    )
    with op.batch_alter_table("exchange_access_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exchange_access_requests_state", ["state", "filed_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("exchange_access_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_exchange_access_requests_state")

    op.drop_table("exchange_access_requests")
    with op.batch_alter_table("exchange_rights", schema=None) as batch_op:
        batch_op.drop_index("ix_exchange_rights_subsystem")
        batch_op.drop_index("ix_exchange_rights_service")

    op.drop_table("exchange_rights")
    op.drop_table("exchange_endpoints")
    op.drop_table("exchange_services")
    op.drop_table("exchange_limits")
    op.drop_table("exchange_group_members")
    op.drop_table("exchange_groups")
    op.drop_table("exchange_usage")
    op.drop_table("exchange_traffic")
    op.drop_table("exchange_totals")
