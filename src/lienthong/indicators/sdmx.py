"""SDMX-CSV 2.0 of any analytics query (periods written ``2025-Q4``).

One row per observation of the dataflow ``LIENTHONG:DF_INDICATORS(1.0)``:
dimensions INDICATOR, REF_AREA (the statistics office's unit code),
TIME_PERIOD and SOURCE; the measure OBS_VALUE; attributes NUMERATOR,
DENOMINATOR and OBS_STATUS (``E`` estimated, ``A`` normal, as in SDMX's
CL_OBS_STATUS).

>>> print(to_csv([("X", "31", "2025-Q4", "platform", 0.5, 1.0, 2.0, False)]), end="")
STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,SOURCE,OBS_VALUE,NUMERATOR,DENOMINATOR,OBS_STATUS
dataflow,LIENTHONG:DF_INDICATORS(1.0),I,X,31,2025-Q4,platform,0.5,1,2,A
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

DATAFLOW = "LIENTHONG:DF_INDICATORS(1.0)"
MEDIA_TYPE = "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8"
COLUMNS = (
    "STRUCTURE",
    "STRUCTURE_ID",
    "ACTION",
    "INDICATOR",
    "REF_AREA",
    "TIME_PERIOD",
    "SOURCE",
    "OBS_VALUE",
    "NUMERATOR",
    "DENOMINATOR",
    "OBS_STATUS",
)


def _number(x: float | None) -> str:
    return "" if x is None else f"{x:.15g}"


def to_csv(rows: Iterable[tuple[Any, ...]]) -> str:
    """Analytics rows (dx, ou, pe, source, value, numerator, denominator, estimated) as SDMX-CSV."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for dx, ou, pe, source, value, num, den, est in rows:
        status = "E" if est else "A"
        w.writerow(
            [
                "dataflow",
                DATAFLOW,
                "I",
                dx,
                ou,
                pe,
                source,
                _number(value),
                _number(num),
                _number(den),
                status,
            ]
        )
    return buf.getvalue()
