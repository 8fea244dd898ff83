"""lienthong: a province's shared-data platform (exchange, warehouse, live scoreboard)."""

from __future__ import annotations

__version__ = "0.1.0"
