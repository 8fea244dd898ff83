"""Validating batches of text against a Table Schema: types, formats, constraints, hygiene.

The result names every bad row with its field, value and reason; the first
1,000 errors of an ingestion are kept in full, the rest are counted.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lienthong.catalog.tableschema import SchemaField, TableSchema
from lienthong.core import vntext
from lienthong.core.errors import ValidationFailed
from lienthong.warehouse.convert import CONVERTERS, FORMATS, bound, falses

MAX_ERRORS = 1000
MAX_VALUE_SHOWN = 200
# the product owner's rule: no cell over 100,000 characters unless the field's maxLength
# allows more
MAX_CELL = 100_000
CLEAN_CACHE = 200_000
# only short cells are cached (names, places, statuses): long ones would fill memory
CLEAN_CACHE_CELL = 200
# rows sampled to tell whether a column has few distinct values
SAMPLE = 1000


Check = tuple[pa.Array, str]  # a boolean mask of the rows that fail, and the reason


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row:,}, column `{self.field}`: '{self.value}' {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "value": self.value, "reason": self.reason}


@dataclass
class Findings:
    """What validation found over a whole ingestion."""

    errors: list[RowError] = field(default_factory=list)
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    conversions: Counter[str] = field(default_factory=Counter)
    bad_rows: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, e: RowError) -> None:
        self.counts[(e.field, e.reason)] += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(e)

    def summary(self) -> dict[str, Any]:
        return {
            "errors": [e.as_dict() for e in self.errors],
            "error_count": self.total,
            "bad_rows": self.bad_rows,
            "by_reason": [
                {"field": f, "reason": r, "count": n} for (f, r), n in self.counts.most_common()
            ],
        }


@dataclass
class Checked:
    """One validated batch: typed columns for every row, and which rows are bad."""

    table: pa.Table
    bad: pa.Array
    rows: pa.Array  # the source row number of each row
    reasons: dict[int, list[str]] = field(default_factory=dict)

    @property
    def good(self) -> pa.Table:
        return self.table.filter(pc.invert(self.bad))

    @property
    def any_bad(self) -> bool:
        return bool(pc.any(self.bad).as_py())


class Validator:
    """Checks batches of text columns (as read from a file) against one schema."""

    def __init__(self, schema: TableSchema, columns: list[str]) -> None:
        self.schema = schema
        self.fields = schema.fields
        self.missing = pa.array(schema.missing_values or [""], pa.string())
        unknown = [c for c in columns if c not in schema.names]
        absent = [f.name for f in schema.fields if f.name not in columns and f.constraints.required]
        problems: dict[str, list[str]] = {}
        for c in unknown:
            problems[c[:63]] = ["this column is not in the dataset's schema"]
        for c in absent:
            problems[c] = ["this required column is missing from the file"]
        if problems:
            first = next(iter(problems.items()))
            raise ValidationFailed(f"column `{first[0]}`: {first[1][0]}", errors=problems)
        self.columns = columns
        # text already cleaned, by value: Vietnamese columns repeat (names, places, statuses)
        self._cleaned: dict[str, tuple[str, int]] = {}

    def check(
        self,
        batch: pa.RecordBatch,
        first_row: int,
        findings: Findings,
        rows: pa.Array | None = None,
    ) -> Checked:
        """Validate a batch whose rows are numbered from `first_row` (or by `rows`)."""
        n = batch.num_rows
        if rows is None:
            rows = pa.array(range(first_row, first_row + n), pa.int64())
        bad = falses(n)
        arrays: list[pa.Array] = []
        reasons: dict[int, list[str]] = {}
        found: list[RowError] = []
        for f in self.fields:
            col = batch.column(f.name) if f.name in self.columns else pa.nulls(n, pa.string())
            values, field_bad = self._field(f, col, rows, findings, reasons, found)
            arrays.append(values)
            bad = pc.or_(bad, field_bad)
        # in row order, so that the errors kept in full are the first rows' (stable: then
        # in field order)
        for e in sorted(found, key=lambda e: e.row):
            findings.add(e)
        findings.bad_rows += int(pc.sum(bad).as_py() or 0)
        return Checked(pa.table(arrays, names=[f.name for f in self.fields]), bad, rows, reasons)

    def _field(
        self,
        f: SchemaField,
        col: pa.Array,
        rows: pa.Array,
        findings: Findings,
        reasons: dict[int, list[str]],
        found: list[RowError],
    ) -> tuple[pa.Array, pa.Array]:
        col = col.cast(pa.string()) if col.type != pa.string() else col
        missing = pc.fill_null(pc.is_in(col, value_set=self.missing), False)
        if pc.any(missing).as_py():
            col = pc.if_else(missing, None, col)
        unholdable = _unholdable(f, col)
        if f.type == "string":
            col = self._hygiene(col, findings)
        values, converted, constrained = self._judge(f, col)
        checks = converted
        if f.constraints.required:
            checks.append((pc.is_null(col), "is required"))
        checks += constrained
        if unholdable:
            # a cell no field can hold gets that one reason, not every other check's too
            skip = pc.invert(functools.reduce(pc.or_, (m for m, _ in unholdable)))
            checks = unholdable + [(pc.and_(m, skip), r) for m, r in checks]
        field_bad = falses(len(col))
        for mask, reason in checks:
            if not pc.any(mask).as_py():
                continue
            field_bad = pc.or_(field_bad, mask)
            self._report(f.name, col, rows, mask, reason, found, reasons)
        return values, field_bad

    def _judge(self, f: SchemaField, col: pa.Array) -> tuple[pa.Array, list[Check], list[Check]]:
        """Typed values, the conversion's check and the constraints' checks of a column.

        Every check depends on the value alone, so a column of few distinct values
        (dates, amounts, codes, statuses) is judged once per distinct value, and the
        results are spread back over the rows.
        """
        encoded = _few_distinct(col)
        if encoded is None:
            conv = CONVERTERS[f.type](col, f)
            constrained = self._constraints(f, col, conv.values)
            return conv.values, [(conv.invalid, conv.reason)], constrained
        distinct, indices = encoded.dictionary, encoded.indices
        conv = CONVERTERS[f.type](distinct, f)
        constrained = self._constraints(f, distinct, conv.values)
        values = col if conv.values is distinct else conv.values.take(indices)
        converted = [(conv.invalid, conv.reason)]
        return values, _spread(converted, indices), _spread(constrained, indices)

    def _hygiene(self, col: pa.Array, findings: Findings) -> pa.Array:
        """NFC and consistent tone marks, touching only distinct non-ASCII values."""
        nonascii = pc.fill_null(pc.invert(pc.string_is_ascii(col)), False)
        if not pc.any(nonascii).as_py():
            return col
        sub = col.filter(nonascii).dictionary_encode()
        before = sub.dictionary.to_pylist()
        after, changed = [], 0
        cache = self._cleaned
        for text in before:
            hit = cache.get(text)
            if hit is None:
                hit = vntext.clean(text)
                if len(cache) < CLEAN_CACHE and len(text) <= CLEAN_CACHE_CELL:
                    cache[text] = hit
            after.append(hit[0])
            changed += hit[1]
        if not changed:
            return col
        findings.conversions["text normalised (NFC, tone marks)"] += changed
        replaced = pa.array(after, pa.string()).take(sub.indices)
        return pc.replace_with_mask(col, nonascii, replaced)

    def _constraints(
        self, f: SchemaField, text: pa.Array, values: pa.Array
    ) -> list[tuple[pa.Array, str]]:
        c = f.constraints
        out: list[tuple[pa.Array, str]] = []
        present = pc.is_valid(values)
        if f.type == "string":
            length = pc.utf8_length(text)
            if c.max_length is not None:
                out.append(
                    (
                        _true(pc.greater(length, c.max_length)),
                        f"is longer than {c.max_length:,} characters",
                    )
                )
            if c.min_length is not None:
                out.append(
                    (
                        _true(pc.less(length, c.min_length)),
                        f"is shorter than {c.min_length:,} characters",
                    )
                )
            if c.pattern is not None:
                out.append(
                    (_pattern_fails(text, c.pattern), f"does not match the pattern {c.pattern}")
                )
            if f.format in FORMATS:
                ok = pc.match_substring_regex(text, pattern=FORMATS[f.format])
                out.append((_true(pc.and_(present, pc.invert(ok))), f"is not a valid {f.format}"))
        if c.enum is not None:
            allowed = (
                pa.array([str(v) for v in c.enum])
                if f.type == "string"
                else pa.array(c.enum).cast(values.type)
            )
            out.append(
                (
                    _true(pc.and_(present, pc.invert(pc.is_in(values, value_set=allowed)))),
                    "is not one of the allowed values",
                )
            )
        if c.minimum is not None:
            out.append(
                (
                    _true(pc.less(values, pa.scalar(bound(c.minimum, f), values.type))),
                    f"is less than the minimum {c.minimum}",
                )
            )
        if c.maximum is not None:
            out.append(
                (
                    _true(pc.greater(values, pa.scalar(bound(c.maximum, f), values.type))),
                    f"is more than the maximum {c.maximum}",
                )
            )
        return out

    def _report(
        self,
        name: str,
        col: pa.Array,
        rows: pa.Array,
        mask: pa.Array,
        reason: str,
        found: list[RowError],
        reasons: dict[int, list[str]],
    ) -> None:
        idx = pc.indices_nonzero(mask)
        values = col.take(idx).to_pylist()
        for i, row, value in zip(idx.to_pylist(), rows.take(idx).to_pylist(), values, strict=True):
            shown = "" if value is None else _shorten(str(value))
            found.append(RowError(row, name, shown, reason))
            reasons.setdefault(i, []).append(f"{name}: {reason}")


def _unholdable(f: SchemaField, col: pa.Array) -> list[tuple[pa.Array, str]]:
    """Cells too long for any field without a larger maxLength, and text with NUL characters
    (PostgreSQL cannot store them): the (mask, reason) of each kind present."""
    out = []
    if f.type != "string" or f.constraints.max_length is None:
        cap = max(MAX_CELL, f.constraints.max_length or 0)
        reason = (
            f"is longer than {cap:,} characters, the most a cell may hold "
            "unless the field's maxLength allows more"
        )
        # a cell has at least as many bytes as characters: count characters only past cap bytes
        if (pc.max(pc.binary_length(col)).as_py() or 0) > cap:
            out.append((_true(pc.greater(pc.utf8_length(col), cap)), reason))
    if f.type in ("string", "any") and _may_hold_nul(col):
        out.append((_true(pc.match_substring(col, "\x00")), "holds a NUL character (U+0000)"))
    return [(mask, reason) for mask, reason in out if pc.any(mask).as_py()]


def _may_hold_nul(col: pa.Array) -> bool:
    """False when no byte of the column's text is 0 (one pass over its buffer)."""
    data = col.buffers()[2]
    return data is not None and not np.frombuffer(data, dtype=np.uint8).all()


def _few_distinct(col: pa.Array) -> pa.DictionaryArray | None:
    """The column dictionary-encoded, when it holds few distinct values."""
    n = len(col)
    if n < 4 * SAMPLE or pc.count_distinct(col.slice(0, SAMPLE)).as_py() > SAMPLE // 2:
        return None
    encoded = col.dictionary_encode()
    return encoded if len(encoded.dictionary) <= n // 4 else None


def _spread(checks: list[Check], indices: pa.Array) -> list[Check]:
    """Checks of distinct values as checks of the rows; the ones no value fails left out."""
    return [(_true(m.take(indices)), r) for m, r in checks if pc.any(m).as_py()]


def _true(mask: pa.Array) -> pa.Array:
    return pc.fill_null(mask, False)


def _shorten(value: str) -> str:
    if len(value) <= MAX_VALUE_SHOWN:
        return value
    return f"{value[:MAX_VALUE_SHOWN]}… ({len(value):,} characters)"


def _pattern_fails(text: pa.Array, pattern: str) -> pa.Array:
    anchored = f"^(?:{pattern})$"
    try:
        ok = pc.match_substring_regex(text, pattern=anchored)
    except pa.ArrowInvalid:
        # a Python-only construct (RE2 has no look-arounds): judge value by value
        rx = re.compile(anchored)
        ok = pa.array([None if v is None else bool(rx.match(v)) for v in text.to_pylist()])
    return _true(pc.and_(pc.is_valid(text), pc.invert(ok)))
