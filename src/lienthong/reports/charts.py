"""The report's charts: Vega-Lite through Altair, rendered to SVG offline by vl-convert."""

from __future__ import annotations

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


def render(chart: Any) -> str:
    """The chart as standalone SVG text (vl-convert embeds no timestamp: same in, same out)."""
    spec: dict[str, Any] = _config(chart).to_dict()
    return str(vlc.vegalite_to_svg(spec))


def progress_bars(rows: list[dict[str, Any]], title: str) -> str:
    """Each headline figure's progress to its target, as horizontal bars to 100%."""
    data = _data(rows)
    base = alt.Chart(data).encode(y=alt.Y("label:N", sort=None, title=None))
    bars = base.mark_bar(color=NAVY, cornerRadiusEnd=3, height=14).encode(
        x=alt.X("pct:Q", title=title, scale=alt.Scale(domain=[0, 100]))
    )
    text = base.mark_text(align="left", dx=4, fontSize=10, color="#15212e").encode(
        x="pct:Q", text=alt.Text("pct_text:N")
    )
    return render(alt.layer(bars, text).properties(width=380, height=28 * max(1, len(rows))))


def time_series(rows: list[dict[str, Any]], y_title: str, target: float | None) -> str:
    """Values over periods, one line per source, with the target as a dashed rule."""
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
    return render(alt.layer(*layers).properties(width=420, height=180))


def ranking_bars(rows: list[dict[str, Any]], x_title: str) -> str:
    """Units ranked on one value, best first, the province's own highlighted."""
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
    return render(chart.properties(width=380, height=16 * max(1, len(rows))))
