"""Column helpers shared by the packs: dates, times, places and geometry as text."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lienthong.demo import synth
from lienthong.demo.packs.base import Context

EPOCH = np.datetime64("1970-01-01", "D")


def day(iso: str) -> np.datetime64:
    return np.datetime64(iso, "D")


def days_between(first: str, last: str) -> int:
    return int((day(last) - day(first)).astype(int)) + 1


def dates(values: np.ndarray) -> pa.Array:
    """datetime64[D] (or NaT) as Arrow dates: written 2024-01-05."""
    return pa.array(values.astype("datetime64[D]"), pa.date32())


def local_times(days: np.ndarray, seconds: np.ndarray) -> pa.Array:
    """Local (UTC+7) times as ISO 8601 text with their offset, e.g. 2024-01-05T08:30:00+07:00."""
    return local_stamps(days.astype("datetime64[s]") + seconds.astype("timedelta64[s]"))


def local_stamps(stamps: np.ndarray) -> pa.Array:
    """datetime64 local times as ISO 8601 text with the +07:00 offset."""
    arr = pa.array(stamps.astype("datetime64[s]"), pa.timestamp("s"))
    return pc.strftime(arr, format="%Y-%m-%dT%H:%M:%S+07:00")


def office_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Times of day in office hours (7:30–17:00), busier in the morning."""
    morning = rng.random(n) < 0.62
    start = np.where(morning, 7 * 3600 + 1800, 13 * 3600 + 1800)
    length = np.where(morning, 4 * 3600, 3 * 3600 + 1800)
    return start + (rng.random(n) * length).astype(np.int64)


def year_month(days: np.ndarray) -> pa.Array:
    """The month of each day as YYYY-MM text."""
    return pa.array(days.astype("datetime64[M]").astype(str), pa.string())


def place(ctx: Context, u: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Commune indices drawn from uniforms by weight (by default where people live)."""
    w = ctx.people.commune_weights if weights is None else weights
    return synth.weighted(u, w)


def near(
    ctx: Context, idx: np.ndarray, rng: np.random.Generator, km: float
) -> tuple[np.ndarray, np.ndarray]:
    """Points scattered around the communes' centres (lat, lon), about `km` across."""
    lat = ctx.commune_array("lat")[idx] + rng.normal(0, km / 111 / 2.5, len(idx))
    lon = ctx.commune_array("lon")[idx] + rng.normal(0, km / 104 / 2.5, len(idx))
    return lat, lon


def wkt_point(lat: np.ndarray, lon: np.ndarray) -> pa.Array:
    return synth.join("POINT (", synth.decimal(lon, 6), " ", synth.decimal(lat, 6), ")")


def wkt_rectangle(lat: np.ndarray, lon: np.ndarray, dlat: np.ndarray, dlon: np.ndarray) -> pa.Array:
    """Closed four-corner polygons (lon lat order, WGS 84), written as WKT."""
    x0, x1 = synth.decimal(lon, 6), synth.decimal(lon + dlon, 6)
    y0, y1 = synth.decimal(lat, 6), synth.decimal(lat + dlat, 6)
    return synth.join(
        "POLYGON ((",
        x0,
        " ",
        y0,
        ", ",
        x1,
        " ",
        y0,
        ", ",
        x1,
        " ",
        y1,
        ", ",
        x0,
        " ",
        y1,
        ", ",
        x0,
        " ",
        y0,
        "))",
    )


def wkt_line(lat: np.ndarray, lon: np.ndarray, dlat: np.ndarray, dlon: np.ndarray) -> pa.Array:
    """Three-vertex lines (roads, canals) starting at (lat, lon)."""
    mid_lat, mid_lon = lat + dlat / 2 + dlon / 5, lon + dlon / 2 - dlat / 5
    return synth.join(
        "LINESTRING (",
        synth.decimal(lon, 6),
        " ",
        synth.decimal(lat, 6),
        ", ",
        synth.decimal(mid_lon, 6),
        " ",
        synth.decimal(mid_lat, 6),
        ", ",
        synth.decimal(lon + dlon, 6),
        " ",
        synth.decimal(lat + dlat, 6),
        ")",
    )


def year_starts(first: int, last: int) -> list[date]:
    return [date(y, 1, 1) for y in range(first, last + 1)]
