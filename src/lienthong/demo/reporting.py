"""The articles' figures that are indicator values, reported to the indicator engine.

The press figures stay in their own dataset (`so-lieu-bao-cao-chuyen-doi-so`), with their
words and sources. Those that are values of a framework's data element (the digital
economy's share of GRDP, the share of services integrated with the national portal) are
also reported to the engine, under the source ``bao-chi`` with the article as the method
and its words as the note, so the scoreboard shows them beside the platform's own values,
labelled as reported, and the targets are measured against them.

>>> sorted(REPORTED_AS)[:2]
['digital_economy_share_2021', 'hcm_digital_economy_2021']
"""

from __future__ import annotations

from typing import Any

from lienthong.core.auth import Principal
from lienthong.core.platform import Platform
from lienthong.demo.figures import FIGURES_BY_KEY, Figure
from lienthong.indicators import live

SOURCE = "bao-chi"
# figure key → the data element it is a value of
REPORTED_AS = {
    "digital_economy_share_2021": "KTS_TY_TRONG_CONG_BO",
    "hcm_digital_economy_2021": "KTS_TY_TRONG_CONG_BO",
    "hcm_digital_economy_2022": "KTS_TY_TRONG_CONG_BO",
    "services_integrated_share": "DVC_TL_TICH_HOP_CONG_BO",
}


def rows() -> list[dict[str, Any]]:
    """The reported rows, one per figure, in the engine's report shape.

    >>> r = [x for x in rows() if x["unit"] == "31" and x["element"] == "KTS_TY_TRONG_CONG_BO"]
    >>> r[0]["period"], r[0]["value"], r[0]["source"]
    ('2021', 6.0, 'bao-chi')
    """
    return [_row(FIGURES_BY_KEY[key], element) for key, element in REPORTED_AS.items()]


def _row(f: Figure, element: str) -> dict[str, Any]:
    a = f.article
    outlet = a.outlet or "bài báo"
    qualifier = f" (bài ghi “{f.qualifier}”)" if f.qualifier else ""
    return {
        "element": element,
        "unit": f.area,
        "period": f.period,
        "value": f.value,
        "source": SOURCE,
        "method": f"{outlet}, {a.published}: shared/seeds/{a.file}"[:200],
        "note": f"“{f.quote}”{qualifier}",
    }


def report(platform: Platform, actor: Principal) -> dict[str, Any]:
    """Report the figures (again: an unchanged value changes nothing)."""
    return live.report(platform, actor, rows())
