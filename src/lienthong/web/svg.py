"""Small server-drawn SVG charts: sparklines, progress bars, lines, bars and a dot map.

Drawn on the server so the pages need no charting script, work offline and paint
at once. Only attributes are used (no style=), which the page's CSP requires.
Every chart carries a text alternative.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

Num = float | int
Fmt = Callable[[float], str]


def data_uri(svg: str) -> str:
    """A standalone SVG as an `<img src>`: WeasyPrint then reads it with its XML parser,
    several times faster than its HTML parser on inline chart markup.

    >>> data_uri("<svg/>")
    'data:image/svg+xml;base64,PHN2Zy8+'
    """
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _plain(x: float) -> str:
    return f"{x:g}"


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _scale(values: Sequence[float], lo: float, hi: float) -> tuple[float, float]:
    vmin, vmax = min(values), max(values)
    if math.isclose(vmin, vmax):
        vmin, vmax = vmin - 1, vmax + 1
    return vmin, (hi - lo) / (vmax - vmin)


def sparkline(values: Sequence[Num | None], label: str, width: int = 120, height: int = 32) -> str:
    """A trend line with its last point marked; gaps in the data stay gaps."""
    points = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    head = (
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
    )
    if len(points) < 2:
        return head + "</svg>"
    step = (width - 6) / max(1, len(values) - 1)
    vmin, k = _scale([v for _, v in points], 0, height - 6)
    xy = [(3 + i * step, height - 3 - (v - vmin) * k) for i, v in points]
    path = " ".join(f"{_f(x)},{_f(y)}" for x, y in xy)
    area = f"{_f(xy[0][0])},{height} {path} {_f(xy[-1][0])},{height}"
    lx, ly = xy[-1]
    return (
        head + f'<polygon class="spark-area" fill="#e3eefb" points="{area}"/>'
        f'<polyline class="spark-line" stroke="#1666b0" stroke-width="2" points="{path}" '
        'fill="none"/>'
        f'<circle class="spark-dot" fill="#c8102e" cx="{_f(lx)}" cy="{_f(ly)}" r="2.6"/></svg>'
    )


def progress(fraction: float | None, label: str, width: int = 200, height: int = 8) -> str:
    """A bar filled to `fraction` of its target (capped at 1), with a tick at the target."""
    frac = 0.0 if fraction is None else max(0.0, min(1.0, fraction))
    pct = round(frac * 100)
    return (
        f'<svg class="progress" viewBox="0 0 {width} {height}" preserveAspectRatio="none" '
        f'role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{pct}" '
        f'aria-label="{escape(label)}"><rect class="progress-track" fill="#e6ebf1" width="{width}" '
        f'height="{height}" rx="{height / 2}"/><rect fill="#1666b0" class="progress-fill '
        f'{"done" if frac >= 1 else ""}" width="{_f(width * frac)}" height="{height}" '
        f'rx="{height / 2}"/></svg>'
    )


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[str, Num | None]]
    css: str = "s1"


def line_chart(
    series: Sequence[Series],
    label: str,
    fmt: Fmt = _plain,
    target: float | None = None,
    width: int = 640,
    height: int = 240,
) -> str:
    """Lines over shared period labels, with a dashed target line when there is one."""
    periods = list(dict.fromkeys(p for s in series for p, _ in s.points))
    values = [float(v) for s in series for _, v in s.points if v is not None]
    if target is not None:
        values.append(target)
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
    ]
    if not values or not periods:
        return out[0] + "</svg>"
    left, right, top, bottom = 56, 30, 12, 28
    lo = min(0.0, min(values))
    vmin, k = _scale([lo, max(values) * 1.08 or 1.0], 0, height - top - bottom)
    step = (width - left - right) / max(1, len(periods) - 1)

    def y(v: float) -> float:
        return height - bottom - (v - vmin) * k

    shown: set[str] = set()
    for tick in _ticks(vmin, vmin + (height - top - bottom) / k):
        if fmt(tick) in shown:  # 0.5 shown as "1" beside 1: each label once
            continue
        shown.add(fmt(tick))
        out.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{_f(y(tick))}" '
            f'y2="{_f(y(tick))}"/><text class="axis" x="{left - 6}" y="{_f(y(tick) + 4)}" '
            f'text-anchor="end">{escape(fmt(tick))}</text>'
        )
    every = max(1, math.ceil(len(periods) / 8))
    for i, p in enumerate(periods):
        if i % every == 0 or i == len(periods) - 1:
            out.append(
                f'<text class="axis" x="{_f(left + i * step)}" y="{height - 8}" '
                f'text-anchor="middle">{escape(p)}</text>'
            )
    if target is not None:
        out.append(
            f'<line class="target" x1="{left}" x2="{width - right}" y1="{_f(y(target))}" '
            f'y2="{_f(y(target))}"/>'
        )
    index = {p: i for i, p in enumerate(periods)}
    for s in series:
        pts = [(left + index[p] * step, y(float(v))) for p, v in s.points if v is not None]
        path = " ".join(f"{_f(a)},{_f(b)}" for a, b in pts)
        out.append(f'<polyline class="line {s.css}" points="{path}" fill="none"/>')
        for (p, v), (a, b) in zip([pv for pv in s.points if pv[1] is not None], pts, strict=True):
            out.append(
                f'<circle class="pt {s.css}" cx="{_f(a)}" cy="{_f(b)}" r="3">'
                f"<title>{escape(s.name)} · {escape(p)}: "
                f"{escape(fmt(float(v or 0)))}</title></circle>"
            )
    out.append("</svg>")
    return "".join(out)


def _ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    span = hi - lo
    raw = span / count
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(count + 2) if first + i * step <= hi + 1e-9]


def bars(
    rows: Sequence[tuple[str, Num | None]],
    label: str,
    fmt: Fmt = _plain,
    width: int = 640,
    row_height: int = 22,
    highlight: str | None = None,
) -> str:
    """Horizontal bars, one per labelled row, longest scale = the largest value."""
    known = [float(v) for _, v in rows if v is not None]
    height = row_height * len(rows) + 4
    out = [
        f'<svg class="chart bars" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
    ]
    top = max(known, default=1.0) or 1.0
    name_w, value_w = 190, 70
    span = width - name_w - value_w
    for i, (name, v) in enumerate(rows):
        yy = 2 + i * row_height
        w = 0.0 if v is None else max(0.0, float(v)) / top * span
        css = "bar hl" if name == highlight else "bar"
        out.append(
            f'<text class="axis name" x="{name_w - 8}" y="{yy + row_height * 0.68:.1f}" '
            f'text-anchor="end">{escape(name[:30])}</text>'
            f'<rect class="{css}" x="{name_w}" y="{yy + 3}" width="{_f(w)}" '
            f'height="{row_height - 7}" rx="3"/>'
            f'<text class="axis val" x="{_f(name_w + w + 6)}" y="{yy + row_height * 0.68:.1f}">'
            f"{escape('—' if v is None else fmt(float(v)))}</text>"
        )
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Dot:
    code: str
    name: str
    lat: float
    lon: float
    value: float | None
    href: str | None = None


def dot_map(dots: Sequence[Dot], label: str, fmt: Fmt = _plain, width: int = 560) -> str:
    """Units as dots at their centroids, coloured in five classes by value (quantiles).

    The projection is equirectangular scaled by cos(latitude): exact enough for one
    province, and it needs no map tiles. Far-off islands (Bạch Long Vĩ lies 100 km out
    at sea) would squeeze everything else into a corner, so the frame is fitted to the
    bulk of the units and a unit beyond it is pinned to the edge, drawn as a ring.
    """
    placed = [d for d in dots if d.lat is not None and d.lon is not None]
    if not placed:
        return ""
    lat0 = sum(d.lat for d in placed) / len(placed)
    kx = math.cos(math.radians(lat0))
    pts = [(d.lon * kx, d.lat) for d in placed]
    (x0, x1), (y0, y1) = _frame([p[0] for p in pts]), _frame([p[1] for p in pts])
    pad = 18
    scale = (width - 2 * pad) / max(x1 - x0, (y1 - y0) * 1.2, 1e-6)
    height = int((y1 - y0) * scale + 2 * pad)
    classes = _quantile_classes([d.value for d in placed])
    out = [
        f'<svg class="chart dotmap" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
    ]
    order = sorted(range(len(placed)), key=lambda i: placed[i].value or -1e18)
    for i in order:
        d, (x, y) = placed[i], pts[i]
        inside = x0 <= x <= x1 and y0 <= y <= y1
        cx = pad + (min(max(x, x0), x1) - x0) * scale
        cy = pad + (y1 - min(max(y, y0), y1)) * scale
        cls = "q-none" if d.value is None else f"q{classes(d.value)}"
        text = f"{d.name}: {'—' if d.value is None else fmt(d.value)}"
        dot = (
            f'<circle class="dot {cls}{"" if inside else " offmap"}" cx="{_f(cx)}" '
            f'cy="{_f(cy)}" r="{7 if inside else 8}"><title>{escape(text)}</title></circle>'
        )
        if d.href:
            dot = f'<a href="{escape(d.href)}" aria-label="{escape(text)}">{dot}</a>'
        out.append(dot)
    out.append("</svg>")
    return "".join(out)


def _frame(values: Sequence[float]) -> tuple[float, float]:
    """The span of the bulk of the values: 2nd to 98th percentile, widened by a tenth."""
    ordered = sorted(values)
    lo = ordered[int(0.02 * (len(ordered) - 1))]
    hi = ordered[math.ceil(0.98 * (len(ordered) - 1))]
    margin = (hi - lo) * 0.1 or 0.01
    return lo - margin, hi + margin


def _quantile_classes(values: Sequence[float | None]) -> Callable[[float], int]:
    known = sorted(v for v in values if v is not None)

    def cls(v: float) -> int:
        if not known:
            return 0
        below = sum(1 for k in known if k < v)
        return min(4, int(5 * below / len(known)))

    return cls
