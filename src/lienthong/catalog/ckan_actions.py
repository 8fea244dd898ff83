"""The catalog as CKAN sees it: each dataset a package, each member an organization.

A package has exactly one resource, the dataset's table in the warehouse, whose id is the
dataset's name (what ``datastore_search`` takes). Package and organization ids are UUIDs
derived from our row ids, as CKAN clients and harvesters expect UUIDs and keep them.
Search is in `ckan_search`; writes, mapping CKAN's fields onto ours, in `ckan_write`.
"""

from __future__ import annotations

import inspect
import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import RowMapping

from lienthong.catalog import service
from lienthong.catalog.access import can_see, require_visible
from lienthong.catalog.ckan import ACTIONS, ActionContext, action
from lienthong.catalog.models import Classification
from lienthong.catalog.schema import datasets
from lienthong.core.auth import Principal
from lienthong.core.errors import NotFound, ValidationFailed
from lienthong.registry.schema import members

CKAN_VERSION = "2.11.0"
# Fixed for good: every id a harvester has stored is derived from it.
_NAMESPACE = uuid.UUID("5d3f6a0e-2b1c-5e7a-9c44-6c69656e7468")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
LICENSES = {
    "cc-by-4.0": "Creative Commons Attribution 4.0",
    "cc-by": "Creative Commons Attribution",
    "cc-by-sa": "Creative Commons Attribution Share-Alike",
    "cc-zero": "Creative Commons CCZero",
    "cc-nc": "Creative Commons Non-Commercial (Any)",
    "odc-by": "Open Data Commons Attribution License",
    "odc-odbl": "Open Data Commons Open Database License (ODbL)",
    "odc-pddl": "Open Data Commons Public Domain Dedication and License (PDDL)",
    "other-open": "Other (Open)",
    "other-pd": "Other (Public Domain)",
    "other-at": "Other (Attribution)",
    "other-nc": "Other (Non-Commercial)",
    "other-closed": "Other (Not Open)",
    "notspecified": "License not specified",
}
_NOT_OPEN = frozenset({"cc-nc", "other-nc", "other-closed", "notspecified"})


# --- identifiers and values --------------------------------------------------------------
def ckan_id(instance: str, kind: str, key: object) -> str:
    """A stable UUID for one of our rows.

    >>> ckan_id("VN", "dataset", 1) == ckan_id("VN", "dataset", 1) != ckan_id("VN", "member", 1)
    True
    """
    return str(uuid.uuid5(_NAMESPACE, f"{instance}/{kind}/{key}"))


def ckan_time(dt: datetime | None) -> str | None:
    """UTC without a zone, as CKAN writes metadata_modified.

    >>> ckan_time(datetime(2025, 7, 1, 8, 30, tzinfo=UTC))
    '2025-07-01T08:30:00.000000'
    """
    if dt is None:
        return None
    if dt.tzinfo is not None:  # SQLite hands back naive UTC, PostgreSQL aware
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%f")


def org_name(member: RowMapping) -> str:
    """CKAN's organization name: the member reference lower-cased, e.g. ``gov-h31``."""
    return f"{member['member_class']}-{member['member_code']}".lower()


def as_bool(value: Any) -> bool:
    """CKAN's boolean_validator: true, yes, t, y and 1 are true; anything else false."""
    if isinstance(value, bool | int):
        return bool(value)
    return isinstance(value, str) and value.strip().lower() in ("true", "yes", "t", "y", "1")


def as_int(value: Any, field: str, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ValidationFailed(f"{field}: invalid integer", errors={field: ["Invalid integer"]})


def as_natural(value: Any, field: str, default: int) -> int:
    number = as_int(value, field, default)
    if number < 0:
        raise ValidationFailed(f"{field} < 0", errors={field: ["Must be a natural number"]})
    return number


def required(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None or value == "" or isinstance(value, dict | list):
        raise ValidationFailed(f"{key} is missing", errors={key: ["Missing value"]})
    return str(value)


# --- lookups -----------------------------------------------------------------------------
def members_by_id(conn: Connection, instance: str) -> dict[int, RowMapping]:
    q = select(members).where(members.c.instance == instance).order_by(members.c.id)
    return {int(m["id"]): m for m in conn.execute(q).mappings()}


def find_org(conn: Connection, instance: str, ref: str) -> RowMapping:
    """An organization by CKAN name (gov-h31), id, or member reference (GOV/H31)."""
    wanted = ref.strip().lower()
    for mid, m in members_by_id(conn, instance).items():
        ref_ = f"{m['member_class']}/{m['member_code']}".lower()
        names = (org_name(m), ckan_id(instance, "member", mid), ref_, f"{instance.lower()}/{ref_}")
        if wanted in names:
            return m
    raise NotFound(f"organization '{ref[:100]}' does not exist")


def find_dataset(conn: Connection, instance: str, ref: str) -> RowMapping:
    """A dataset by name, or by the package id we show."""
    try:
        return service.get_dataset(conn, ref)
    except NotFound:
        if _UUID.match(ref.strip().lower()):
            for row in service.active_rows(conn):
                if ckan_id(instance, "dataset", row["id"]) == ref.strip().lower():
                    return row
        raise


def visible_rows(
    conn: Connection, principal: Principal | None, include_private: bool
) -> list[RowMapping]:
    """Active datasets the caller sees, by name; restricted ("private") ones on request."""
    return [
        r
        for r in service.active_rows(conn)
        if can_see(principal, r)
        and (include_private or r["classification"] != Classification.RESTRICTED)
    ]


# --- dictionaries ------------------------------------------------------------------------
def org_summary(ctx: ActionContext, member: RowMapping) -> dict[str, Any]:
    """The organization as a package embeds it."""
    return {
        "id": ckan_id(ctx.instance, "member", member["id"]),
        "name": org_name(member),
        "title": member["name"],
        "type": "organization",
        "description": member["name_en"] or "",
        "image_url": "",
        "created": ckan_time(member["created_at"]),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }


def org_dict(ctx: ActionContext, member: RowMapping, package_count: int) -> dict[str, Any]:
    ref = f"{member['member_class']}/{member['member_code']}"
    extras = {
        "member_id": f"{ctx.instance}/{ref}",
        "member_class": member["member_class"],
        "member_code": member["member_code"],
        "title_en": member["name_en"],
    }
    return org_summary(ctx, member) | {
        "display_name": member["name"],
        "image_display_url": "",
        "package_count": package_count,
        "num_followers": 0,
        "tags": [],
        "groups": [],
        "extras": [{"key": k, "value": v} for k, v in extras.items() if v is not None],
    }


def package_dict(ctx: ActionContext, row: RowMapping, member: RowMapping) -> dict[str, Any]:
    tags = json.loads(row["tags"])
    package_id = ckan_id(ctx.instance, "dataset", row["id"])
    return {
        "id": package_id,
        "name": row["name"],
        "title": row["title"],
        "type": "dataset",
        "state": "active",
        "private": row["classification"] == Classification.RESTRICTED,
        "owner_org": ckan_id(ctx.instance, "member", member["id"]),
        "organization": org_summary(ctx, member),
        "notes": row["description"],
        "license_id": row["license_id"],
        "license_title": LICENSES.get(row["license_id"], row["license_id"]),
        "isopen": row["license_id"] in LICENSES and row["license_id"] not in _NOT_OPEN,
        "url": f"{ctx.site_url}/api/v1/datasets/{row['name']}",
        "version": str(row["version"]),
        "author": None,
        "author_email": None,
        "maintainer": None,
        "maintainer_email": None,
        "metadata_created": ckan_time(row["created_at"]),
        "metadata_modified": ckan_time(row["modified_at"]),
        "creator_user_id": ckan_id(ctx.instance, "actor", row["created_by"]),
        "num_resources": 1,
        "num_tags": len(tags),
        "tags": [_tag(ctx, t) for t in tags],
        "groups": [],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "extras": _extras(row),
        "resources": [resource_dict(ctx, row, package_id)],
    }


def _tag(ctx: ActionContext, name: str) -> dict[str, Any]:
    tag_id = ckan_id(ctx.instance, "tag", name)
    return {
        "id": tag_id,
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": None,
    }


def _extras(row: RowMapping) -> list[dict[str, str]]:
    spatial = json.loads(row["spatial"])
    start, end = row["temporal_start"], row["temporal_end"]
    values = {
        "classification": row["classification"],
        "schema": row["table_schema"],
        "spatial": json.dumps(spatial) if spatial else None,
        # an ISO 8601 interval; ".." marks an open end
        "temporal": f"{start or '..'}/{end or '..'}" if start or end else None,
        "title_en": row["title_en"],
        "update_frequency": row["update_frequency"],
    }
    return [{"key": k, "value": v} for k, v in values.items() if v is not None]


def resource_dict(ctx: ActionContext, row: RowMapping, package_id: str) -> dict[str, Any]:
    return {
        "id": row["name"],
        "package_id": package_id,
        # the warehouse's download of every record; without format=csv it pages JSON
        "url": f"{ctx.site_url}/api/v1/datasets/{row['name']}/records?format=csv",
        "name": row["title"],
        "description": "",
        "format": "CSV",
        "mimetype": "text/csv",
        "size": None,
        "hash": "",
        "created": ckan_time(row["created_at"]),
        "last_modified": ckan_time(row["data_modified_at"]),
        "metadata_modified": ckan_time(row["modified_at"]),
        "position": 0,
        "state": "active",
        "url_type": "datastore",
        "resource_type": None,
        "datastore_active": True,
    }


def show(conn: Connection, ctx: ActionContext, row: RowMapping) -> dict[str, Any]:
    member = conn.execute(select(members).where(members.c.id == row["owner_member_id"]))
    return package_dict(ctx, row, member.mappings().one())


# --- read actions ------------------------------------------------------------------------
@action("status_show")
def status_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Return the site's url, title, CKAN version it speaks and its extensions."""
    extensions = ["lienthong"] + (["datastore"] if "datastore_search" in ACTIONS else [])
    return {
        "site_title": "lienthong",
        "site_description": "Nền tảng tích hợp, chia sẻ dữ liệu dùng chung",
        "site_url": ctx.site_url,
        "ckan_version": CKAN_VERSION,
        "locale_default": "vi",
        "extensions": extensions,
    }


@action("help_show")
def help_show(ctx: ActionContext, data: dict[str, Any]) -> str | None:
    """Return an action's documentation. :param name: the action's name"""
    name = required(data, "name")
    if name not in ACTIONS:
        raise NotFound("Action function not found")
    return inspect.getdoc(ACTIONS[name].fn)


@action("package_list")
def package_list(ctx: ActionContext, data: dict[str, Any]) -> list[str]:
    """Return the names of the datasets you can see, sorted; `limit` and `offset` page them."""
    limit = as_natural(data.get("limit"), "limit", 0)
    offset = as_natural(data.get("offset"), "offset", 0)
    with ctx.platform.store.read() as conn:
        rows = visible_rows(conn, ctx.principal, as_bool(data.get("include_private")))
    names = [str(r["name"]) for r in rows][offset:]
    return names[:limit] if limit else names


@action("package_show")
def package_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Return a dataset as a CKAN package. :param id: its name or id"""
    ref = str(data.get("id") or required(data, "name_or_id"))
    with ctx.platform.store.read() as conn:
        row = find_dataset(conn, ctx.instance, ref)
        require_visible(ctx.principal, row)
        return show(conn, ctx, row)


@action("resource_show")
def resource_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Return a dataset's one resource, its table. :param id: the resource id (dataset name)"""
    ref = required(data, "id")
    with ctx.platform.store.read() as conn:
        row = find_dataset(conn, ctx.instance, ref)
        require_visible(ctx.principal, row)
        return resource_dict(ctx, row, ckan_id(ctx.instance, "dataset", row["id"]))


@action("group_list")
def group_list(ctx: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Return the site's groups: we keep none, organizations are our members."""
    return []


# --- organizations -----------------------------------------------------------------------
def package_counts(conn: Connection, principal: Principal | None) -> dict[int, int]:
    """Datasets per member that the caller sees."""
    if principal is not None:
        q = select(datasets.c.owner_member_id, func.count()).where(datasets.c.state == "active")
    else:
        q = select(datasets.c.owner_member_id, func.count()).where(
            datasets.c.state == "active", datasets.c.classification == Classification.PUBLIC
        )
    return {int(m): int(n) for m, n in conn.execute(q.group_by(datasets.c.owner_member_id))}


def _org_sort(value: Any) -> tuple[str, bool]:
    field, _, direction = str(value or "title").strip().partition(" ")
    field = {"packages": "package_count"}.get(field, field)
    direction = direction.strip().lower() or "asc"
    if field not in ("name", "title", "package_count") or direction not in ("asc", "desc"):
        raise ValidationFailed("bad sort", errors={"sort": [f"Cannot sort by field `{field}`"]})
    return field, direction == "desc"


@action("organization_list")
def organization_list(ctx: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Return organization names (`all_fields`: dicts), by `sort` (default "title asc")."""
    all_fields = as_bool(data.get("all_fields"))
    cap = 25 if all_fields else 1000  # CKAN's ckan.group_and_organization_list*_max
    limit = min(as_natural(data.get("limit"), "limit", cap) or cap, cap)
    offset = as_natural(data.get("offset"), "offset", 0)
    field, reverse = _org_sort(data.get("sort"))
    with ctx.platform.store.read() as conn:
        counts = package_counts(conn, ctx.principal)
        dicts = [
            org_dict(ctx, m, counts.get(i, 0)) for i, m in members_by_id(conn, ctx.instance).items()
        ]
    wanted = data.get("organizations")
    if isinstance(wanted, list | str) and wanted:
        names = {wanted} if isinstance(wanted, str) else {str(w) for w in wanted}
        dicts = [d for d in dicts if d["name"] in names]
    if isinstance(data.get("q"), str) and data["q"].strip():
        q = data["q"].strip().lower()
        dicts = [d for d in dicts if q in d["name"] or q in d["title"].lower()]
    dicts.sort(key=lambda d: (d[field], d["name"]), reverse=reverse)
    page = dicts[offset : offset + limit]
    return page if all_fields else [d["name"] for d in page]


@action("organization_show")
def organization_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Return an organization. :param id: its name (gov-h31), id or member reference"""
    ref = required(data, "id")
    with ctx.platform.store.read() as conn:
        member = find_org(conn, ctx.instance, ref)
        rows = [
            r
            for r in visible_rows(conn, ctx.principal, True)
            if r["owner_member_id"] == member["id"]
        ]
        out = org_dict(ctx, member, len(rows))
        if as_bool(data.get("include_datasets")):
            out["packages"] = [package_dict(ctx, r, member) for r in rows]
        return out
