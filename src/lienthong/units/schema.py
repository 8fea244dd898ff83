"""Units tables: both hierarchies, their names for look-up, the old→new mapping, loads."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
)

from lienthong.core.db import metadata

units = Table(
    "units",
    metadata,
    Column("hierarchy", String(8), primary_key=True),  # "2025" or "legacy"
    Column("code", String(8), primary_key=True),  # the statistics office's code
    Column("name", String(120), nullable=False),  # "Phường Hồng Bàng"
    Column("short_name", String(120), nullable=False),  # "Hồng Bàng"
    Column("type_vi", String(20), nullable=False),  # "Phường", "Tỉnh", "Huyện"…
    Column("kind", String(16), nullable=False),  # province, district, xa, phuong…
    Column("level", SmallInteger, nullable=False),  # 1 province, 2 district, 3 commune
    Column("parent", String(8)),
    Column("province", String(8), nullable=False),  # itself for a province
    Column("district", String(8)),  # legacy only: itself for a district
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),  # inclusive; null while in force
    Column("area_km2", Float),
    Column("lat", Float),
    Column("lon", Float),
    Column("search_key", Text, nullable=False),  # folded names and aliases, for substring search
    Index(None, "hierarchy", "parent"),
    Index(None, "hierarchy", "province", "level"),
    Index(None, "hierarchy", "district", "level"),
    Index(None, "code"),
)

# every name a unit answers to, folded ("hai phong", "thanh pho hai phong", "tp hai phong")
unit_names = Table(
    "unit_names",
    metadata,
    Column("key", String(160), primary_key=True),
    Column("hierarchy", String(8), primary_key=True),
    Column("code", String(8), primary_key=True),
    Column("quality", SmallInteger, nullable=False),  # 0 official name, 1 short, 2 former name
)

unit_successors = Table(
    "unit_successors",
    metadata,
    Column("legacy_code", String(8), primary_key=True),
    Column("code", String(8), primary_key=True),  # a unit of the 2025 hierarchy
    Column("partial", Boolean, nullable=False),  # the old unit went to several new ones
    Column("preferred", Boolean, nullable=False),  # the source's pick when one is needed
    # given by the source (communes, island districts, provinces), not derived (districts)
    Column("direct", Boolean, nullable=False),
    Index(None, "code"),
)

unit_loads = Table(
    "unit_loads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("source", String(64), nullable=False),
    Column("version", String(32), nullable=False),
    Column("license", String(64), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("summary", Text, nullable=False),  # JSON: counts and changes
)
