"""Units and periods under /api/v1: public and read-only."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from sqlalchemy import Connection

from lienthong.core.platform import PlatformDep
from lienthong.units import names, periods, service
from lienthong.units.service import Unit

router = APIRouter(prefix="/api/v1")

CodePath = Annotated[str, Path(max_length=16, description="statistics-office code: 31, 318, 11296")]
Hierarchy = Annotated[
    Literal["2025", "legacy"], Query(description="2025 (since 1 July 2025) or legacy")
]
MAX_PAGE = 1000


def unit_view(u: Unit) -> dict[str, Any]:
    centroid = {"lat": u.lat, "lon": u.lon} if u.lat is not None and u.lon is not None else None
    return {
        "code": u.code,
        "name": u.name,
        "short_name": u.short_name,
        "type": u.type_vi,
        "kind": u.kind,
        "level": u.level,
        "parent": u.parent,
        "hierarchy": u.hierarchy,
        "valid_from": u.valid_from.isoformat(),
        "valid_to": u.valid_to.isoformat() if u.valid_to else None,
        "area_km2": u.area_km2,
        "centroid": centroid,
    }


@router.get("/units", tags=["units"])
def list_units(
    platform: PlatformDep,
    hierarchy: Annotated[
        Literal["2025", "legacy", "all"], Query(description="2025, legacy or all")
    ] = "2025",
    level: Annotated[int | None, Query(ge=1, le=3, description="1 province, 2, 3 commune")] = None,
    parent: Annotated[str | None, Query(max_length=16, description="code of the parent")] = None,
    q: Annotated[
        str | None,
        Query(max_length=names.MAX_QUERY, description="name, diacritics ignored: hai phong"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    """List or search units; exact names first when searching. Paged by offset."""
    with platform.store.read() as conn:
        total, found = service.find(
            conn,
            q=q,
            hierarchy=None if hierarchy == "all" else hierarchy,
            level=level,
            parent=parent,
            limit=limit,
            offset=offset,
        )
    following = offset + len(found)
    return {
        "count": total,
        "limit": limit,
        "offset": offset,
        "next_offset": following if following < total else None,
        "units": [unit_view(u) for u in found],
    }


@router.get("/units/resolve", tags=["units"])
def resolve_unit(
    platform: PlatformDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=names.MAX_QUERY,
            description="a code or name, old or current: 30, Hải Dương, Xã Lê Ninh, Kinh Môn",
        ),
    ],
    on: Annotated[
        date | None, Query(alias="date", description="the day the code or name was in use")
    ] = None,
) -> dict[str, Any]:
    """Today's unit(s) for a legacy or current code or name; `partial` marks estimates."""
    with platform.store.read() as conn:
        found = service.resolve_detail(conn, q, on)
        successors = [
            unit_view(service.get(conn, s.code)) | {"partial": s.partial} for s in found.successors
        ]
    return {
        "query": q,
        "date": on.isoformat() if on else None,
        "matched": [unit_view(u) for u in found.matched],
        "successors": successors,
        "estimated": any(s["partial"] for s in successors),
    }


@router.get("/units/{code}", tags=["units"])
def show_unit(platform: PlatformDep, code: CodePath, hierarchy: Hierarchy = "2025") -> Any:
    """One unit, with its place in the tree and its links across the 2025 merger."""
    with platform.store.read() as conn:
        unit = service.get(conn, code, hierarchy)
        view = unit_view(unit) | {
            "children_count": service.count_children(conn, code, hierarchy),
            "ancestors": _ancestors(conn, unit),
        }
        if hierarchy == service.LEGACY:
            links = service.successors(conn, code)
            view["successors"] = _linked(conn, links, service.CURRENT)
        else:
            links_back = service.predecessors(conn, code)
            view["predecessors"] = _linked(conn, links_back, service.LEGACY)
    return view


def _ancestors(conn: Connection, unit: Unit) -> list[dict[str, Any]]:
    chain, parent = [], unit.parent
    while parent is not None:
        above = service.get(conn, parent, unit.hierarchy)
        chain.append({"code": above.code, "name": above.name, "level": above.level})
        parent = above.parent
    return chain[::-1]


def _linked(conn: Connection, links: list[Any], hierarchy: str) -> list[dict[str, Any]]:
    out = []
    for link in links:
        other = service.get(conn, link.code, hierarchy)
        out.append({"code": other.code, "name": other.name, "partial": link.partial})
    return out


def period_view(p: periods.Period) -> dict[str, Any]:
    coarser = periods.KINDS[periods.KINDS.index(p.kind) + 1 :]
    return {
        "code": p.code,
        "kind": p.kind,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "days": p.days,
        "rollups": {k: periods.of(k, p.start).code for k in coarser},
    }


@router.get("/periods", tags=["periods"])
def relative_periods(
    relative: Annotated[
        str, Query(max_length=40, description="LAST_4_QUARTERS, THIS_YEAR, LAST_12_MONTHS…")
    ],
    today: Annotated[
        date | None, Query(description="count from this day (default: today in Vietnam)")
    ] = None,
) -> dict[str, Any]:
    """DHIS2-style relative periods, oldest first."""
    day = today or periods.vietnam_today()
    return {
        "relative": relative,
        "today": day.isoformat(),
        "periods": [period_view(p) for p in periods.relative(relative, day)],
    }


@router.get("/periods/{code}", tags=["periods"])
def show_period(code: Annotated[str, Path(max_length=16)]) -> dict[str, Any]:
    """A period by its code: 2025-11-23, 2025-11, 2025-Q4 or 2025."""
    return period_view(periods.parse(code))
