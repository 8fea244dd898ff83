"""CKAN's DataStore actions over the warehouse: datastore_create, _upsert, _search, _delete, _info.

A dataset is a CKAN package with one resource, whose id is the dataset's name;
the resource's DataStore table is the dataset's table. Types map both ways
between CKAN's (text, int, numeric, bool, date, timestamp, time, json) and
Table Schema's.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any
from urllib.parse import quote_plus, urlencode

from lienthong.catalog import service
from lienthong.catalog.ckan import ActionContext, action
from lienthong.catalog.ckan_actions import as_bool, find_dataset
from lienthong.catalog.models import DatasetPatch
from lienthong.catalog.tableschema import TableSchema
from lienthong.core.errors import ValidationFailed
from lienthong.warehouse import reads
from lienthong.warehouse.delete import delete_matching
from lienthong.warehouse.ingest import Source, ingest
from lienthong.warehouse.writer import Mode

TO_SCHEMA = {
    "text": "string",
    "varchar": "string",
    "char": "string",
    "string": "string",
    "int": "integer",
    "int4": "integer",
    "int8": "integer",
    "integer": "integer",
    "bigint": "integer",
    "smallint": "integer",
    "numeric": "number",
    "float": "number",
    "float8": "number",
    "double": "number",
    "number": "number",
    "bool": "boolean",
    "boolean": "boolean",
    "date": "date",
    "timestamp": "datetime",
    "timestamptz": "datetime",
    "time": "time",
    "json": "any",
    "jsonb": "any",
}
TO_CKAN = {
    "string": "text",
    "integer": "int",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
    "year": "int",
    "object": "json",
    "array": "json",
    "geojson": "json",
    "any": "text",
}
SLUG = re.compile(r"^[a-z0-9_-]{2,100}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
METHODS = {"upsert": Mode.UPSERT, "insert": Mode.INSERT, "update": Mode.UPDATE}


def _name(ctx: ActionContext, data: dict[str, Any]) -> str:
    ref = data.get("resource_id")
    if not ref and isinstance(data.get("resource"), dict):
        ref = data["resource"].get("package_id")
    if not ref:
        raise ValidationFailed("Missing value", errors={"resource_id": ["Missing value"]})
    with ctx.platform.store.read() as conn:
        return str(find_dataset(conn, ctx.instance, str(ref))["name"])


def _fast_name(ctx: ActionContext, data: dict[str, Any]) -> str:
    """The resource id is nearly always the dataset's name: skip the lookup when it is one."""
    ref = data.get("resource_id")
    if isinstance(ref, str) and SLUG.match(ref) and not UUID.match(ref):
        return ref
    return _name(ctx, data)


def ckan_fields(schema: TableSchema) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"id": "_id", "type": "int"}]
    for f in schema.fields:
        info = {k: v for k, v in (("label", f.title), ("notes", f.description)) if v}
        entry: dict[str, Any] = {"id": f.name, "type": TO_CKAN[f.type]}
        if info:
            entry["info"] = info
        out.append(entry)
    return out


def _schema_from_fields(
    fields: Any, primary_key: Any, indexes: Any, current: TableSchema
) -> dict[str, Any]:
    if not isinstance(fields, list):
        raise ValidationFailed("fields is a list of {id, type}", errors={"fields": ["not a list"]})
    known = {f.name: f for f in current.fields}
    out = []
    for i, f in enumerate(fields):
        if not isinstance(f, dict) or not isinstance(f.get("id"), str):
            raise ValidationFailed(
                "each field needs an id", errors={"fields": [f"field {i}: no id"]}
            )
        kind = str(f.get("type") or "text").lower()
        if kind not in TO_SCHEMA:
            raise ValidationFailed(
                f"unknown type '{kind[:20]}'", errors={"fields": [f"{f['id']}: unknown type"]}
            )
        base = (
            known[f["id"]].model_dump(by_alias=True, exclude_none=True) if f["id"] in known else {}
        )
        raw_info = f.get("info")
        info: dict[str, Any] = raw_info if isinstance(raw_info, dict) else {}
        out.append(
            base
            | {"name": f["id"], "type": TO_SCHEMA[kind]}
            | ({"title": info["label"]} if info.get("label") else {})
        )
    keys = (
        primary_key
        if isinstance(primary_key, list)
        else ([primary_key] if primary_key else current.primary_key)
    )
    return {
        "fields": out,
        "primaryKey": [str(k) for k in keys],
        "indexes": _indexes(indexes, current),
    }


def _indexes(raw: Any, current: TableSchema) -> list[str | list[str]]:
    if raw is None:
        return list(current.indexes)
    if isinstance(raw, str):
        return [name.strip() for name in raw.split(",") if name.strip()]
    if isinstance(raw, list):
        return [i if isinstance(i, str) else [str(x) for x in i] for i in raw]
    raise ValidationFailed("indexes is a list of field ids", errors={"indexes": ["not a list"]})


def _records(data: dict[str, Any]) -> list[Any]:
    records = data.get("records") or []
    if not isinstance(records, list):
        raise ValidationFailed("records is a list of objects", errors={"records": ["not a list"]})
    return records


@action("datastore_create", write=True)
def datastore_create(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Set a resource's fields (a schema change, checked against the data) and add records.

    :param resource_id: the dataset's name :param fields: [{id, type, info}]
    :param primary_key: field id(s) :param records: rows to insert
    """
    principal = ctx.require_principal()
    name = _name(ctx, data)
    if data.get("fields") is not None:
        with ctx.platform.store.write() as conn:
            row = service.get_dataset(conn, name)
            schema = _schema_from_fields(
                data["fields"], data.get("primary_key"), data.get("indexes"), service.schema_of(row)
            )
            service.update_dataset(
                conn,
                ctx.platform.audit,
                principal,
                row,
                DatasetPatch.model_validate({"schema": schema}),
            )
    records = _records(data)
    if records:
        ingest(ctx.platform, principal, name, Source.json_records(records), Mode.INSERT)
    with ctx.platform.store.read() as conn:
        schema_now = service.schema_of(service.get_dataset(conn, name))
    return {
        "resource_id": name,
        "fields": ckan_fields(schema_now)[1:],
        "primary_key": schema_now.primary_key,
        "method": "insert",
    }


@action("datastore_upsert", write=True)
def datastore_upsert(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Add or change records. :param method: upsert (default), insert or update"""
    principal = ctx.require_principal()
    name = _name(ctx, data)
    method = str(data.get("method") or "upsert")
    if method not in METHODS:
        raise ValidationFailed(
            "method is upsert, insert or update",
            errors={"method": [f"unknown method {method[:20]}"]},
        )
    records = _records(data)
    if records:
        ingest(ctx.platform, principal, name, Source.json_records(records), METHODS[method])
    return {"resource_id": name, "method": method}


# CKAN types by field, per schema object (schema_of caches those; the entry holds it)
_TYPES: dict[int, tuple[TableSchema, dict[str, str]]] = {}


def _types(schema: TableSchema) -> dict[str, str]:
    seen = _TYPES.get(id(schema))
    if seen is None or seen[0] is not schema:
        if len(_TYPES) > 1024:
            _TYPES.clear()
        seen = _TYPES[id(schema)] = (schema, {f["id"]: f["type"] for f in ckan_fields(schema)})
    return seen[1]


# the leading columns of each dataset's indexes, as last read: which filters are quick
_INDEXED: dict[str, frozenset[str]] = {}
QUICK_PAGE = 1000


def _indexed(schema: TableSchema) -> frozenset[str]:
    leads = [cols[0] for cols in schema.index_columns()] + schema.primary_key[:1]
    return frozenset(["_id", *leads, *(f.name for f in schema.fields if f.constraints.unique)])


def _small(value: Any, default: int) -> bool:
    if value is None or value == "":
        return default <= QUICK_PAGE
    try:
        return 0 <= int(value) <= QUICK_PAGE
    except (TypeError, ValueError, OverflowError):
        return False


def _quick(data: dict[str, Any]) -> bool:
    """A small page near the start, filtered by single values of indexed fields, no search,
    no sort: the index hands the rows over in `_id` order, well under a millisecond (see
    ckan_fast). Ranges and lists may need a sort, so they, and the rest, run on a thread."""
    ref = data.get("resource_id")
    indexed = _INDEXED.get(ref) if isinstance(ref, str) else None
    filters = data.get("filters") or {}
    return (
        indexed is not None
        and not data.get("q")
        and data.get("sort") in (None, "", "_id")
        and isinstance(filters, dict)
        and all(k in indexed and isinstance(v, str | int | float) for k, v in filters.items())
        and _small(data.get("limit"), 100)
        and _small(data.get("offset"), 0)
    )


@action("datastore_search", quick=_quick)
def datastore_search(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Search a resource's records.

    :param filters: {field: value or [values]} :param q: full-text, ignoring diacritics
    :param fields, sort, limit (≤ 32000), offset, include_total, records_format
    """
    name = _fast_name(ctx, data)
    filters = data.get("filters") or {}
    if not isinstance(filters, dict):
        raise ValidationFailed("filters is an object", errors={"filters": ["not an object"]})
    q = data.get("q")
    if q is not None and not isinstance(q, str):
        raise ValidationFailed(
            "q is a string here", errors={"q": ["only a text query is supported"]}
        )
    fields = data.get("fields")
    limit = data.get("limit", 100)
    include_total = as_bool(data.get("include_total", True))
    params = {
        "q": q,
        "fields": fields,
        "sort": data.get("sort"),
        "limit": limit,
        "offset": data.get("offset") or 0,
        "total": "estimate" if include_total else "none",
    }
    result = reads.read(ctx.platform, ctx.principal, name, params, filters=filters)
    if len(_INDEXED) > 10_000:
        _INDEXED.clear()
    _INDEXED[name] = _indexed(result.schema)
    page = result.page
    types = _types(result.schema)
    out_fields = [{"id": f, "type": types[f]} for f in page.fields]
    fmt = str(data.get("records_format") or "objects")
    offset = int(params["offset"])
    links = _links(name, data, 0, offset + int(limit))
    body: dict[str, Any] = {
        "resource_id": name,
        "fields": out_fields,
        "records": _format(page.records, page.fields, fmt),
        "limit": int(limit),
        "_links": links,
        "include_total": include_total,
        "records_format": fmt,
    }
    if offset:
        body["offset"] = offset
    if include_total:
        body |= {"total": page.total, "total_was_estimated": page.total_was_estimated}
    return body


def _links(name: str, data: dict[str, Any], start: int, following: int) -> dict[str, str]:
    """CKAN's `_links`: the first page and the next, with the call's other parameters."""
    rest: dict[str, Any] = {key: data[key] for key in ("limit", "q", "sort") if data.get(key)}
    if data.get("filters"):
        rest["filters"] = json.dumps(data["filters"], ensure_ascii=False)
    tail = ("&" + urlencode(rest)) if rest else ""
    head = "/api/action/datastore_search?resource_id=" + quote_plus(name)

    def link(offset: int) -> str:  # as urlencode writes it: an int needs no quoting
        return head + (f"&offset={offset}" if offset else "") + tail

    return {"start": link(start), "next": link(following)}


def _format(records: list[dict[str, Any]], fields: list[str], fmt: str) -> Any:
    if fmt == "objects":
        return records
    rows = [[_plain(r[f]) for f in fields] for r in records]
    if fmt == "lists":
        return rows
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n").writerows(
            rows
        )
        return buf.getvalue()
    raise ValidationFailed(
        "records_format is objects, lists, csv or tsv",
        errors={"records_format": ["unknown format"]},
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


@action("datastore_delete", write=True)
def datastore_delete(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Delete the records matching `filters`; without filters, every record."""
    principal = ctx.require_principal()
    name = _name(ctx, data)
    filters = data.get("filters") or {}
    if not isinstance(filters, dict):
        raise ValidationFailed("filters is an object", errors={"filters": ["not an object"]})
    if not filters:
        with ctx.platform.store.read() as conn:
            schema = service.schema_of(service.get_dataset(conn, name))
        ingest(ctx.platform, principal, name, Source.json_records([]), Mode.REPLACE)
        return {"resource_id": name, "filters": {}, "fields": ckan_fields(schema)}
    delete_matching(ctx.platform, principal, name, filters)
    return {"resource_id": name, "filters": filters}


@action("datastore_info")
def datastore_info(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """A resource's fields and size. :param id: the resource id"""
    data = {"resource_id": data.get("id") or data.get("resource_id")}
    name = _name(ctx, data)
    with ctx.platform.store.read() as conn:
        row = service.get_dataset(conn, name)
        schema = service.schema_of(row)
    return {
        "meta": {"id": name, "count": row["record_count"], "table_type": "BASE TABLE"},
        "fields": [
            {"id": f["id"], "type": f["type"], "schema": {"native_type": f["type"]}}
            for f in ckan_fields(schema)[1:]
        ],
    }
