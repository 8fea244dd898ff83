"""Printing the report: the web part's templates, laid out for A4 by WeasyPrint."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import weasyprint  # type: ignore[import-untyped]

from lienthong.core.platform import Platform
from lienthong.reports.quarterly import Report, build
from lienthong.web import svg
from lienthong.web.i18n import Translator
from lienthong.web.render import STATIC, environment

# WeasyPrint logs every CSS property it does not support; the screen styles use a few
logging.getLogger("weasyprint").setLevel(logging.ERROR)
STYLESHEETS = ("report.css",)


def html(report: Report, t: Translator) -> str:
    """The report as one HTML document (also what the web shows before printing)."""
    tpl = environment().get_template("report_quarterly.html")
    # report_mode: absolute dates, never "3 days ago", so a reprint reads the same
    return tpl.render(_=t, t=t, lang=t.lang, r=report, svg=svg, report_mode=True)


def pdf(report: Report, t: Translator) -> bytes:
    """A4 PDF bytes; the same report gives the same bytes (fixed dates, no random ids)."""
    document = weasyprint.HTML(string=html(report, t), base_url=str(STATIC)).render(
        stylesheets=[weasyprint.CSS(filename=str(STATIC / name)) for name in STYLESHEETS]
    )
    # the quarter's last day stands for "when": a reprint of the same data is identical
    stamp = datetime.combine(report.quarter.end, datetime.min.time(), UTC).isoformat()
    document.metadata.title = f"{t('report.title')} {report.quarter.code} — {report.province_name}"
    document.metadata.authors = [t("site.city")]
    document.metadata.created = stamp
    document.metadata.modified = stamp
    document.metadata.generator = "lienthong"
    return bytes(document.write_pdf(pdf_identifier=report.quarter.code.encode()))


def quarterly(platform: Platform, province: str, quarter: str, lang: str = "vi") -> bytes:
    """`lienthong report quarterly` and the web download both come here."""
    t = Translator(lang)
    return pdf(build(platform, province, quarter, t), t)


def write(platform: Platform, province: str, quarter: str, out: Path, lang: str = "vi") -> int:
    data = quarterly(platform, province, quarter, lang)
    out.write_bytes(data)
    return len(data)
