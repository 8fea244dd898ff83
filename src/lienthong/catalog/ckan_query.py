"""The query language of package_search's q and fq: the subset of Solr syntax clients send.

``field:value``, ``field:"a phrase"``, ``field:[a TO b]`` (``{}`` for open ends, ``*`` for
none), ``field:(a OR b)``, ``-``/``NOT`` to negate, parentheses, ``OR`` and ``AND``. A bare
word searches the text, ignoring case and diacritics ("hai phong" finds "Hải Phòng").
Terms side by side must all match, and ``OR`` binds them tighter than that, so a
harvester's ``organization:a OR organization:b metadata_modified:[2025-01-01T00:00:00Z TO *]``
means (a or b) and modified since. An unknown field matches nothing, as CKAN's catch-all
Solr field does. A query compiles to a predicate over `Doc`s: no input reaches SQL.

>>> doc = Doc(keys={"organization": ["gov-h31"]}, dates={}, text=frozenset({"hai", "phong"}),
...           phrases=" hai phong ")
>>> Parser("hai phong -organization:gov-h32").parse()(doc)
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from lienthong.core.errors import LienthongError
from lienthong.core.vntext import fold

MAX_CLAUSES = 1024  # Solr's maxBooleanClauses
_MAX_DEPTH = 32
_MAX_WILDCARD = 100
DATES = ("metadata_modified", "metadata_created")
_WORD = re.compile(r"\w+")


class SearchQueryError(LienthongError):
    """A q, fq or sort that cannot be parsed: CKAN's `Search Query Error` (400)."""


@dataclass
class Doc:
    """One dataset as the index sees it."""

    keys: dict[str, list[str]]
    dates: dict[str, datetime]
    text: frozenset[str]
    # each field's words, fields apart, so that a phrase never spans two of them
    phrases: str
    title_words: frozenset[str] = frozenset()
    score: float = 0.0
    # what the caller indexed, e.g. the row
    source: Any = field(default=None, repr=False)


def aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def words(*texts: str | None) -> list[str]:
    """Folded words: what text search compares.

    >>> words("Hải Phòng,", None, "ĐƯỜNG")
    ['hai', 'phong', 'duong']
    """
    return _WORD.findall(fold(" ".join(t for t in texts if t)))


_TOKEN = re.compile(
    r"""(?P<space>\s+)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<mod>[-+!](?=[^\s)]))
    | (?P<group>[A-Za-z_][\w.]*):\(
    | (?:(?P<field>[A-Za-z_][\w.]*):)?
      (?: (?P<quoted>"(?:[^"\\]|\\.)*")
        | (?P<range>[\[{][^\]}]*[\]}])
        | (?P<word>(?:[^\s()"\\\[\]{}]|\\.)+) )""",
    re.X,
)
Pred = Callable[[Doc], bool]


@dataclass(frozen=True)
class Token:
    kind: str  # open, close, mod, group, term
    text: str
    field: str | None = None


def tokenize(query: str) -> list[Token]:
    """Split a query into tokens; raise SearchQueryError where none fits (a lone quote)."""
    tokens, pos = [], 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if m is None:
            raise SearchQueryError(f"Cannot parse '{query[:200]}': unexpected {query[pos]!r}")
        pos = m.end()
        kind = m.lastgroup or ""
        if kind in ("open", "close", "mod"):
            tokens.append(Token(kind, m.group()))
        elif kind == "group":
            tokens.append(Token("group", "(", m.group("group")))
        elif kind != "space":
            value = m.group("quoted") or m.group("range") or m.group("word")
            if value.endswith(":") and not value.endswith("\\:"):
                raise SearchQueryError(f"Cannot parse '{query[:200]}': '{value}' has no value")
            tokens.append(Token("term", value, m.group("field")))
    if len(tokens) > MAX_CLAUSES:
        raise SearchQueryError(f"too many clauses (more than {MAX_CLAUSES})")
    return tokens


class Parser:
    """Recursive descent: query = or-group (AND? or-group)*; or-group = unary (OR unary)*."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = tokenize(query)
        self.pos = 0
        self.depth = 0
        self.words: list[str] = []  # positive text words, for the score

    def parse(self) -> Pred | None:
        """The predicate a document must pass; None when the query leaves nothing to test."""
        if not self.tokens:
            return None
        pred = self._and(None)
        if self.pos < len(self.tokens):
            self._fail("unbalanced parentheses")
        return pred

    def _fail(self, why: str) -> None:
        raise SearchQueryError(f"Cannot parse '{self.query[:200]}': {why}")

    def _peek(self, *words: str) -> bool:
        tok = self.tokens[self.pos] if self.pos < len(self.tokens) else None
        return tok is not None and tok.kind == "term" and tok.field is None and tok.text in words

    def _and(self, default: str | None) -> Pred | None:
        parts = [self._or(default)]
        while self.pos < len(self.tokens) and self.tokens[self.pos].kind != "close":
            if self._peek("AND", "&&"):
                self.pos += 1
            parts.append(self._or(default))
        return _all(parts)

    def _or(self, default: str | None) -> Pred | None:
        parts = [self._unary(default)]
        while self._peek("OR", "||"):
            self.pos += 1
            parts.append(self._unary(default))
        return _any(parts)

    def _unary(self, default: str | None) -> Pred | None:
        if self.pos >= len(self.tokens):
            self._fail("the query ends where a term was expected")
        tok = self.tokens[self.pos]
        self.pos += 1
        if tok.kind == "mod" and tok.text == "+":
            return self._deeper(self._unary, default)
        if tok.kind == "mod" or (tok.kind == "term" and tok.field is None and tok.text == "NOT"):
            inner = self._deeper(self._unary, default)
            return None if inner is None else lambda d: not inner(d)
        if tok.kind in ("open", "group"):
            return self._deeper(self._group, tok.field or default)
        if tok.kind == "close" or tok.text in ("AND", "OR", "&&", "||"):
            self._fail(f"unexpected '{tok.text}'")
        return self._term(tok.field or default, tok.text)

    def _deeper(
        self, parse: Callable[[str | None], Pred | None], default: str | None
    ) -> Pred | None:
        # nesting (brackets, -, NOT) is recursion: bound it before Python's stack does
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            self._fail("brackets or negations nested too deep")
        pred = parse(default)
        self.depth -= 1
        return pred

    def _group(self, default: str | None) -> Pred | None:
        pred = self._and(default)
        if self.pos >= len(self.tokens) or self.tokens[self.pos].kind != "close":
            self._fail("unbalanced parentheses")
        self.pos += 1
        return pred

    def _term(self, name: str | None, value: str) -> Pred | None:
        if value in ("*:*", "*") and name is None:
            return None
        if value.startswith(("[", "{")):
            return _range(name or "text", value)
        quoted = value.startswith('"')
        value = re.sub(r"\\(.)", r"\1", value[1:-1] if quoted else value)
        if name is None or name == "text":
            return self._text(value, quoted)
        if name in DATES:
            when = parse_date(value)
            return lambda d: d.dates[name] == when
        return _keyword(name, value, wild=not quoted)

    def _text(self, value: str, phrase: bool) -> Pred | None:
        if not phrase and any(c in value for c in "*?"):
            return _matches_any(_wildcard(value), lambda d: d.text)
        found = words(value)
        if not found:
            return None  # Solr drops a term its analyser leaves empty
        self.words.extend(found)
        if phrase or len(found) > 1:
            needle = f" {' '.join(found)} "
            return lambda d: needle in d.phrases
        return lambda d: found[0] in d.text


def _all(parts: list[Pred | None]) -> Pred | None:
    kept = [p for p in parts if p is not None]
    if len(kept) <= 1:
        return kept[0] if kept else None
    return lambda d: all(p(d) for p in kept)


def _any(parts: list[Pred | None]) -> Pred | None:
    kept = [p for p in parts if p is not None]
    if len(kept) <= 1:
        return kept[0] if kept else None
    return lambda d: any(p(d) for p in kept)


def _wildcard(value: str) -> Callable[[str], bool]:
    """A glob (* and ?) over folded text, matched in O(len × len) and cached per value:
    a regex of many stars backtracks exponentially on a hostile pattern."""
    if len(value) > _MAX_WILDCARD:
        raise SearchQueryError(f"a wildcard term is at most {_MAX_WILDCARD} characters")
    pattern = fold(value)
    seen: dict[str, bool] = {}

    def match(text: str) -> bool:
        if text not in seen:
            seen[text] = glob_match(pattern, text)
        return seen[text]

    return match


def glob_match(pattern: str, text: str) -> bool:
    """Whether `text` matches `pattern`, whose * and ? are wildcards.

    >>> glob_match("hai*", "haiphong"), glob_match("h?i", "hai"), glob_match("*a*b", "aaaa")
    (True, True, False)
    """
    p = t = 0
    star, resume = -1, 0
    while t < len(text):
        if p < len(pattern) and pattern[p] in ("?", text[t]) and pattern[p] != "*":
            p, t = p + 1, t + 1
        elif p < len(pattern) and pattern[p] == "*":
            star, resume, p = p, t, p + 1
        elif star >= 0:
            resume += 1
            p, t = star + 1, resume
        else:
            return False
    return pattern[p:].strip("*") == ""


def _matches_any(match: Callable[[str], bool], values: Callable[[Doc], Iterable[str]]) -> Pred:
    return lambda d: any(match(v) for v in values(d))


def _keyword(name: str, value: str, wild: bool) -> Pred:
    if wild and any(c in value for c in "*?"):
        return _matches_any(_wildcard(value), lambda d: map(fold, d.keys.get(name, ())))
    wanted = fold(value)
    return lambda d: any(fold(v) == wanted for v in d.keys.get(name, ()))


_RANGE = re.compile(r"^([\[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$")


def _range(name: str, text: str) -> Pred:
    m = _RANGE.match(text)
    if m is None:
        raise SearchQueryError(f"Cannot parse '{text[:200]}': a range is [from TO to]")
    lo_incl, lo, hi, hi_incl = m.group(1) == "[", m.group(2), m.group(3), m.group(4) == "]"
    if name in DATES:
        lo_d = None if lo == "*" else parse_date(lo)
        hi_d = None if hi == "*" else parse_date(hi)
        return lambda d: _within(d.dates[name], lo_d, hi_d, lo_incl, hi_incl)
    lo_s, hi_s = (None if v == "*" else v.strip('"') for v in (lo, hi))
    return lambda d: any(_within(v, lo_s, hi_s, lo_incl, hi_incl) for v in d.keys.get(name, ()))


def _within(v: Any, lo: Any, hi: Any, lo_incl: bool, hi_incl: bool) -> bool:
    above = lo is None or v > lo or (lo_incl and v == lo)
    return bool(above and (hi is None or v < hi or (hi_incl and v == hi)))


_DATE_MATH = re.compile(r"^NOW(?:([+-])(\d{1,6})(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND)S?)?(?:/\w+)?$")
_UNIT_DAYS = {"YEAR": 365.0, "MONTH": 30.0, "DAY": 1.0, "HOUR": 1 / 24, "MINUTE": 1 / 1440}


def parse_date(text: str) -> datetime:
    """A Solr date: ISO 8601 (Z optional) or NOW, NOW-7DAYS.

    >>> parse_date("2025-01-01T00:00:00Z").isoformat()
    '2025-01-01T00:00:00+00:00'
    """
    m = _DATE_MATH.match(text)
    if m:
        now = datetime.now(UTC)
        if not m.group(1):
            return now
        days = int(m.group(2)) * _UNIT_DAYS.get(m.group(3), 1 / 86400)
        try:
            return now + timedelta(days=days if m.group(1) == "+" else -days)
        except OverflowError:
            raise SearchQueryError(f"Invalid Date String:'{text[:100]}'") from None
    try:
        return aware(datetime.fromisoformat(text.strip('"').removesuffix("Z")))
    except ValueError:
        raise SearchQueryError(f"Invalid Date String:'{text[:100]}'") from None
