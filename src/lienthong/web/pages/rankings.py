"""Rankings: the province's communes on any indicator (table and dot map), and the
provinces on the DTI's main indices."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import Connection
from starlette.responses import Response

from lienthong.web.render import Web, render
from lienthong.web.routing import WebRoute
from lienthong.web.sources import places, scores

router = APIRouter(route_class=WebRoute, include_in_schema=False)

PROVINCE = "31"
DEFAULT_INDICATOR = "TTHC_TL_TOAN_TRINH"
Code = Annotated[str, Query(max_length=64, pattern=r"^[A-Za-z0-9_.-]*$")]
PeriodQ = Annotated[str, Query(max_length=10, pattern=r"^(\d{4}(-Q[1-4]|-\d{2})?)?$")]


@router.get("/rankings")
def rankings(ctx: Web, indicator: Code = "", period: PeriodQ = "") -> Response:
    """Communes ranked on one indicator in one quarter; provinces on the DTI pillars."""
    code = indicator or DEFAULT_INDICATOR
    choices = [i for i in scores.indicator_list() if i.role in ("indicator", "main", "total")]
    with ctx.platform.store.read() as conn:
        communes = places.communes(conn, PROVINCE)
        pe = period or scores.latest_period(conn, code, list(communes), "quarter") or ""
        ranked = scores.ranking(conn, code, communes, pe) if communes and pe else []
        pillars = _pillar_table(conn)
        province_name = places.name_of(conn, PROVINCE)
    return render(
        ctx,
        "rankings.html",
        code=code,
        info=scores.info_of(code),
        choices=choices,
        period=pe,
        ranked=ranked,
        communes_loaded=bool(communes),
        pillars=pillars,
        province_name=province_name,
    )


def _pillar_table(conn: Connection) -> dict[str, Any]:
    """Provinces × the DTI's main indices for the latest year that has values."""
    reg = scores.registry()
    framework = reg.frameworks.get(scores.DTI_FRAMEWORK) if reg is not None else None
    provs = places.provinces(conn)
    if framework is None or not provs:
        return {"columns": [], "rows": [], "period": None}
    pillars = [p for p in framework.pillars if p.points]
    year = scores.latest_period(conn, "DTI922", list(provs), "year")
    if year is None:
        return {"columns": pillars, "rows": [], "period": None}
    total = {r.code: r for r in scores.ranking(conn, "DTI922", provs, year)}
    cells = {
        p.code: {r.code: r.value for r in scores.ranking(conn, p.code, provs, year)}
        for p in pillars
    }
    rows = [
        {"unit": r, "values": [cells[p.code].get(r.code) for p in pillars]}
        for r in total.values()
        if r.value is not None
    ]
    return {"columns": pillars, "rows": rows, "period": year}
