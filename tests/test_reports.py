"""The quarterly report: A4 PDF with charts, Vietnamese text intact, same bytes for the
same data; the CLI and the web download."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient
from pypdf import PdfReader
from typer.testing import CliRunner

from lienthong.core.platform import Platform
from lienthong.core.settings import Settings
from lienthong.reports import pdf
from lienthong.reports.quarterly import Quarter
from tests.web_support import build_app, load_units, seed_catalog, seed_values


@pytest.fixture
def seeded(platform: Platform, admin_token: str) -> Platform:
    with TestClient(build_app(platform)) as c:
        seed_catalog(c, admin_token)
    load_units(platform)
    seed_values(platform)
    return platform


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFC", "\n".join(p.extract_text() or "" for p in reader.pages))


def test_quarterly_pdf_has_vietnamese_text_charts_and_is_deterministic(seeded: Platform) -> None:
    first = pdf.quarterly(seeded, "31", "2025-Q4")
    assert first.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(first))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = text_of(first)
    for phrase in (
        "Báo cáo chuyển đổi số quý 2025-Q4",
        "Tỷ trọng kinh tế số trong GRDP",
        "Tỷ lệ hồ sơ trực tuyến toàn trình",
        "Kho dữ liệu dùng chung",
        "GIẢ LẬP",  # generated values are labelled as such
        "Nghị quyết 03-NQ/TU",  # the target's source travels with it
    ):
        assert phrase.casefold() in text.casefold(), phrase
    # the ranking chart names communes: vl-convert kept their diacritics
    assert "Phường" in text or "Xã" in text
    assert pdf.quarterly(seeded, "31", "2025-Q4") == first


def test_a_past_quarter_shows_only_values_up_to_its_end(seeded: Platform) -> None:
    text = text_of(pdf.quarterly(seeded, "31", "2024-Q2"))
    assert "2024-Q2" in text
    assert "2025-Q4" not in text


def test_bad_quarters_are_refused() -> None:
    for bad in ("2025Q5", "2025-Q0", "x", "2025-Q4; rm -rf /", ""):
        with pytest.raises(Exception, match="quarter"):
            Quarter.parse(bad)


def test_empty_platform_still_prints_an_honest_report(platform: Platform) -> None:
    text = text_of(pdf.quarterly(platform, "31", "2025-Q4"))
    assert "Chưa có số liệu" in text


def test_web_download(seeded: Platform) -> None:
    with TestClient(build_app(seeded), raise_server_exceptions=False) as c:
        r = c.get("/reports/quarterly.pdf?quarter=2025-Q4&province=31")
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/pdf"
        assert "attachment" in r.headers["content-disposition"]
        assert "Hải Phòng" in text_of(r.content) or "Hải Phòng" in text_of(r.content).title()
        assert c.get("/reports/quarterly.pdf?quarter=2025-Q9").status_code == 422
        assert c.get("/reports/quarterly.pdf?quarter=2025-Q4&province=../x").status_code == 422
        assert c.get("/reports").status_code == 200


def test_cli_writes_the_pdf(seeded: Platform, settings: Settings, tmp_path: Path) -> None:
    from lienthong.core.console import CliContext
    from lienthong.reports.cli import app as report_app

    root = typer.Typer()
    root.add_typer(report_app, name="report")

    @root.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = CliContext(factory=lambda: seeded)

    out = tmp_path / "report.pdf"
    args = ["report", "quarterly", "--province", "31", "--quarter", "2025-Q4", "--out", str(out)]
    result = CliRunner().invoke(root, args)
    assert result.exit_code == 0, result.output
    assert "Tỷ lệ hồ sơ trực tuyến toàn trình" in text_of(out.read_bytes())


def test_chart_specs_are_valid_vega_lite() -> None:
    # printing skips Altair's schema check for speed; the shapes are checked here instead
    from lienthong.reports import charts

    made = [
        charts.progress_chart([{"label": "Kinh tế số", "pct": 63.2, "pct_text": "63,2%"}], "%"),
        charts.series_chart([{"period": "2025-Q3", "value": 1.0, "series": "a"},
                             {"period": "2025-Q4", "value": 2.0, "series": "a"}], "%", 3.0),
        charts.series_chart([{"period": "2025", "value": 1.0, "series": "a"}], "%", None),
        charts.ranking_chart([{"name": "Xã An Lão", "value": 91.5, "highlight": False}], "%"),
    ]  # fmt: skip
    for chart in made:
        spec = charts.spec(chart, validate=True)
        assert spec["config"]["font"] == charts.FONT


def test_charts_are_redrawn_exactly_when_their_data_changes() -> None:
    from lienthong.reports import charts

    charts.clear_cache()
    rows = [{"name": "Phường Hồng Bàng", "value": 80.0, "highlight": False}]
    first = charts.ranking_bars(rows, "%")
    again = charts.ranking_bars([dict(r) for r in rows], "%")
    assert again == first
    assert charts._svg.cache_info().hits == 1
    changed = charts.ranking_bars([rows[0] | {"value": 40.0}], "%")
    assert changed != first
    assert charts._svg.cache_info().misses == 2
    assert "Phường Hồng Bàng" in changed


def test_the_same_report_gives_the_same_bytes_with_or_without_cached_charts(
    seeded: Platform,
) -> None:
    from lienthong.reports import charts

    cached = pdf.quarterly(seeded, "31", "2025-Q4")
    charts.clear_cache()
    assert pdf.quarterly(seeded, "31", "2025-Q4") == cached
