"""Periods: day, month, quarter and year, with their codes and DHIS2-style relative periods.

Codes are ISO-like and sort in time order within a kind: ``2025-11-23``, ``2025-11``,
``2025-Q4``, ``2025`` (SDMX-CSV writes quarters the same way). DHIS2's compact forms
(``20251123``, ``202511``, ``2025Q4``) are read too and answered in the canonical form.

>>> q = parse("2025-Q4")
>>> q.start, q.end
(datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
>>> [p.code for p in relative("LAST_4_QUARTERS", date(2025, 11, 23))]
['2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from lienthong.core.errors import ValidationFailed
from lienthong.core.timeutil import VIETNAM

KINDS = ("day", "month", "quarter", "year")
_RANK = {kind: i for i, kind in enumerate(KINDS)}  # finer kinds first
MIN_YEAR, MAX_YEAR = 1900, 2100  # statistics outside this range are a typo, not data

_CODE = re.compile(
    r"(?P<y>\d{4})(?:"
    r"-(?P<m>\d{2})(?:-(?P<d>\d{2}))?"  # 2025-11, 2025-11-23
    r"|-?[Qq](?P<q>[1-4])"  # 2025-Q4, 2025Q4
    r"|(?P<cm>\d{2})(?P<cd>\d{2})?"  # DHIS2: 202511, 20251123
    r")?",
    re.ASCII,  # \d must not take other scripts' digits
)
_RELATIVE = re.compile(r"(?P<which>THIS|LAST)_(?P<kind>DAY|MONTH|QUARTER|YEAR)")
_LAST_N = re.compile(r"LAST_(?P<n>[1-9][0-9]{0,3})_(?P<kind>DAY|MONTH|QUARTER|YEAR)S")
_WITHIN = re.compile(r"(?P<kind>MONTH|QUARTER)S_(?P<which>THIS|LAST)_YEAR")
# how far back "LAST_n_..." may reach: about a century of each kind
_MAX_N = {"day": 36_600, "month": 1_200, "quarter": 400, "year": 100}


@dataclass(frozen=True)
class Period:
    """A calendar period; ``end`` is inclusive.

    >>> Period.month(2024, 2).end
    datetime.date(2024, 2, 29)
    """

    code: str
    kind: str
    start: date
    end: date

    def __str__(self) -> str:
        return self.code

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @classmethod
    def day(cls, day: date) -> Period:
        return cls(day.isoformat(), "day", day, day)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        return cls(f"{year:04d}-{month:02d}", "month", start, _month_end(year, month))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * quarter - 2
        return cls(
            f"{year:04d}-Q{quarter}", "quarter", date(year, first, 1), _month_end(year, first + 2)
        )

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(f"{year:04d}", "year", date(year, 1, 1), date(year, 12, 31))


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def parse(code: str) -> Period:
    """The period a code names; ValidationFailed for anything else.

    >>> parse("2025-11").end, parse("2025").kind, parse("2025Q4").code
    (datetime.date(2025, 11, 30), 'year', '2025-Q4')
    """
    match = _CODE.fullmatch(code) if len(code) <= 10 else None
    if match is None:
        shown = code if len(code) <= 40 else code[:40] + "…"
        raise _invalid(
            "period",
            f"{shown!r} is not a period code: use 2025-11-23, 2025-11, 2025-Q4 or 2025",
        )
    year = _year(int(match["y"]), code)
    month, day = match["m"] or match["cm"], match["d"] or match["cd"]
    if match["q"]:
        return Period.quarter(year, int(match["q"]))
    if month is None:
        return Period.year(year)
    if not 1 <= int(month) <= 12:
        raise _invalid("period", f"{code!r}: there is no month {month}")
    if day is None:
        return Period.month(year, int(month))
    try:
        return Period.day(date(year, int(month), int(day)))
    except ValueError:
        raise _invalid("period", f"{code!r} is not a date") from None


def _year(year: int, code: str) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _invalid("period", f"{code!r}: the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return year


def _kind(kind: str) -> str:
    if kind not in _RANK:
        raise _invalid("kind", f"{kind!r} is not a period kind: use one of {', '.join(KINDS)}")
    return kind


def of(kind: str, day: date) -> Period:
    """The period of that kind that contains the day.

    >>> of("quarter", date(2025, 7, 1)).code
    '2025-Q3'
    """
    _year(day.year, day.isoformat())
    match _kind(kind):
        case "day":
            return Period.day(day)
        case "month":
            return Period.month(day.year, day.month)
        case "quarter":
            return Period.quarter(day.year, (day.month - 1) // 3 + 1)
        case _:
            return Period.year(day.year)


def shift(period: Period, steps: int) -> Period:
    """The period `steps` periods of the same kind later (earlier if negative).

    >>> shift(parse("2025-Q1"), -1).code, shift(parse("2025-12"), 1).code
    ('2024-Q4', '2026-01')
    """
    try:
        if period.kind == "day":
            return of("day", period.start + timedelta(days=steps))
        months = {"month": 1, "quarter": 3, "year": 12}[period.kind] * steps
        index = period.start.year * 12 + period.start.month - 1 + months
        return of(period.kind, date(index // 12, index % 12 + 1, 1))
    except (ValueError, OverflowError):
        raise _invalid("period", f"{period.code} shifted by {steps} leaves the calendar") from None


def contains(outer: Period, inner: Period) -> bool:
    """Whether `inner` lies wholly within `outer` (a period contains itself).

    >>> contains(parse("2025"), parse("2025-Q4")), contains(parse("2025-11"), parse("2025-Q4"))
    (True, False)
    """
    return outer.start <= inner.start and inner.end <= outer.end


def rollup(code: str, kind: str) -> Period:
    """The period of a coarser (or the same) kind that contains this one.

    >>> rollup("2025-11", "quarter").code
    '2025-Q4'
    """
    period = parse(code)
    if _RANK[_kind(kind)] < _RANK[period.kind]:
        raise _invalid("kind", f"a {period.kind} cannot roll up to a {kind}: it is finer")
    return of(kind, period.start)


def within(period: Period, kind: str) -> list[Period]:
    """The periods of a finer (or the same) kind that make up this one, oldest first.

    >>> [p.code for p in within(parse("2025-Q4"), "month")]
    ['2025-10', '2025-11', '2025-12']
    """
    if _RANK[_kind(kind)] > _RANK[period.kind]:
        raise _invalid("kind", f"a {period.kind} is not made of {kind}s: they are coarser")
    first, last = of(kind, period.start), of(kind, period.end)
    parts = [first]
    while parts[-1] != last:
        parts.append(shift(parts[-1], 1))
    return parts


def vietnam_today() -> date:
    """Today's date in Vietnam, which relative periods count from by default."""
    return datetime.now(UTC).astimezone(VIETNAM).date()


def relative(spec: str, today: date) -> list[Period]:
    """DHIS2-style relative periods, oldest first.

    ``THIS_x`` is the period holding `today`; ``LAST_x`` the one before; ``LAST_n_xS`` the n
    periods before the current one (the current one is not included, as in DHIS2);
    ``MONTHS_THIS_YEAR``, ``QUARTERS_LAST_YEAR`` and the like split a year; ``TODAY`` and
    ``YESTERDAY`` are days. x is DAY, MONTH, QUARTER or YEAR.

    >>> [p.code for p in relative("LAST_12_MONTHS", date(2025, 11, 23))][::11]
    ['2024-11', '2025-10']
    >>> relative("THIS_YEAR", date(2025, 11, 23))[0].code
    '2025'
    """
    name = spec.strip().upper()
    aliases = {"TODAY": "THIS_DAY", "YESTERDAY": "LAST_DAY"}
    name = aliases.get(name, name)
    if match := _RELATIVE.fullmatch(name):
        current = of(match["kind"].lower(), today)
        return [current if match["which"] == "THIS" else shift(current, -1)]
    if match := _LAST_N.fullmatch(name):
        kind, n = match["kind"].lower(), int(match["n"])
        if n > _MAX_N[kind]:
            raise _invalid("relative", f"{spec!r}: at most {_MAX_N[kind]:,} {kind}s back")
        current = of(kind, today)
        return [shift(current, -k) for k in range(n, 0, -1)]
    if match := _WITHIN.fullmatch(name):
        year = of("year", today)
        return within(year if match["which"] == "THIS" else shift(year, -1), match["kind"].lower())
    shown = spec if len(spec) <= 40 else spec[:40] + "…"
    raise _invalid(
        "relative",
        f"{shown!r} is not a relative period: use e.g. THIS_MONTH, LAST_QUARTER, "
        "LAST_4_QUARTERS, LAST_12_MONTHS, THIS_YEAR, LAST_5_YEARS or MONTHS_THIS_YEAR",
    )
