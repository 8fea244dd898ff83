"""Tables of the indicator engine.

- ``ind_facts``: the base cube. Each computed data element aggregated per raw
  unit code (as the dataset holds it) and month; distinct counts also per
  quarter and year. Incremental updates add to it; everything else is derived.
- ``ind_values``: every value per (dx, unit, period, source), dx being a data
  element or an indicator, with its numerator and denominator.
- ``ind_reported``: values reported by members, with source and method.
- ``ind_state``: per dataset, the last row (`_id`) folded into the cube.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from lienthong.core.db import metadata

ind_facts = Table(
    "ind_facts",
    metadata,
    Column("element", String(64), primary_key=True),
    Column("unit", String(32), primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("num", Float, nullable=False),
    Column("den", Float, nullable=True),
)

ind_values = Table(
    "ind_values",
    metadata,
    Column("dx", String(64), primary_key=True),
    Column("ou", String(32), primary_key=True),
    Column("pe", String(10), primary_key=True),
    Column("source", String(32), primary_key=True),
    Column("value", Float, nullable=True),
    Column("numerator", Float, nullable=True),
    Column("denominator", Float, nullable=True),
    Column("estimated", Boolean, nullable=False, default=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Index("ix_ind_values_pe_dx", "pe", "dx"),
)

ind_reported = Table(
    "ind_reported",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("element", String(64), nullable=False),
    Column("unit", String(32), nullable=False),
    Column("period", String(10), nullable=False),
    Column("source", String(32), nullable=False),
    Column("method", String(200), nullable=False),
    Column("value", Float, nullable=False),
    Column("member_id", Integer, nullable=True),
    Column("reported_by", String(200), nullable=False),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=True),
    UniqueConstraint("element", "unit", "period", "source"),
)

ind_state = Table(
    "ind_state",
    metadata,
    Column("dataset", String(100), primary_key=True),
    Column("seen_id", BigInteger, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
)
