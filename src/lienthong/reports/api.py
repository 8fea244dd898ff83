"""The report from the web: a page to pick the quarter, and the PDF download."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from lienthong.reports import pdf
from lienthong.web.render import SECURITY_HEADERS, Web, render
from lienthong.web.routing import WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)

QuarterQ = Annotated[str, Query(max_length=7, pattern=r"^\d{4}-Q[1-4]$")]
ProvinceQ = Annotated[str, Query(max_length=2, pattern=r"^[0-9]{2}$")]
LangQ = Annotated[str, Query(pattern=r"^(vi|en)$")]


def recent_quarters(today: date, n: int = 8) -> list[str]:
    """The last `n` quarters, newest first, the current one included.

    >>> recent_quarters(date(2025, 11, 23), 3)
    ['2025-Q4', '2025-Q3', '2025-Q2']
    """
    year, q = today.year, (today.month - 1) // 3 + 1
    out = []
    for _ in range(n):
        out.append(f"{year}-Q{q}")
        year, q = (year - 1, 4) if q == 1 else (year, q - 1)
    return out


@router.get("/reports")
def reports_page(ctx: Web) -> Response:
    return render(ctx, "reports.html", quarters=recent_quarters(date.today()))


@router.get("/reports/quarterly.pdf")
async def quarterly_pdf(
    ctx: Web, quarter: QuarterQ, province: ProvinceQ = "31", lang: LangQ = "vi"
) -> Response:
    """The A4 PDF; public aggregates only, so anyone may download it."""
    data = await run_in_threadpool(pdf.quarterly, ctx.platform, province, quarter, lang)
    name = f"bao-cao-chuyen-doi-so-{province}-{quarter}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'} | SECURITY_HEADERS
    return Response(data, media_type="application/pdf", headers=headers)
