"""Vectorised conversion of text columns to Table Schema types, with per-row reasons.

Every function takes a string array (nulls for missing values) and returns
the typed array and a boolean mask of the rows whose text is not valid,
with the reason for those rows. Work is done by pyarrow compute kernels;
Python only touches the rare values a kernel cannot judge on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lienthong.catalog.tableschema import SchemaField

INT_RE = r"^[+-]?[0-9]{1,18}$"
NUMBER_RE = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$"
TIME_RE = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"
YEAR_RE = r"^[0-9]{4}$"
FORMATS = {
    "email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    "uri": r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s]+$",
    "uuid": r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
}
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]


@dataclass
class Converted:
    values: pa.Array
    invalid: pa.Array  # boolean, no nulls
    reason: str


def falses(n: int) -> pa.Array:
    """A boolean array of `n` False values."""
    return pa.array(np.zeros(n, dtype=np.bool_))


def _invalid(present: pa.Array, ok: pa.Array) -> pa.Array:
    """Rows that hold text but did not convert."""
    return pc.and_(pc.fill_null(present, False), pc.invert(pc.fill_null(ok, False)))


def _matches(col: pa.Array, pattern: str) -> pa.Array:
    return pc.match_substring_regex(col, pattern=pattern)


def to_integer(col: pa.Array, f: SchemaField) -> Converted:
    text = pc.utf8_trim_whitespace(col)
    ok = _matches(text, INT_RE)
    values = pc.cast(pc.if_else(ok, text, None), pa.int64())
    return Converted(values, _invalid(pc.is_valid(col), ok), "is not an integer")


def to_number(col: pa.Array, f: SchemaField) -> Converted:
    text = pc.utf8_trim_whitespace(col)
    extra = f.model_extra or {}
    # Vietnamese figures are often written 1.234.567,5: Table Schema's groupChar/decimalChar
    group, decimal = extra.get("groupChar"), extra.get("decimalChar")
    if group:
        text = pc.replace_substring(text, pattern=str(group), replacement="")
    if decimal and decimal != ".":
        text = pc.replace_substring(text, pattern=str(decimal), replacement=".")
    ok = _matches(text, NUMBER_RE)
    values = pc.cast(pc.if_else(ok, text, None), pa.float64())
    return Converted(values, _invalid(pc.is_valid(col), ok), "is not a number")


def to_boolean(col: pa.Array, f: SchemaField) -> Converted:
    extra = f.model_extra or {}
    trues = pa.array([str(v) for v in extra.get("trueValues", TRUE_VALUES)])
    falses = pa.array([str(v) for v in extra.get("falseValues", FALSE_VALUES)])
    text = pc.utf8_trim_whitespace(col)
    is_true, is_false = pc.is_in(text, value_set=trues), pc.is_in(text, value_set=falses)
    ok = pc.or_(is_true, is_false)
    values = pc.if_else(ok, is_true, pa.scalar(None, pa.bool_()))
    return Converted(values, _invalid(pc.is_valid(col), ok), "is not a boolean")


def to_date(col: pa.Array, f: SchemaField) -> Converted:
    fmt = "%Y-%m-%d" if f.format in ("default", "any") else f.format
    text = pc.utf8_trim_whitespace(col)
    numeric = _numeric_date_regex(fmt)
    if numeric is not None:
        values, ok = _numeric_dates(text, numeric)
        return Converted(values, _invalid(pc.is_valid(col), ok), f"is not a date ({fmt})")
    parsed = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    # strptime rolls 31/02 over to 03/03: a value is only good if it formats back the same
    back = pc.strftime(parsed, format=fmt)
    same = pc.fill_null(pc.equal(back, text), False)
    unsure = pc.and_(pc.is_valid(parsed), pc.invert(same))
    if pc.any(unsure).as_py():
        parsed, same = _strict_dates(text, parsed, same, unsure, fmt)
    values = pc.cast(pc.if_else(same, parsed, None), pa.date32())
    return Converted(values, _invalid(pc.is_valid(col), same), f"is not a date ({fmt})")


_DIRECTIVES = {"%d": r"(?P<d>[0-9]{1,2})", "%m": r"(?P<m>[0-9]{1,2})", "%Y": r"(?P<y>[0-9]{4})"}
_DAYS = pa.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], pa.int64())


def _numeric_date_regex(fmt: str) -> str | None:
    """A regex for formats made only of %d, %m, %Y and literal separators, else None."""
    parts = re.split(r"(%[a-zA-Z])", fmt)
    if sorted(p for p in parts if p.startswith("%")) != ["%Y", "%d", "%m"]:
        return None
    if any(p.startswith("%") and p not in _DIRECTIVES for p in parts):
        return None
    return "^" + "".join(_DIRECTIVES.get(p, re.escape(p)) for p in parts) + "$"


def _numeric_dates(text: pa.Array, regex: str) -> tuple[pa.Array, pa.Array]:
    """Day, month and year checked by arithmetic, all in vectorised kernels."""
    parts = pc.extract_regex(text, pattern=regex)
    d = pc.cast(pc.struct_field(parts, "d"), pa.int64())
    m = pc.cast(pc.struct_field(parts, "m"), pa.int64())
    y = pc.cast(pc.struct_field(parts, "y"), pa.int64())
    good_month = pc.and_(pc.greater_equal(m, 1), pc.less_equal(m, 12))
    month = pc.if_else(good_month, m, 0)
    leap = pc.or_(
        pc.and_(pc.equal(_mod(y, 4), 0), pc.not_equal(_mod(y, 100), 0)), pc.equal(_mod(y, 400), 0)
    )
    days = pc.add(pc.take(_DAYS, month), pc.cast(pc.and_(leap, pc.equal(month, 2)), pa.int64()))
    ok = pc.fill_null(
        pc.and_(good_month, pc.and_(pc.greater_equal(d, 1), pc.less_equal(d, days))), False
    )
    iso = pc.binary_join_element_wise(
        pc.utf8_lpad(pc.cast(y, pa.string()), width=4, padding="0"),
        pc.utf8_lpad(pc.cast(m, pa.string()), width=2, padding="0"),
        pc.utf8_lpad(pc.cast(d, pa.string()), width=2, padding="0"),
        "-",
    )
    return pc.cast(pc.if_else(ok, iso, None), pa.date32()), ok


def _mod(values: pa.Array, n: int) -> pa.Array:
    return pc.subtract(values, pc.multiply(pc.divide(values, n), n))


def _strict_dates(
    text: pa.Array, parsed: pa.Array, same: pa.Array, unsure: pa.Array, fmt: str
) -> tuple[pa.Array, pa.Array]:
    """Settle unpadded or rolled-over values one by one with Python's strict strptime."""
    idx = pc.indices_nonzero(unsure).to_pylist()
    fixed = parsed.to_pylist()
    good = same.to_pylist()
    for i, value in zip(idx, text.take(pa.array(idx)).to_pylist(), strict=True):
        try:
            fixed[i] = datetime.strptime(value, fmt)
            good[i] = True
        except ValueError:
            good[i] = False
    return pa.array(fixed, type=parsed.type), pa.array(good, type=pa.bool_())


def to_datetime(col: pa.Array, f: SchemaField) -> Converted:
    text = pc.utf8_trim_whitespace(col)
    target = pa.timestamp("us", tz="UTC")
    try:
        values = pc.cast(text, target)
        return Converted(values, falses(len(col)), "")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    out: list[datetime | None] = []
    for v in text.to_pylist():
        out.append(_iso_datetime(v))
    values = pa.array(out, type=target)
    return Converted(
        values, _invalid(pc.is_valid(col), pc.is_valid(values)), "is not a datetime (ISO 8601)"
    )


def _iso_datetime(v: str | None) -> datetime | None:
    if v is None:
        return None
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def to_time(col: pa.Array, f: SchemaField) -> Converted:
    text = pc.utf8_trim_whitespace(col)
    ok = _matches(text, TIME_RE)
    return Converted(
        pc.if_else(ok, text, None), _invalid(pc.is_valid(col), ok), "is not a time (HH:MM[:SS])"
    )


def to_year(col: pa.Array, f: SchemaField) -> Converted:
    text = pc.utf8_trim_whitespace(col)
    ok = _matches(text, YEAR_RE)
    values = pc.cast(pc.if_else(ok, text, None), pa.int32())
    return Converted(values, _invalid(pc.is_valid(col), ok), "is not a year")


def to_json(col: pa.Array, f: SchemaField) -> Converted:
    out: list[str | None] = []
    bad: list[bool] = []
    for v in col.to_pylist():
        value, ok = _json_value(v, f.type)
        out.append(value)
        bad.append(not ok)
    kind = {"object": "a JSON object", "array": "a JSON array", "geojson": "GeoJSON"}[f.type]
    return Converted(pa.array(out, pa.string()), pa.array(bad, pa.bool_()), f"is not {kind}")


def _json_value(v: str | None, kind: str) -> tuple[str | None, bool]:
    if v is None:
        return None, True
    try:
        parsed: Any = json.loads(v)
    except ValueError:
        return None, False
    ok = (
        isinstance(parsed, dict)
        if kind == "object"
        else isinstance(parsed, list)
        if kind == "array"
        else isinstance(parsed, dict) and isinstance(parsed.get("type"), str)
    )
    return (json.dumps(parsed, ensure_ascii=False, separators=(",", ":")) if ok else None), ok


def _within_years(conv: Converted, reason: str | None = None) -> Converted:
    """Years 1 to 9999 only, in UTC: all Python (and so every reader) can hold."""
    year = pc.year(conv.values)
    beyond = pc.fill_null(pc.or_(pc.less(year, 1), pc.greater(year, 9999)), False)
    if not pc.any(beyond).as_py():
        return conv
    values = pc.if_else(beyond, pa.scalar(None, conv.values.type), conv.values)
    return Converted(values, pc.or_(conv.invalid, beyond), reason or conv.reason)


def as_text(col: pa.Array, f: SchemaField) -> Converted:
    return Converted(col, falses(len(col)), "")


CONVERTERS: dict[str, Callable[[pa.Array, SchemaField], Converted]] = {
    "string": as_text,
    "any": as_text,
    "integer": to_integer,
    "number": to_number,
    "boolean": to_boolean,
    "date": lambda col, f: _within_years(to_date(col, f)),
    "datetime": lambda col, f: _within_years(to_datetime(col, f), "is not a datetime (ISO 8601)"),
    "time": to_time,
    "year": to_year,
    "object": to_json,
    "array": to_json,
    "geojson": to_json,
}


# how a field reads text as people type it; `canonical` reads what databases and JSON write
INPUT_FORMATS = ("decimalChar", "groupChar", "trueValues", "falseValues")


def canonical(f: SchemaField) -> SchemaField:
    """`f` reading canonical text (ISO dates, '.' decimals, true/false), as filter values,
    cursors and stored values are written, rather than the text of an ingested file."""
    data = {k: v for k, v in f.model_dump(by_alias=True).items() if k not in INPUT_FORMATS}
    if f.type in ("date", "datetime"):
        data["format"] = "default"
    return SchemaField.model_validate(data)


def bound(value: Any, f: SchemaField) -> Any:
    """A constraint's bound in the field's type, for comparisons."""
    if f.type == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    if f.type == "datetime" and isinstance(value, str):
        return _iso_datetime(value)
    return value
