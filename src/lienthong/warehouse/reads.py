"""Reading a dataset as a principal: access, masking, the query, and the audit entry."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from lienthong.catalog.access import ReadAccess, mask, read_access, require_visible
from lienthong.catalog.service import get_dataset, schema_of, table_name
from lienthong.catalog.tableschema import TableSchema
from lienthong.core.auth import Principal
from lienthong.core.errors import Forbidden, ValidationFailed
from lienthong.core.platform import Platform
from lienthong.warehouse import query as q
from lienthong.warehouse import tables

RESERVED = {"q", "fields", "sort", "limit", "offset", "after", "total", "format"}
MAX_LIMIT = 32_000
EXPORT_CHUNK = 10_000


@dataclass
class Read:
    page: q.Page
    access: ReadAccess
    schema: TableSchema
    name: str


def build_query(
    schema: TableSchema, params: Mapping[str, Any], filters: Mapping[str, Any] | None = None
) -> q.Query:
    """A query from request parameters: reserved names, and the rest as field filters."""
    raw_filters = dict(filters or {k: v for k, v in params.items() if k not in RESERVED})
    limit = _int(params.get("limit"), 100, "limit", 0, MAX_LIMIT)
    total = str(params.get("total") or "estimate")
    if total not in ("exact", "estimate", "none"):
        raise ValidationFailed("total is exact, estimate or none")
    return q.Query(
        filters=[q.parse_filter(schema, k, v) for k, v in raw_filters.items()],
        q=str(params["q"]) if params.get("q") else None,
        fields=q.parse_fields(schema, params.get("fields")),
        sort=q.parse_sort(schema, params.get("sort")),
        limit=limit,
        offset=_int(params.get("offset"), 0, "offset", 0, 10**12),
        after=str(params["after"])[:2000] if params.get("after") else None,
        total=total,
    )


def _int(raw: Any, default: int, name: str, lo: int, hi: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError, OverflowError):  # OverflowError: JSON's Infinity
        raise ValidationFailed(
            f"{name} must be a whole number", errors={name: ["not a whole number"]}
        ) from None
    if not lo <= value <= hi:
        raise ValidationFailed(
            f"{name} must be between {lo:,} and {hi:,}", errors={name: ["out of range"]}
        )
    return value


def read(
    platform: Platform,
    principal: Principal | None,
    name: str,
    params: Mapping[str, Any],
    filters: Mapping[str, Any] | None = None,
) -> Read:
    """One page of `name` as `principal` may see it; restricted or personal reads are audited."""
    if params.get("q"):
        # only for callers who may read it: catching the index up is a write
        with platform.store.read() as conn:
            dataset = get_dataset(conn, name)
            require_visible(principal, dataset)
            read_access(conn, principal, dataset, schema_of(dataset))
        _catch_up_search(platform, name)
    with platform.store.read() as conn:
        dataset = get_dataset(conn, name)
        require_visible(principal, dataset)
        schema = schema_of(dataset)
        access = read_access(conn, principal, dataset, schema)
        query = build_query(schema, params, filters)
        _require_readable(query, schema, access)
        visible = access.visible(query.fields)
        version = (dataset["id"], dataset["data_modified_at"], dataset["record_count"])
        page = q.run(conn, table_name(dataset), schema, query, visible, access.masked, version)
    _mask(page.records, access)
    if access.audited:
        personal = {f.name for f in schema.fields if f.personal}
        unmasked = sorted(personal.intersection(page.fields) - access.masked)
        _audit(platform, principal, dataset, query, len(page.records), access, unmasked)
    return Read(page, access, schema, name)


def _require_readable(query: q.Query, schema: TableSchema, access: ReadAccess) -> None:
    """Filters, sort keys and search must not probe fields outside the caller's grant."""
    hidden = set(schema.names) - set(access.fields)
    probed = [f.field for f in query.filters] + [s for s, _ in query.sort]
    for name in probed:
        if name in hidden:
            raise Forbidden(f"cannot filter or sort on `{name}`: it is outside your grant")
    if query.q and hidden & set(tables.searchable(schema)):
        raise Forbidden("full-text search would look into fields outside your grant")


def _catch_up_search(platform: Platform, name: str) -> None:
    with platform.store.read() as conn:
        if tables.search_current(conn, get_dataset(conn, name)):
            return
    with platform.store.write() as conn:
        dataset = get_dataset(conn, name)
        tables.catch_up_search(conn, dataset, schema_of(dataset))


def _mask(rows: list[dict[str, Any]], access: ReadAccess) -> None:
    if not access.masked:
        return
    for r in rows:
        for f in access.masked:
            if f in r:
                r[f] = mask(r[f])


def _audit(
    platform: Platform,
    principal: Principal | None,
    dataset: Any,
    query: q.Query,
    count: int,
    access: ReadAccess,
    unmasked: list[str],
) -> None:
    details = {
        "filters": [[f.field, f.op, [str(v) for v in f.values]] for f in query.filters],
        "q": query.q,
        "fields": query.fields,
        "records": count,
        "basis": access.basis,
        "personal_unmasked": unmasked,
    }
    actor = principal.actor if principal else "anonymous"
    with platform.store.write() as conn:
        platform.audit.record(
            conn,
            actor,
            "dataset.read",
            f"dataset:{dataset['name']}",
            details,
            dataset["owner_member_id"],
        )


def read_all(
    platform: Platform, principal: Principal | None, name: str, params: Mapping[str, Any]
) -> tuple[list[str], dict[str, str], Iterator[list[dict[str, Any]]]]:
    """Every matching record, in chunks: the fields, their types (masked ones are text),
    and the chunks."""
    first = read(platform, principal, name, {**params, "limit": EXPORT_CHUNK, "total": "none"})
    fields = first.page.fields
    kinds = {"_id": "integer"} | {f.name: f.type for f in first.schema.fields}
    kinds |= dict.fromkeys(first.access.masked, "string")

    def chunks() -> Iterator[list[dict[str, Any]]]:
        page = first.page
        yield page.records
        while page.next_after:
            more = read(
                platform,
                principal,
                name,
                {**params, "limit": EXPORT_CHUNK, "total": "none", "after": page.next_after},
            )
            page = more.page
            yield page.records

    return fields, kinds, chunks()
