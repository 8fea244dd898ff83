"""Indicator REST API: analytics (JSON and SDMX-CSV), rankings, targets, frameworks, reports.

Values are aggregates, readable without a key; reporting needs a publisher's key.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from lienthong.core.auth import CurrentPrincipal
from lienthong.core.errors import NotFound, ValidationFailed
from lienthong.core.platform import PlatformDep
from lienthong.indicators import analytics, live, rank, reported, sdmx
from lienthong.indicators.loader import load_shipped
from lienthong.indicators.model import PLATFORM
from lienthong.units import periods

router = APIRouter(tags=["indicators"])
MAX_CSV_BYTES = 20 * 1024 * 1024

Dx = Annotated[str, Query(max_length=4000, description="codes separated by ;")]
Pe = Annotated[str, Query(max_length=2000, description="2025-Q4;LAST_4_QUARTERS…")]
Ou = Annotated[str, Query(max_length=4000, description="unit codes and LEVEL-n, by ;")]
Source = Annotated[str | None, Query(max_length=32, description="one source only")]


def _query(platform: PlatformDep, dx: str, pe: str, ou: str, source: str | None) -> Any:
    registry = load_shipped()
    with platform.store.read() as conn:
        q = analytics.parse(conn, registry, dx, pe, ou, source)
        return analytics.respond(conn, registry, q), q


@router.get("/api/v1/analytics")
def analytics_query(platform: PlatformDep, dx: Dx, pe: Pe, ou: Ou, source: Source = None) -> Any:
    """DHIS2-like analytics: (dx, ou, pe, source, value, numerator, denominator, estimated)."""
    return _query(platform, dx, pe, ou, source)[0]


@router.get("/api/v1/analytics.csv", response_class=Response)
def analytics_sdmx(
    platform: PlatformDep, dx: Dx, pe: Pe, ou: Ou, source: Source = None
) -> Response:
    """The same query as SDMX-CSV 2.0."""
    body = _query(platform, dx, pe, ou, source)[0]
    return Response(sdmx.to_csv(tuple(r) for r in body["rows"]), media_type=sdmx.MEDIA_TYPE)


@router.get("/api/v1/indicators/frameworks")
def frameworks() -> list[dict[str, Any]]:
    """The shipped frameworks and the share of their components computed from platform data."""
    return [_framework(f) for f in load_shipped().frameworks.values()]


def _framework(fw: Any) -> dict[str, Any]:
    return {
        "code": fw.code,
        "title": fw.title,
        "title_en": fw.title_en,
        "legal_basis": list(fw.legal_basis),
        "periods": list(fw.periods),
        "coverage": fw.coverage(),
        "notes": list(fw.notes),
    }


@router.get("/api/v1/indicators/frameworks/{code}")
def framework(code: str) -> dict[str, Any]:
    """One framework: its main indices, components (with provenance), indicators and targets."""
    fw = load_shipped().frameworks.get(code)
    if fw is None:
        raise NotFound(f"no framework '{code[:64]}'")
    return _framework(fw) | {
        "pillars": [
            {
                "code": p.code,
                "name": p.name,
                "points": p.points,
                "transcribed": p.transcribed,
                "components": [c.__dict__ for c in p.components],
            }
            for p in fw.pillars
        ],
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "unit": i.unit,
                "direction": i.direction,
                "numerator": i.numerator.text,
                "denominator": i.denominator.text if i.denominator else None,
                "factor": i.factor,
                "periods": list(i.periods),
                "role": i.role,
                "source": i.source,
                "provenance": i.provenance,
            }
            for i in fw.indicators
        ],
        "targets": [t.__dict__ for t in fw.targets],
    }


@router.get("/api/v1/indicators/{dx}/ranking")
def ranking(
    platform: PlatformDep,
    dx: str,
    pe: Annotated[str, Query(max_length=40, description="a period, or relative: the last one")],
    level: Annotated[int | None, Query(ge=1, le=3)] = None,
    within: Annotated[str | None, Query(max_length=8, description="a province code")] = None,
    source: Annotated[str, Query(max_length=32)] = PLATFORM,
) -> dict[str, Any]:
    """Units ranked for one period, best first (the indicator's direction decides)."""
    period = (
        periods.parse(pe) if pe[:1].isdigit() else periods.relative(pe, periods.vietnam_today())[-1]
    )
    with platform.store.read() as conn:
        ranked = rank.ranking(conn, dx, period, level, within, source)
    return {"dx": dx, "pe": period.code, "source": source, "ranking": ranked}


@router.get("/api/v1/indicators/targets")
def targets(
    platform: PlatformDep, unit: Annotated[str | None, Query(max_length=8)] = None
) -> dict[str, Any]:
    """Targets and the progress of the latest value towards each, per source."""
    with platform.store.read() as conn:
        return {"targets": rank.target_progress(conn, unit)}


@router.post("/api/v1/indicators/reported", status_code=201)
def report_json(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    body: Annotated[
        dict[str, Any],
        Body(
            examples=[
                {
                    "member": "GOV/H31",
                    "values": [
                        {
                            "element": "GRDP",
                            "unit": "31",
                            "period": "2024",
                            "value": 1.5e5,
                            "source": "gso",
                            "method": "TT13/2021/TT-BKHĐT",
                        }
                    ],
                }
            ]
        ),
    ],
) -> dict[str, Any]:
    """Report values as JSON: `{"member": "GOV/H31", "values": [{element, unit, period, value,
    source, method, note?}]}`. All rows are checked first; nothing is stored if any is bad."""
    values = body.get("values")
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        raise ValidationFailed("'values' must be a list of objects", errors={"values": ["a list"]})
    return live.report(platform, principal, values, body.get("member"))


@router.post("/api/v1/indicators/reported.csv", status_code=201)
async def report_csv(
    request: Request,
    platform: PlatformDep,
    principal: CurrentPrincipal,
    member: Annotated[str | None, Query(max_length=80)] = None,
) -> dict[str, Any]:
    """Report values as CSV (columns element, unit, period, value, source, method, note)."""
    raw = await request.body()
    if len(raw) > MAX_CSV_BYTES:
        raise ValidationFailed(f"the CSV is larger than {MAX_CSV_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationFailed("the CSV must be UTF-8", errors={"body": ["not UTF-8"]}) from None
    rows = reported.parse_csv(text)
    return await run_in_threadpool(live.report, platform, principal, rows, member)
