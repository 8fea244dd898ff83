"""Frictionless Table Schema: the subset we validate, store and enforce.

Field names become SQL column names, so they are restricted to lower-case
ASCII identifiers; Vietnamese belongs in `title`. Two extensions:
`personal: true` marks a field masked unless a grant names a legal basis,
and `subject: citizen_id | tax_code` marks a key identifying a person or firm.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from lienthong.core.errors import ValidationFailed

FieldType = Literal[
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
    "time",
    "year",
    "object",
    "array",
    "geojson",
    "any",
]
NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
RESERVED = frozenset({"_id", "_search"})
SQL_WORDS = frozenset({"select", "from", "where", "order", "group", "table", "index", "user"})


class Constraints(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    required: bool = False
    unique: bool = False
    min_length: int | None = Field(None, alias="minLength", ge=0)
    max_length: int | None = Field(None, alias="maxLength", ge=1)
    minimum: int | float | str | None = None
    maximum: int | float | str | None = None
    pattern: Annotated[str, StringConstraints(max_length=500)] | None = None
    enum: list[Any] | None = Field(None, max_length=10_000)

    @model_validator(mode="after")
    def _pattern_compiles(self) -> Constraints:
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern does not compile: {exc}") from exc
        return self


class SchemaField(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    name: Annotated[str, StringConstraints(max_length=63)]
    type: FieldType = "string"
    format: Annotated[str, StringConstraints(max_length=100)] = "default"
    title: Annotated[str, StringConstraints(max_length=300)] | None = None
    description: Annotated[str, StringConstraints(max_length=2000)] | None = None
    constraints: Constraints = Field(default_factory=Constraints)
    personal: bool = False
    subject: Literal["citizen_id", "tax_code"] | None = None


class TableSchema(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    fields: list[SchemaField] = Field(min_length=1, max_length=500)
    primary_key: list[str] = Field(default_factory=list, alias="primaryKey", max_length=10)
    # extension: fields to index for fast filtering, each a name or a list of names
    indexes: list[str | list[str]] = Field(default_factory=list, max_length=20)
    missing_values: list[str] = Field(default_factory=lambda: [""], alias="missingValues")

    def field(self, name: str) -> SchemaField:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def index_columns(self) -> list[list[str]]:
        return [[i] if isinstance(i, str) else list(i) for i in self.indexes if i]

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True, exclude_defaults=False)


def parse_schema(raw: Any) -> TableSchema:
    """Validate a Table Schema given as a dict; raise ValidationFailed naming each problem.

    >>> parse_schema({"fields": [{"name": "ma_xa"}], "primaryKey": ["ma_xa"]}).names
    ['ma_xa']
    """
    if isinstance(raw, dict) and isinstance(raw.get("primaryKey"), str):
        raw = {**raw, "primaryKey": [raw["primaryKey"]]}
    try:
        schema = TableSchema.model_validate(raw)
    except ValueError as exc:
        raise ValidationFailed(f"the Table Schema is not valid: {exc}") from exc
    problems: dict[str, list[str]] = {}
    seen: set[str] = set()
    for f in schema.fields:
        key = f"schema.fields.{f.name}"
        if f.name in RESERVED or not NAME.match(f.name) or f.name in SQL_WORDS:
            problems.setdefault(key, []).append(
                "field names are lower-case ASCII identifiers (a-z, 0-9, _), starting with a "
                "letter, at most 63 characters; put Vietnamese in `title`"
            )
        if f.name in seen:
            problems.setdefault(key, []).append("the name is used twice")
        seen.add(f.name)
        if f.type == "date" and f.format not in ("default", "any") and "%" not in f.format:
            problems.setdefault(key, []).append("a date format is a strptime pattern like %d/%m/%Y")
    for k in schema.primary_key:
        if k not in seen:
            problems.setdefault("schema.primaryKey", []).append(f"'{k}' is not a field")
    for index in schema.indexes:
        for k in [index] if isinstance(index, str) else index:
            if k not in seen:
                problems.setdefault("schema.indexes", []).append(f"'{k}' is not a field")
    if problems:
        first = next(iter(problems.items()))
        raise ValidationFailed(f"{first[0]}: {first[1][0]}", errors=problems)
    for k in schema.primary_key:
        schema.field(k).constraints.required = True
    return schema
