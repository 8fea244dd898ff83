"""Gathering one quarter's figures for the report, and printing them to PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from lienthong.core.errors import ValidationFailed
from lienthong.core.platform import Platform
from lienthong.reports import charts
from lienthong.web.i18n import Translator
from lienthong.web.sources import exchange, overview, places, scores
from lienthong.web.sources.model import Figure, Provenance, Ranked

QUARTER = re.compile(r"^(?P<y>\d{4})-Q(?P<q>[1-4])$")
RANKED_ON = "TTHC_TL_TOAN_TRINH"
SERIES_ON = ("KTS_TY_TRONG", "TTHC_TL_TOAN_TRINH")


@dataclass(frozen=True)
class Quarter:
    code: str
    start: date
    end: date

    @classmethod
    def parse(cls, code: str) -> Quarter:
        """A quarter from its code.

        >>> Quarter.parse("2025-Q4").end
        datetime.date(2025, 12, 31)
        """
        m = QUARTER.match(code or "")
        if m is None or not 1900 <= int(m["y"]) <= 2100:
            raise ValidationFailed(
                f"quarter must look like 2025-Q4, not {code[:20]!r}",
                errors={"quarter": ["expected YYYY-Qn"]},
            )
        year, q = int(m["y"]), int(m["q"])
        start = date(year, 3 * q - 2, 1)
        end = (date(year + (q == 4), (3 * q) % 12 + 1, 1)) - timedelta(days=1)
        return cls(code, start, end)


@dataclass
class Report:
    """Everything the report template prints."""

    province: str
    province_name: str
    quarter: Quarter
    figures: list[Figure]
    charts: dict[str, str] = field(default_factory=dict)
    ranking: list[Ranked] = field(default_factory=list)
    pillars: list[Figure] = field(default_factory=list)
    exchange_requests: int | None = None
    synthetic: bool = False
    as_of: datetime | None = None


def build(platform: Platform, province: str, quarter: str, t: Translator) -> Report:
    """The quarter's figures, ranking and charts, read under no particular viewer:
    a published report shows public aggregates only."""
    q = Quarter.parse(quarter)
    if not re.fullmatch(r"[0-9]{2}", province):
        raise ValidationFailed("province is a two-digit code, such as 31 for Hải Phòng")
    with platform.store.read() as conn:
        found = scores.headline(conn, province, until=q.code)
        communes = places.communes(conn, province)
        ranking = (
            [r for r in scores.ranking(conn, RANKED_ON, communes, q.code) if r.value is not None]
            if communes
            else []
        )
        series = {code: _series(conn, code, province, q) for code in SERIES_ON}
        name = places.name_of(conn, province)
    found["warehouse"] = overview.warehouse_figure(platform)
    figs = [found.get(s) or overview.empty(s) for s in overview.SLOTS if s != "exchange"]
    start = datetime.combine(q.start, datetime.min.time(), UTC)
    end = datetime.combine(q.end + timedelta(days=1), datetime.min.time(), UTC)
    report = Report(
        province=province,
        province_name=name if name != province else t("site.city"),
        quarter=q,
        figures=figs,
        ranking=ranking,
        pillars=list(found["dti"].parts) if "dti" in found else [],
        exchange_requests=exchange.requests_between(platform, start, end),
    )
    report.synthetic = any(f.provenance == Provenance.SYNTHETIC for f in figs)
    stamps = [f.updated_at for f in figs if f.updated_at is not None]
    report.as_of = max(stamps) if stamps else None
    report.charts = _charts(report, series, t)
    return report


def _series(
    conn: Any, code: str, unit: str, q: Quarter
) -> tuple[Figure | None, list[dict[str, Any]]]:
    fig = scores.figure(conn, code, unit, until=q.code)
    if fig is None:
        return None, []
    points = [{"period": p.period, "value": p.value, "series": fig.title} for p in fig.series]
    return fig, [p for p in points if p["value"] is not None]


def _charts(
    report: Report, series: dict[str, tuple[Figure | None, list[dict[str, Any]]]], t: Translator
) -> dict[str, str]:
    out: dict[str, str] = {}
    progress = [
        {"label": t.label(f.title, f.title_en)[:40], "pct": min(100.0, 100 * (f.progress or 0)),
         "pct_text": t.number(100 * (f.progress or 0), 1) + "%"}
        for f in report.figures if f.progress is not None
    ]  # fmt: skip
    if progress:
        out["progress"] = charts.progress_bars(progress, t("report.pct_of_target"))
    for code, (fig, points) in series.items():
        if fig is not None and len(points) > 1:
            target = fig.target.value if fig.target else None
            out[code] = charts.time_series(points, fig.unit, target)
    if report.ranking:
        top = report.ranking[:15]
        rows = [{"name": r.name, "value": r.value, "highlight": False} for r in top]
        out["ranking"] = charts.ranking_bars(rows, "%")
    return out
