"""Vietnamese first, English second: language choice and number formatting.

The messages live in `messages.py`, one key per phrase with its two texts, so a
missing translation is a missing key (a test walks every template for them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from lienthong.web.messages import MESSAGES

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
LANG_COOKIE = "lt_lang"
# Hải Phòng is UTC+7 all year; people read local dates
ICT = timezone(timedelta(hours=7), "ICT")


def pick_lang(query: str | None, cookie: str | None) -> str:
    """The query parameter wins, then the cookie, then Vietnamese.

    >>> pick_lang(None, "en"), pick_lang("vi", "en"), pick_lang("<x>", None)
    ('en', 'vi', 'vi')
    """
    for candidate in (query, cookie):
        if candidate in LANGS:
            return str(candidate)
    return DEFAULT_LANG


@dataclass(frozen=True)
class Translator:
    """Looks up phrases and formats numbers and dates for one language."""

    lang: str

    def __call__(self, key: str, **values: object) -> str:
        texts = MESSAGES.get(key)
        text = key if texts is None else texts[0 if self.lang == "vi" else 1]
        return text.format(**values) if values else text

    def pick(self, vi: str | None, en: str | None) -> str:
        """Choose between a stored Vietnamese text and its optional English one."""
        if self.lang == "en" and en:
            return en
        return vi or en or ""

    def label(self, title: str, title_en: str | None = None) -> str:
        """A message key's text, or a stored title (in the viewer's language when given)."""
        if title in MESSAGES:
            return self(title)
        return self.pick(title, title_en)

    def number(self, value: float | int | None, digits: int = 0) -> str:
        """Thousands and decimal separators as each language writes them.

        >>> Translator("vi").number(1234567.891, 2), Translator("en").number(1234567.891, 2)
        ('1.234.567,89', '1,234,567.89')
        """
        if value is None:
            return "—"
        text = f"{value:,.{digits}f}"
        if self.lang == "vi":
            text = text.translate(str.maketrans(",.", ".,"))
        return text

    def one(self, value: float | int | None) -> str:
        """A value with one decimal, the precision rankings and maps use."""
        return self.number(value, 1)

    def compact(self, value: float | int | None) -> str:
        """Short form for big counts on cards: 437.000 → 437 nghìn / 437K.

        >>> Translator("vi").compact(1_250_000), Translator("en").compact(1_250_000)
        ('1,25 triệu', '1.25M')
        >>> Translator("vi").compact(980)
        '980'
        """
        if value is None:
            return "—"
        steps = ((1e9, "compact.billion"), (1e6, "compact.million"), (1e3, "compact.thousand"))
        for size, key in steps:
            if abs(value) >= size:
                return self(key, n=self.number(value / size, 2 if value / size < 10 else 1))
        return self.number(value)

    def ago(self, when: datetime | None, now: datetime | None = None) -> str:
        """How long ago, in words: the freshness shown next to every figure."""
        if when is None:
            return self("fresh.never")
        now = now or datetime.now(UTC)
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        seconds = max(0, int((now - when).total_seconds()))
        for size, key in ((86400, "ago.days"), (3600, "ago.hours"), (60, "ago.minutes")):
            if seconds >= size:
                return self(key, n=seconds // size)
        return self("ago.now")

    def day(self, when: date | None) -> str:
        """A calendar day (a deadline, a plan's start) as each language writes it.

        >>> Translator("vi").day(date(2025, 7, 1)), Translator("en").day(date(2025, 7, 1))
        ('01/07/2025', '2025-07-01')
        """
        if when is None:
            return "—"
        return when.strftime("%d/%m/%Y" if self.lang == "vi" else "%Y-%m-%d")

    def date(self, when: datetime | None) -> str:
        if when is None:
            return "—"
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        local = when.astimezone(ICT)
        return (
            local.strftime("%d/%m/%Y %H:%M")
            if self.lang == "vi"
            else local.strftime("%Y-%m-%d %H:%M")
        )


Gettext = Callable[..., str]
