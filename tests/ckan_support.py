"""What the CKAN Action API tests share: calls as ckanapi makes them, CKAN's envelope and
error checks, and a small catalog of two organizations and four datasets."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.utils import CUSTOMS, make_member

SCHEMA = {"fields": [{"name": "ma_xa", "type": "string"}]}
PACKAGE_KEYS = {
    "id", "name", "title", "type", "state", "private", "owner_org", "organization", "notes",
    "license_id", "license_title", "url", "version", "author", "maintainer",
    "metadata_created", "metadata_modified", "creator_user_id", "num_resources", "num_tags",
    "tags", "groups", "extras", "resources",
}  # fmt: skip
RESOURCE_KEYS = {
    "id", "package_id", "url", "name", "description", "format", "mimetype", "size", "created",
    "last_modified", "position", "state", "url_type", "datastore_active",
}  # fmt: skip


def call(
    client: TestClient, action: str, token: str | None = None, /, **data: Any
) -> httpx.Response:
    """POST as ckanapi does: JSON to the unversioned path, the raw key in two headers."""
    headers = {"Authorization": token, "X-CKAN-API-Key": token} if token else {}
    return client.post(f"/api/action/{action}", json=data, headers=headers)


def result(resp: httpx.Response) -> Any:
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["success"] is True
    return body["result"]


def error(resp: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["success"] is False
    assert body["help"].endswith(f"/api/3/action/help_show?name={resp.url.path.split('/')[-1]}")
    assert body["error"]["__type"] == kind
    return dict(body["error"])


def dataset(
    client: TestClient, token: str, name: str, title: str, /, **extra: Any
) -> dict[str, Any]:
    body = {"name": name, "title": title, "owner_org": "gov-h31", "schema": SCHEMA} | extra
    return dict(result(call(client, "package_create", token, **body)))


def search(client: TestClient, token: str | None = None, **params: Any) -> dict[str, Any]:
    headers = {"Authorization": token} if token else {}
    resp = client.get("/api/3/action/package_search", params=params, headers=headers)
    return dict(result(resp))


def names(found: dict[str, Any]) -> list[str]:
    return [r["name"] for r in found["results"]]


def seed_catalog(client: TestClient, token: str) -> TestClient:
    """Two organizations and four datasets of different classifications, tags and dates."""
    make_member(client, token)
    make_member(client, token, CUSTOMS)
    dataset(
        client, token, "dan-so", "Dân số Hải Phòng",
        notes="Dân số theo xã, phường", tags=[{"name": "dân cư"}, {"name": "thống kê"}],
        classification="public",
    )  # fmt: skip
    dataset(
        client, token, "truong-hoc", "Trường học",
        tags=[{"name": "giáo dục"}, {"name": "thống kê"}], license_id="odc-odbl",
    )  # fmt: skip
    dataset(client, token, "ho-so-thue", "Hồ sơ thuế", private=True)
    dataset(
        client, token, "to-khai", "Tờ khai hải quan",
        owner_org="gov-g12.31", extras=[{"key": "classification", "value": "public"}],
    )  # fmt: skip
    return client
