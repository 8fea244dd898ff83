"""Exchange tables: provider services, endpoints, groups, access rights and requests,
per-client limits, and the traffic counters the evidence writer keeps."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
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
    Text,
    UniqueConstraint,
)

from lienthong.core.db import metadata

# a provider subsystem's REST service, reached at /r1/{provider}/{code}
services = Table(
    "exchange_services",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subsystem_id", ForeignKey("subsystems.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("title", String(300), nullable=False),
    Column("upstream_url", String(2000), nullable=False),
    # the OpenAPI description as uploaded or fetched, and where it came from
    Column("openapi", Text),
    Column("openapi_format", String(4)),
    Column("openapi_source", String(2000)),
    # JSON list of subject keys the service answers for: citizen_id, tax_code
    Column("subject_keys", Text, nullable=False, default="[]"),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("modified_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("subsystem_id", "code"),
)

endpoints = Table(
    "exchange_endpoints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("service_id", ForeignKey("exchange_services.id", ondelete="CASCADE"), nullable=False),
    # an HTTP method, or * for any
    Column("method", String(10), nullable=False),
    # a path pattern: * is one segment, ** any number of segments
    Column("path", String(500), nullable=False),
    Column("summary", String(300)),
    UniqueConstraint("service_id", "method", "path"),
)

# a named group of client subsystems, owned by one organisation
groups = Table(
    "exchange_groups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_member_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("description", String(500), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("owner_member_id", "code"),
)

group_members = Table(
    "exchange_group_members",
    metadata,
    Column(
        "group_id",
        ForeignKey("exchange_groups.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "subsystem_id",
        ForeignKey("subsystems.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("added_at", DateTime(timezone=True), nullable=False),
)

rights = Table(
    "exchange_rights",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("service_id", ForeignKey("exchange_services.id", ondelete="CASCADE"), nullable=False),
    # NULL: the whole service
    Column("endpoint_id", ForeignKey("exchange_endpoints.id", ondelete="CASCADE")),
    Column("subsystem_id", ForeignKey("subsystems.id", ondelete="CASCADE")),
    Column("group_id", ForeignKey("exchange_groups.id", ondelete="CASCADE")),
    Column("purpose", String(500), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoked_by", String(200)),
    CheckConstraint("(subsystem_id IS NULL) <> (group_id IS NULL)", name="one_grantee"),
)

access_requests = Table(
    "exchange_access_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("service_id", ForeignKey("exchange_services.id", ondelete="CASCADE"), nullable=False),
    Column("endpoint_id", ForeignKey("exchange_endpoints.id", ondelete="CASCADE")),
    Column("subsystem_id", ForeignKey("subsystems.id", ondelete="CASCADE"), nullable=False),
    Column("purpose", String(500), nullable=False),
    Column("justification", String(2000), nullable=False, default=""),
    Column("expires_at", DateTime(timezone=True)),
    # pending, approved, refused
    Column("state", String(10), nullable=False),
    Column("filed_at", DateTime(timezone=True), nullable=False),
    Column("filed_by", String(200), nullable=False),
    Column("decided_at", DateTime(timezone=True)),
    Column("decided_by", String(200)),
    Column("reason", String(2000)),
    Column("right_id", ForeignKey("exchange_rights.id", ondelete="SET NULL")),
)

# per-client overrides of the gateway's default rate limit and daily quota
limits = Table(
    "exchange_limits",
    metadata,
    Column(
        "subsystem_id",
        ForeignKey("subsystems.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("rate_per_second", Float, nullable=False),
    Column("burst", Integer, nullable=False),
    Column("daily_quota", BigInteger, nullable=False),
    Column("modified_at", DateTime(timezone=True), nullable=False),
    Column("modified_by", String(200), nullable=False),
)

# requests a client made on a UTC day, summed by the evidence writer (quota)
usage = Table(
    "exchange_usage",
    metadata,
    Column("day", String(10), primary_key=True),
    Column("subsystem_id", Integer, primary_key=True, autoincrement=False),
    Column("requests", BigInteger, nullable=False),
)

# latency histogram bounds in milliseconds; the last bucket is everything above
BUCKETS_MS = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
BUCKET_NAMES = tuple(f"b{i}" for i in range(len(BUCKETS_MS) + 1))
COUNTERS = (
    "requests",
    "client_errors",
    "server_errors",
    "gateway_errors",
    "bytes_in",
    "bytes_out",
    "duration_ms",
    *BUCKET_NAMES,
)


def _counter_columns() -> list[Column[float]]:
    return [
        Column(name, Float if name == "duration_ms" else BigInteger, nullable=False)
        for name in COUNTERS
    ]


# traffic per service and minute (minute = seconds since the epoch // 60)
traffic = Table(
    "exchange_traffic",
    metadata,
    Column("minute", BigInteger, primary_key=True, autoincrement=False),
    Column("service", String(400), primary_key=True),
    *_counter_columns(),
)

# traffic per service since the beginning: what /metrics exposes as counters
totals = Table(
    "exchange_totals",
    metadata,
    Column("service", String(400), primary_key=True),
    *_counter_columns(),
)

Index("ix_exchange_rights_service", rights.c.service_id)
Index("ix_exchange_rights_subsystem", rights.c.subsystem_id)
Index("ix_exchange_access_requests_state", access_requests.c.state, access_requests.c.filed_at)
