"""CKAN's write actions: packages and organizations, mapped onto the catalog and registry.

Field mapping: ``notes`` is the description; ``owner_org`` an organization name, id or
member reference; ``tags`` ``[{name}]`` (or ``tag_string``); ``private: true`` means
``restricted``. Our other fields travel as extras, or as top-level keys the way
ckanext-scheming sends them: ``classification``, ``schema`` (a Table Schema, object or
JSON text), ``title_en``, ``update_frequency``, ``spatial`` (unit codes) and ``temporal``
("2020/2024"). Unknown keys are ignored. Errors name CKAN's fields, with CKAN's wording
where CKAN has one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, select
from sqlalchemy.engine import RowMapping

# the module, not its names: whichever of the CKAN modules is imported first, the others
# may still be half-initialised, and names are looked up only when an action runs
from lienthong.catalog import ckan_actions as base
from lienthong.catalog import service
from lienthong.catalog.ckan import ActionContext, DataError, action, pydantic_errors
from lienthong.catalog.models import Classification, DatasetIn, DatasetPatch
from lienthong.catalog.schema import datasets
from lienthong.catalog.tableschema import parse_schema
from lienthong.core.auth import Principal, Role
from lienthong.core.errors import Conflict, NotFound, ValidationFailed
from lienthong.registry.members import create_member, get_member
from lienthong.registry.models import MemberIn

Errors = dict[str, list[str]]
_MISSING: Any = object()
_NAME = re.compile(r"^[a-z0-9_-]+$")
# our field -> CKAN's, for errors found by our models
_RENAME = {"description": "notes", "owner": "owner_org", "temporal_start": "temporal"}
_RENAME |= {"temporal_end": "temporal"}
_SCHEMA_EXAMPLE = '{"fields": [{"name": "ma_xa", "type": "string"}]}'


def _fail(errors: Errors, message: str = "the package is not valid") -> None:
    if errors:
        raise ValidationFailed(message, errors=errors)


# --- reading CKAN's fields ---------------------------------------------------------------
def _subschema(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise DataError(
            f"Only lists of dicts can be placed against subschema ('{key}',), not {type(value)}"
        )
    return value


def _extras(data: dict[str, Any]) -> dict[str, Any]:
    if isinstance(data.get("extras"), dict):
        return dict(data["extras"])
    items = _subschema(data, "extras")
    if not all(isinstance(e, dict) for e in items):
        raise DataError("Only lists of dicts can be placed against subschema ('extras',)")
    return {str(e["key"]): e.get("value") for e in items if "key" in e}


def _pick(data: dict[str, Any], extras: dict[str, Any], key: str) -> Any:
    """A field given at the top level (ckanext-scheming style) or as an extra."""
    return data[key] if key in data else extras.get(key, _MISSING)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    raise ValueError("Must be a string")


def _optional(value: Any) -> str | None:
    return _text(value) or None


def _codes(value: Any) -> list[str]:
    if isinstance(value, str) and value.strip().startswith("["):
        value = _json(value)
    if isinstance(value, list):
        return [str(v) for v in value]
    return [c.strip() for c in _text(value).split(",") if c.strip()]


def _json(value: str) -> Any:
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        raise ValueError("Could not parse as valid JSON") from None


def _schema(value: Any) -> dict[str, Any]:
    raw = _json(value) if isinstance(value, str) else value
    if not isinstance(raw, dict):
        raise ValueError(f"a Table Schema is a JSON object, e.g. {_SCHEMA_EXAMPLE}")
    try:
        parse_schema(raw)
    except ValidationFailed as exc:
        found = [f"{k}: {m}" for k, ms in exc.errors.items() for m in ms]
        raise ValueError("; ".join(found) or exc.message) from None
    return raw


def _tags(data: dict[str, Any]) -> list[str] | Any:
    if "tags" not in data and isinstance(data.get("tag_string"), str):
        return [t.strip() for t in data["tag_string"].split(",") if t.strip()]
    if "tags" not in data:
        return _MISSING
    names = []
    for tag in _subschema(data, "tags"):
        name = tag.get("name") if isinstance(tag, dict) else tag
        if not isinstance(name, str):
            raise DataError('a tag is {"name": "..."}')
        names.append(name)
    return names


def _temporal(data: dict[str, Any], extras: dict[str, Any]) -> dict[str, Any]:
    interval = _pick(data, extras, "temporal")
    if interval is _MISSING:
        ends = {k: _pick(data, extras, k) for k in ("temporal_start", "temporal_end")}
        return {k: _optional(v) for k, v in ends.items() if v is not _MISSING}
    start, _, end = _text(interval).partition("/")
    return {
        "temporal_start": None if start in ("", "..") else start,
        "temporal_end": None if end in ("", "..") else end,
    }


_Convert = Callable[[Any], Any]
# CKAN key, our field, conversion, value when absent from an update (_MISSING: unchanged)
_FIELDS: tuple[tuple[str, str, _Convert, Any], ...] = (
    ("title", "title", _text, _MISSING),
    ("notes", "description", _text, ""),
    ("license_id", "license_id", _text, _MISSING),
    ("title_en", "title_en", _optional, None),
    ("update_frequency", "update_frequency", _optional, None),
    ("spatial", "spatial", _codes, []),
    ("schema", "schema", _schema, _MISSING),
)


def dataset_fields(data: dict[str, Any], errors: Errors, *, replace: bool) -> dict[str, Any]:
    """Our fields from a package dict; `replace` (package_update) resets absent ones."""
    extras = _extras(data)
    out: dict[str, Any] = {}
    for key, ours, convert, reset in _FIELDS:
        value = _pick(data, extras, key)
        if value is _MISSING:
            if replace and reset is not _MISSING:
                out[ours] = reset
            continue
        try:
            out[ours] = convert(value)
        except ValueError as exc:
            errors.setdefault(key, []).append(str(exc))
    tags = _tags(data)
    if tags is not _MISSING or replace:
        out["tags"] = [] if tags is _MISSING else tags
    try:
        out |= _temporal(data, extras)
    except ValueError as exc:
        errors.setdefault("temporal", []).append(str(exc))
    if replace:
        out.setdefault("temporal_start", None)
        out.setdefault("temporal_end", None)
    return out


def classification(data: dict[str, Any], current: str | None) -> str | None:
    """An explicit classification wins; else private true is restricted, false not."""
    explicit = _pick(data, _extras(data), "classification")
    if explicit not in (_MISSING, None, ""):
        return str(explicit)
    if data.get("private") in (None, ""):
        return None
    if base.as_bool(data["private"]):
        return Classification.RESTRICTED.value
    restricted = current in (None, Classification.RESTRICTED)
    return Classification.SHARED.value if restricted else current


def _check_name(value: Any, errors: Errors) -> str:
    """CKAN's name_validator and its messages."""
    problem = None
    if value is None or value == "":
        problem = "Missing value"
    elif not isinstance(value, str):
        problem = "Names must be strings"
    elif value in ("new", "edit", "search"):
        problem = "That name cannot be used"
    elif len(value) < 2:
        problem = "Must be at least 2 characters long"
    elif len(value) > 100:
        problem = "Name must be a maximum of 100 characters long"
    elif not _NAME.match(value):
        problem = "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"
    if problem:
        errors.setdefault("name", []).append(problem)
        return ""
    return str(value)


def _owner(
    conn: Connection, ctx: ActionContext, principal: Principal, value: Any, errors: Errors
) -> RowMapping | None:
    """CKAN's owner_org_validator and its messages."""
    if value is None or value == "":
        errors["owner_org"] = ["An organization must be provided"]
        return None
    try:
        member = base.find_org(conn, ctx.instance, str(value))
    except NotFound:
        errors["owner_org"] = ["Organization does not exist"]
        return None
    if not principal.has_role(member["id"], Role.PUBLISHER):
        errors["owner_org"] = ["You cannot add a dataset to this organization"]
    return member


# --- packages ----------------------------------------------------------------------------
@action("package_create", write=True)
def package_create(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Create a dataset. Needs `name`, `owner_org` and `schema` (a Table Schema)."""
    principal = ctx.require_principal()
    errors: Errors = {}
    name = _check_name(data.get("name"), errors)
    fields = dataset_fields(data, errors, replace=True)
    if "schema" not in fields and "schema" not in errors:
        errors["schema"] = [f"Missing value: give a Table Schema, e.g. {_SCHEMA_EXAMPLE}"]
    with ctx.platform.store.write() as conn:
        owner = _owner(conn, ctx, principal, data.get("owner_org"), errors)
        if name and conn.execute(select(datasets.c.id).where(datasets.c.name == name)).first():
            errors.setdefault("name", []).append("That URL is already in use.")
        _fail(errors)
        assert owner is not None
        fields |= {"name": name, "owner": f"{owner['member_class']}/{owner['member_code']}"}
        fields["title"] = fields.get("title") or name
        fields["classification"] = classification(data, None) or Classification.SHARED.value
        try:
            body = DatasetIn.model_validate(fields)
            service.create_dataset(conn, ctx.platform.audit, principal, ctx.instance, body)
        except ValidationError as exc:
            raise ValidationFailed("invalid", errors=pydantic_errors(exc, _RENAME)) from None
        except Conflict:
            raise ValidationFailed(
                "taken", errors={"name": ["That URL is already in use."]}
            ) from None
        return base.show(conn, ctx, service.get_dataset(conn, name))


@action("package_update", write=True)
def package_update(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Replace a dataset's metadata: absent fields are cleared, as in CKAN. `license_id`,
    `schema` and the classification are kept when not given, so nothing opens by omission."""
    return _change(ctx, data, replace=True)


@action("package_patch", write=True)
def package_patch(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Change only the given fields of a dataset (`id` or `name` says which)."""
    return _change(ctx, data, replace=False)


def _change(ctx: ActionContext, data: dict[str, Any], *, replace: bool) -> dict[str, Any]:
    principal = ctx.require_principal()
    ref = data.get("id") or data.get("name")
    if not isinstance(ref, str) or not ref:
        raise ValidationFailed("id is missing", errors={"id": ["Missing value"]})
    with ctx.platform.store.write() as conn:
        row = base.find_dataset(conn, ctx.instance, ref)
        principal.require(row["owner_member_id"], Role.PUBLISHER)
        errors: Errors = {}
        _unchangeable(conn, ctx, data, row, errors)
        fields = dataset_fields(data, errors, replace=replace)
        _fail(errors)
        cls = classification(data, row["classification"])
        if cls is not None:
            fields["classification"] = cls
        try:
            patch = DatasetPatch.model_validate(fields)
        except ValidationError as exc:
            raise ValidationFailed("invalid", errors=pydantic_errors(exc, _RENAME)) from None
        try:
            service.update_dataset(conn, ctx.platform.audit, principal, row, patch)
        except ValidationFailed as exc:
            # the warehouse refuses schema changes its records do not allow, naming no field
            if exc.errors or "schema" not in fields:
                raise
            raise ValidationFailed(exc.message, errors={"schema": [exc.message]}) from None
        return base.show(conn, ctx, service.get_dataset(conn, row["name"]))


def _unchangeable(
    conn: Connection, ctx: ActionContext, data: dict[str, Any], row: RowMapping, errors: Errors
) -> None:
    # The name is the resource id and the table's key: renaming would break every client.
    if data.get("name") not in (None, row["name"]) and data.get("id"):
        errors["name"] = ["a dataset cannot be renamed; create a new one instead"]
    owner = data.get("owner_org")
    if owner not in (None, ""):
        try:
            moved = base.find_org(conn, ctx.instance, str(owner))["id"] != row["owner_member_id"]
        except NotFound:
            moved = True
        if moved:
            errors["owner_org"] = ["a dataset cannot move to another organization"]


# --- organizations -----------------------------------------------------------------------
@action("organization_create", write=True)
def organization_create(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Create an organization, i.e. a member (platform admins only). `name` is the member
    class and code, e.g. ``gov-h31``, unless extras give `member_class` and `member_code`;
    `title` is its name."""
    principal = ctx.require_principal()
    principal.require_platform_admin()
    extras = _extras(data)
    cls, code = _pick(data, extras, "member_class"), _pick(data, extras, "member_code")
    from_name = cls is _MISSING or code is _MISSING
    if from_name:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValidationFailed("name is missing", errors={"name": ["Missing value"]})
        cls, _, code = name.strip().partition("-")
        cls, code = cls.upper(), code.upper()
    title = data.get("title") or data.get("name")
    rename = {"member_class": "name", "member_code": "name"} if from_name else {}
    try:
        body = MemberIn.model_validate(
            {"member_class": cls, "member_code": code, "name": title}
            | ({"name_en": extras["title_en"]} if extras.get("title_en") else {})
        )
    except ValidationError as exc:
        raise ValidationFailed(
            "invalid", errors=pydantic_errors(exc, rename | {"name": "title"})
        ) from None
    with ctx.platform.store.write() as conn:
        try:
            create_member(conn, ctx.platform.audit, principal, ctx.instance, body)
        except Conflict:
            errors = {"name": ["Group name already exists in database"]}
            raise ValidationFailed("taken", errors=errors) from None
        except ValidationFailed as exc:
            renamed = {rename.get(k, k): v for k, v in exc.errors.items()}
            raise ValidationFailed(exc.message, errors=renamed or {"name": [exc.message]}) from None
        member = get_member(conn, ctx.instance, body.member_class.value, body.member_code)
        return base.org_dict(ctx, member, 0)
