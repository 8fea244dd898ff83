"""Working days in Vietnam, for the age of pending access requests.

Decree 194/2025 expects a decision within 2 working days. Saturdays, Sundays and
the fixed public holidays of the Labour Code 2019 (Art. 112: 1 January, 30 April,
1 May, 2 September) are not working days; the lunar holidays (Tết, Hùng Kings) and
the extra day beside 2 September are set each year, so they are configured
(LIENTHONG_GATEWAY_HOLIDAYS).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from lienthong.core.timeutil import VIETNAM

FIXED = ((1, 1), (4, 30), (5, 1), (9, 2))
DECISION_DAYS = 2


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    """
    >>> is_working_day(date(2025, 9, 2), frozenset()), is_working_day(date(2025, 9, 3), frozenset())
    (False, True)
    """
    return day.weekday() < 5 and (day.month, day.day) not in FIXED and day not in holidays


def local_day(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM).date()


def working_days_between(start: date, end: date, holidays: Iterable[date] = ()) -> int:
    """Working days after `start` up to and including `end`.

    >>> working_days_between(date(2025, 7, 4), date(2025, 7, 8))  # Friday → Tuesday
    2
    """
    off = frozenset(holidays)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day, off)
    return count


def due_date(start: date, holidays: Iterable[date] = (), days: int = DECISION_DAYS) -> date:
    """The `days`-th working day after `start`.

    >>> due_date(date(2025, 4, 29))  # Tuesday; 30 April and 1 May are holidays
    datetime.date(2025, 5, 5)
    """
    off = frozenset(holidays)
    day, left = start, days
    while left:
        day += timedelta(days=1)
        left -= is_working_day(day, off)
    return day
