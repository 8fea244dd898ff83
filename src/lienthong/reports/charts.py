"""The report's charts: Vega-Lite through Altair, rendered to SVG offline by vl-convert.

vl-convert runs one JavaScript runtime on one thread (~50 ms a chart, and parallel calls
queue behind each other), so the SVG is cached keyed by the whole specification: the
data is inside it, so a chart is redrawn exactly when its data changed.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import altair as alt
import vl_convert as vlc

FONT = "DejaVu Sans"  # installed with WeasyPrint's dependencies; has every Vietnamese letter
NAVY, RED, GREY = "#0b3d6b", "#c8102e", "#9aa9b8"


def _config(chart: Any) -> Any:
    return (
        chart.configure(font=FONT, background="white")
        .configure_view(stroke=None)
        .configure_axis(
            labelFontSize=10, titleFontSize=10, gridColor="#e6ebf1", domainColor="#9aa9b8"
        )
    )


def _data(rows: list[dict[str, Any]]) -> Any:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def spec(chart: Any, validate: bool = False) -> dict[str, Any]:
    """The chart's Vega-Lite specification. The builders below make fixed shapes, checked
    against the schema by the tests; validating each print cost ~40 ms a chart."""
    out: dict[str, Any] = _config(chart).to_dict(validate=validate)
    return out


def render(chart: Any) -> str:
    """The chart as standalone SVG text (vl-convert embeds no timestamp: same in, same out)."""
    return _svg(json.dumps(spec(chart), sort_keys=True, ensure_ascii=False))


@lru_cache(maxsize=64)  # a quarter's report has 4 charts, each 10-30 KB of SVG
def _svg(spec_json: str) -> str:
    return str(vlc.vegalite_to_svg(json.loads(spec_json)))


def clear_cache() -> None:
    """Forget every drawn chart (benchmarks measure the cost of drawing them)."""
    _svg.cache_clear()


def progress_bars(rows: list[dict[str, Any]], title: str) -> str:
    """Each headline figure's progress to its target, as horizontal bars to 100%."""
    return render(progress_chart(rows, title))


def progress_chart(rows: list[dict[str, Any]], title: str) -> Any:
    """The Altair chart behind `progress_bars`."""
    data = _data(rows)
    base = alt.Chart(data).encode(y=alt.Y("label:N", sort=None, title=None))
    bars = base.mark_bar(color=NAVY, cornerRadiusEnd=3, height=14).encode(
        x=alt.X("pct:Q", title=title, scale=alt.Scale(domain=[0, 100]))
    )
    text = base.mark_text(align="left", dx=4, fontSize=10, color="#15212e").encode(
        x="pct:Q", text=alt.Text("pct_text:N")
    )
    return alt.layer(bars, text).properties(width=380, height=28 * max(1, len(rows)))


def time_series(rows: list[dict[str, Any]], y_title: str, target: float | None) -> str:
    """Values over periods, one line per source, with the target as a dashed rule."""
    return render(series_chart(rows, y_title, target))


def series_chart(rows: list[dict[str, Any]], y_title: str, target: float | None) -> Any:
    """The Altair chart behind `time_series`."""
    data = _data(rows)
    line = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("period:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color("series:N", legend=alt.Legend(orient="bottom", title=None),
                            scale=alt.Scale(range=[NAVY, RED, "#0f7a45", "#8a5a00"])),
        )
    )  # fmt: skip
    layers: list[Any] = [line]
    if target is not None:
        rule = alt.Chart(_data([{"target": target}])).mark_rule(color=RED, strokeDash=[6, 4])
        layers.append(rule.encode(y="target:Q"))
    return alt.layer(*layers).properties(width=420, height=180)


def ranking_bars(rows: list[dict[str, Any]], x_title: str) -> str:
    """Units ranked on one value, best first, the province's own highlighted."""
    return render(ranking_chart(rows, x_title))


def ranking_chart(rows: list[dict[str, Any]], x_title: str) -> Any:
    """The Altair chart behind `ranking_bars`."""
    data = _data(rows)
    chart = (
        alt.Chart(data)
        .mark_bar(cornerRadiusEnd=2, height=11)
        .encode(
            y=alt.Y("name:N", sort=None, title=None),
            x=alt.X("value:Q", title=x_title),
            color=alt.condition(alt.datum.highlight, alt.value(RED), alt.value(NAVY)),
        )
    )
    return chart.properties(width=380, height=16 * max(1, len(rows)))
