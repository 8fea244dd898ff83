"""Administrative units for the pages: a province's communes and the provinces, with
their centroids, read from the units part when it is installed and loaded."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from sqlalchemy import Connection

from lienthong.web.sources.ready import has_tables

log = logging.getLogger("lienthong.web.places")


def _service() -> Any | None:
    try:
        return importlib.import_module("lienthong.units.service")
    except ImportError:
        return None


def _loaded(conn: Connection) -> bool:
    return has_tables(conn, "units")


def communes(conn: Connection, province: str) -> dict[str, Any]:
    """code → unit for the province's communes (114 for Hải Phòng); empty if not loaded."""
    return _units(conn, province, 3)


def provinces(conn: Connection) -> dict[str, Any]:
    """code → unit for the 34 provinces of the 2025 hierarchy; empty if not loaded."""
    service = _service()
    if service is None or not _loaded(conn):
        return {}
    try:
        found = service.find(conn, hierarchy=service.CURRENT, level=1, limit=100)
    except Exception:
        log.warning("provinces not readable", exc_info=True)
        return {}
    items = found[1] if isinstance(found, tuple) else found
    return {u.code: u for u in items}


def name_of(conn: Connection, code: str) -> str:
    service = _service()
    if service is None or not _loaded(conn):
        return code
    try:
        return str(service.get(conn, code).name)
    except Exception:
        return code


def _units(conn: Connection, code: str, level: int) -> dict[str, Any]:
    service = _service()
    if service is None or not _loaded(conn):
        return {}
    try:
        return {u.code: u for u in service.descendants(conn, code, level)}
    except Exception:  # NotFound: the units are not loaded yet
        log.info("units under %s not available", code)
        return {}
