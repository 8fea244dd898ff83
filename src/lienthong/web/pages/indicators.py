"""Indicator pages: definition, time series, breakdown by unit, numerator and
denominator, provenance, and downloads as CSV and SDMX-CSV."""

from __future__ import annotations

import csv
import importlib
import io
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy import Connection
from starlette.responses import Response

from lienthong.core.errors import NotFound
from lienthong.web import svg
from lienthong.web.render import SECURITY_HEADERS, Web, render
from lienthong.web.routing import WebRoute
from lienthong.web.sources import places, scores

router = APIRouter(route_class=WebRoute, include_in_schema=False)

PROVINCE = "31"
CodePath = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_]+$")]
UnitQ = Annotated[str, Query(max_length=8, pattern=r"^[0-9]{2,5}$")]
SERIES_KINDS = ("quarter", "year", "month")


@router.get("/indicators")
def indicator_index(ctx: Web) -> Response:
    """Every framework and its indicators, with the share measured from platform data."""
    return render(
        ctx,
        "indicators.html",
        frameworks=scores.frameworks(),
        indicators=scores.indicator_list(),
        installed=scores.available(),
    )


@router.get("/indicators/{code}.csv")
def indicator_csv(ctx: Web, code: CodePath) -> Response:
    """Every stored value of the indicator at the province and its communes."""
    _require(code)
    with ctx.platform.store.read() as conn:
        found = scores.rows(conn, code, _scope(conn))
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(
        ["indicator", "unit", "period", "source", "value", "numerator", "denominator", "estimated"]
    )
    for r in found:
        out.writerow(
            [code, r["ou"], r["pe"], r["source"], _num(r["value"]), _num(r["numerator"]),
             _num(r["denominator"]), str(bool(r["estimated"])).lower()]
        )  # fmt: skip
    return _download(buf.getvalue(), f"{code}.csv", "text/csv; charset=utf-8")


@router.get("/indicators/{code}.sdmx.csv")
def indicator_sdmx(ctx: Web, code: CodePath) -> Response:
    """SDMX-CSV through the indicator engine's own exporter (one writer, one format)."""
    _require(code)
    exporter = _sdmx_exporter()
    if exporter is None:
        raise NotFound("the SDMX-CSV export is not installed yet")
    with ctx.platform.store.read() as conn:
        text = exporter(conn, code, _scope(conn))
    return _download(text, f"{code}.sdmx.csv", "application/vnd.sdmx.data+csv; version=2.0.0")


@router.get("/indicators/{code}")
def indicator_page(ctx: Web, code: CodePath, unit: UnitQ = PROVINCE) -> Response:
    info = _require(code)
    with ctx.platform.store.read() as conn:
        figure = scores.figure(conn, code, unit)
        series, kind = _series(conn, code, unit)
        communes = places.communes(conn, PROVINCE)
        period = scores.latest_period(conn, code, list(communes), "quarter") if communes else None
        breakdown = scores.ranking(conn, code, communes, period) if period else []
        unit_name = places.name_of(conn, unit)
        parts = _parts(info)
    return render(
        ctx,
        "indicator.html",
        info=info,
        figure=figure,
        series=series,
        kind=kind,
        chart=_chart(ctx, info, series, figure),
        breakdown=[b for b in breakdown if b.value is not None],
        breakdown_period=period,
        unit=unit,
        unit_name=unit_name,
        parts=parts,
        sdmx=_sdmx_exporter() is not None,
    )


def _require(code: str) -> Any:
    info = scores.info_of(code)
    if info is None:
        raise NotFound(f"no indicator or data element has the code {code}")
    return info


def _scope(conn: Connection) -> list[str]:
    return [PROVINCE, *places.communes(conn, PROVINCE)]


def _num(v: float | None) -> str:
    return "" if v is None else repr(float(v))


def _download(text: str, filename: str, media: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} | SECURITY_HEADERS
    return Response(text.encode("utf-8"), media_type=media, headers=headers)


def _series(conn: Connection, code: str, unit: str) -> tuple[dict[str, list[Any]], str | None]:
    """Values by source, for the finest period kind among quarters, years and months."""
    found = scores.rows(conn, code, [unit])
    for kind in SERIES_KINDS:
        of_kind = [r for r in found if scores.period_kind(r["pe"]) == kind]
        if of_kind:
            by_source: dict[str, list[Any]] = {}
            for r in of_kind:
                by_source.setdefault(r["source"], []).append(r)
            return by_source, kind
    return {}, None


def _chart(ctx: Web, info: Any, series: dict[str, list[Any]], figure: Any) -> str:
    if not series:
        return ""
    lines = [
        svg.Series(src, [(r["pe"], r["value"]) for r in rs], f"s{i % 4 + 1}")
        for i, (src, rs) in enumerate(sorted(series.items()))
    ]
    target = figure.target.value if figure is not None and figure.target else None
    label = ctx.t("ind.chart_label", name=ctx.t.pick(info.title, info.title_en))
    return svg.line_chart(lines, label, ctx.t.one, target=target)


def _parts(info: Any) -> list[dict[str, Any]]:
    """The codes the numerator and denominator name, with what they are."""
    reg = scores.registry()
    if reg is None or info.role == "element":
        return []
    refs = sorted(reg.indicators[info.code].refs) if info.code in reg.indicators else []
    return [{"code": c, "info": scores.info_of(c)} for c in refs]


def _sdmx_exporter() -> Any | None:
    try:
        module = importlib.import_module("lienthong.indicators.sdmx")
    except ImportError:
        return None
    return getattr(module, "export_indicator", None)
