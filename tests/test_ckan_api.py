"""CKAN's Action API over the catalog, on SQLite and PostgreSQL: envelope, errors, auth,
packages, search and organizations, as ckanapi and CKAN harvesters use them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from lienthong.app import create_app
from lienthong.catalog import ckan
from lienthong.catalog.ckan_query import Doc, Parser, SearchQueryError
from lienthong.core.platform import Platform
from tests.utils import CUSTOMS, grant, make_member, make_user, user_key

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


@pytest.fixture
def ckan_client(platform: Platform) -> Iterator[TestClient]:
    """The app with the CKAN router, included here until app.py includes it."""
    app = create_app(platform=platform)
    if not any(getattr(r, "path", "") == "/api/action/{name}" for r in app.routes):
        app.include_router(ckan.router)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


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


@pytest.fixture
def catalog(ckan_client: TestClient, admin_token: str) -> TestClient:
    """Two organizations and four datasets of different classifications, tags and dates."""
    make_member(ckan_client, admin_token)
    make_member(ckan_client, admin_token, CUSTOMS)
    dataset(
        ckan_client, admin_token, "dan-so", "Dân số Hải Phòng",
        notes="Dân số theo xã, phường", tags=[{"name": "dân cư"}, {"name": "thống kê"}],
        classification="public",
    )  # fmt: skip
    dataset(
        ckan_client, admin_token, "truong-hoc", "Trường học",
        tags=[{"name": "giáo dục"}, {"name": "thống kê"}], license_id="odc-odbl",
    )  # fmt: skip
    dataset(ckan_client, admin_token, "ho-so-thue", "Hồ sơ thuế", private=True)
    dataset(
        ckan_client, admin_token, "to-khai", "Tờ khai hải quan",
        owner_org="gov-g12.31", extras=[{"key": "classification", "value": "public"}],
    )  # fmt: skip
    return ckan_client


def search(client: TestClient, token: str | None = None, **params: Any) -> dict[str, Any]:
    headers = {"Authorization": token} if token else {}
    resp = client.get("/api/3/action/package_search", params=params, headers=headers)
    return dict(result(resp))


def names(found: dict[str, Any]) -> list[str]:
    return [r["name"] for r in found["results"]]


# --- envelope, paths, methods, errors ----------------------------------------------------
def test_envelope_on_both_paths_and_methods(ckan_client: TestClient) -> None:
    for path in ("/api/action/status_show", "/api/3/action/status_show"):
        for resp in (ckan_client.get(path), ckan_client.post(path)):
            assert resp.headers["content-type"].startswith("application/json")
            body = resp.json()
            assert list(body) == ["help", "success", "result"]
            assert body["help"] == "http://127.0.0.1:8000/api/3/action/help_show?name=status_show"
            assert body["result"]["ckan_version"].startswith("2.11")
    doc = result(ckan_client.get("/api/3/action/help_show", params={"name": "package_search"}))
    assert "rows" in doc
    assert result(ckan_client.get("/api/action/group_list")) == []


def test_unknown_action_write_by_get_and_bad_bodies_are_400(
    ckan_client: TestClient, admin_token: str
) -> None:
    resp = ckan_client.get("/api/3/action/no_such_action")
    assert (resp.status_code, resp.json()) == (
        400,
        "Bad request - Action name not known: no_such_action",
    )
    resp = ckan_client.get("/api/action/package_create", params={"name": "x"})
    assert resp.status_code == 400
    assert "Please use POST method" in resp.json()
    headers = {"Authorization": admin_token, "Content-Type": "application/json"}
    for body, why in ((b'{"name": ', "Error decoding JSON data"), (b"[1, 2]", "dictionary")):
        resp = ckan_client.post("/api/action/package_create", content=body, headers=headers)
        assert resp.status_code == 400
        assert resp.json().startswith("Bad request - JSON Error")
        assert why in resp.json()
    nested = b"[" * 100_000 + b"]" * 100_000
    resp = ckan_client.post("/api/action/package_show", content=nested, headers=headers)
    assert resp.status_code == 400


def test_error_types_and_statuses(ckan_client: TestClient, admin_token: str) -> None:
    err = error(call(ckan_client, "package_show", id="khong-co"), 404, "Not Found Error")
    assert err["message"].startswith("Not found")
    err = error(call(ckan_client, "package_create", name="ab"), 403, "Authorization Error")
    assert err["message"].startswith("Access denied")
    err = error(call(ckan_client, "package_create", admin_token), 409, "Validation Error")
    assert "message" not in err
    assert err["name"] == ["Missing value"]
    assert err["owner_org"] == ["An organization must be provided"]
    assert err["schema"][0].startswith("Missing value")
    err = error(call(ckan_client, "package_show"), 409, "Validation Error")
    assert err["name_or_id"] == ["Missing value"]
    resp = call(ckan_client, "package_create", admin_token, name="ab", owner_org="x", tags="a,b")
    assert error(resp, 400, "Integrity Error")["message"].startswith("Only lists of dicts")
    resp = ckan_client.get("/api/action/package_search", params={"sort": "popularity desc"})
    err = error(resp, 400, "Search Query Error")
    assert err["message"] == "Search Query is invalid: 'Invalid \"sort\" parameter'"


def test_keys_raw_bearer_ckan_header_and_invalid(ckan_client: TestClient, admin_token: str) -> None:
    make_member(ckan_client, admin_token)
    for i, headers in enumerate(
        (
            {"Authorization": admin_token},
            {"Authorization": f"Bearer {admin_token}"},
            {"X-CKAN-API-Key": admin_token},
        )
    ):
        body = {"name": f"bo-{i}", "owner_org": "gov-h31", "schema": SCHEMA}
        result(ckan_client.post("/api/action/package_create", json=body, headers=headers))
    resp = ckan_client.get("/api/action/package_list", headers={"Authorization": "lt_not-a-key"})
    assert error(resp, 403, "Authorization Error")["message"].startswith("Access denied")
    # anonymous callers see only public datasets; these are shared
    assert result(ckan_client.get("/api/action/package_list")) == []
    listed = result(call(ckan_client, "package_list", admin_token, include_private=True, x=1))
    assert listed == ["bo-0", "bo-1", "bo-2"]


def test_get_query_form_and_curl_style_posts(catalog: TestClient, admin_token: str) -> None:
    url = "/api/3/action/package_search?facet.field=tags&facet.field=organization&rows=1"
    found = result(catalog.get(url, headers={"Authorization": admin_token}))
    assert set(found["facets"]) == {"tags", "organization"}
    assert len(found["results"]) == 1
    params = {"facet.field": '["license_id"]', "fq": 'tags:"giáo dục"', "whatever": "1"}
    found = search(catalog, admin_token, **params)
    assert found["facets"] == {"license_id": {"odc-odbl": 1}}
    # curl -d '{"id": ...}' sends JSON labelled as a form; CKAN reads it as JSON
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    resp = catalog.post("/api/action/package_show", content=b'{"id": "dan-so"}', headers=form)
    assert result(resp)["name"] == "dan-so"
    resp = catalog.post("/api/action/package_show", data={"id": "dan-so", "x": "y"})
    assert result(resp)["title"] == "Dân số Hải Phòng"
    resp = catalog.post("/api/action/package_show?id=dan-so")  # no body: the URL is input
    assert result(resp)["name"] == "dan-so"


# --- packages ----------------------------------------------------------------------------
def test_package_life_cycle(ckan_client: TestClient, admin_token: str) -> None:
    make_member(ckan_client, admin_token)
    created = dataset(
        ckan_client, admin_token, "ho-kinh-doanh", "Hộ kinh doanh",
        notes="Danh sách hộ", tags=[{"name": "kinh tế"}], private=True,
        extras=[{"key": "title_en", "value": "Household businesses"},
                {"key": "spatial", "value": '["31"]'}, {"key": "temporal", "value": "2020/2024"}],
        schema=json.dumps(SCHEMA), ignored_key="x",
    )  # fmt: skip
    shown = result(call(ckan_client, "package_show", admin_token, id="ho-kinh-doanh"))
    assert shown == created
    assert set(shown) >= PACKAGE_KEYS
    assert (shown["private"], shown["notes"], shown["version"]) == (True, "Danh sách hộ", "1")
    assert shown["tags"][0] | {"id": "-"} == {
        "id": "-", "name": "kinh tế", "display_name": "kinh tế", "state": "active",
        "vocabulary_id": None,
    }  # fmt: skip
    assert shown["organization"]["name"] == "gov-h31"
    assert shown["organization"]["title"] == "UBND thành phố Hải Phòng"
    extras = {e["key"]: e["value"] for e in shown["extras"]}
    assert extras["classification"] == "restricted"
    assert extras["temporal"] == "2020/2024"
    assert json.loads(extras["spatial"]) == ["31"]
    assert json.loads(extras["schema"])["fields"][0]["name"] == "ma_xa"
    assert len(shown["metadata_modified"]) == 26
    assert "+" not in shown["metadata_modified"]
    (res,) = shown["resources"]
    assert set(res) >= RESOURCE_KEYS
    assert res["id"] == "ho-kinh-doanh"
    assert res["package_id"] == shown["id"]
    assert res["url"].endswith("/api/v1/datasets/ho-kinh-doanh/records?format=csv")
    assert (res["datastore_active"], res["url_type"]) == (True, "datastore")
    assert result(call(ckan_client, "resource_show", admin_token, id="ho-kinh-doanh")) == res
    by_id = result(call(ckan_client, "package_show", admin_token, id=shown["id"]))
    assert by_id["name"] == "ho-kinh-doanh"

    patched = result(
        call(ckan_client, "package_patch", admin_token, id=shown["id"], notes="Cập nhật")
    )
    assert (patched["notes"], patched["title"], patched["version"]) == (
        "Cập nhật",
        "Hộ kinh doanh",
        "2",
    )
    assert patched["private"] is True
    assert patched["num_tags"] == 1

    # update replaces: what is not sent is cleared, except what must never open by omission
    updated = result(
        call(ckan_client, "package_update", admin_token, name="ho-kinh-doanh", title="Hộ KD")
    )
    assert (updated["title"], updated["notes"], updated["tags"]) == ("Hộ KD", "", [])
    extras = {e["key"]: e["value"] for e in updated["extras"]}
    assert set(extras) == {"classification", "schema"}
    assert updated["private"] is True
    round_trip = dict(updated, notes="Vòng lại", private=False)
    again = result(call(ckan_client, "package_update", admin_token, **round_trip))
    # the classification extra that came back with the dict still says restricted
    assert again["notes"] == "Vòng lại"
    assert again["private"] is True
    opened = result(
        call(ckan_client, "package_patch", admin_token, id="ho-kinh-doanh", classification="public")
    )
    assert opened["private"] is False
    assert result(ckan_client.get("/api/action/package_list")) == ["ho-kinh-doanh"]


def test_package_create_refusals(ckan_client: TestClient, admin_token: str) -> None:
    make_member(ckan_client, admin_token)
    make_member(ckan_client, admin_token, CUSTOMS)
    dataset(ckan_client, admin_token, "dan-so", "Dân số")

    def refused(**body: Any) -> dict[str, Any]:
        base = {"name": "moi", "owner_org": "gov-h31", "schema": SCHEMA}
        return error(
            call(ckan_client, "package_create", admin_token, **(base | body)),
            409,
            "Validation Error",
        )

    assert refused(name="dan-so")["name"] == ["That URL is already in use."]
    assert refused(name="Tên Có Dấu")["name"] == [
        "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"
    ]
    assert refused(name="x")["name"] == ["Must be at least 2 characters long"]
    assert refused(name="a" * 101)["name"] == ["Name must be a maximum of 100 characters long"]
    assert refused(owner_org="gov-h99")["owner_org"] == ["Organization does not exist"]
    assert "schema" in refused(schema={"fields": [{"name": "Bad Name"}]})
    assert refused(schema="{not json")["schema"] == ["Could not parse as valid JSON"]
    assert "update_frequency" in refused(update_frequency="hourly")
    assert "classification" in refused(classification="secret")
    assert "tags" in refused(tags=[{"name": "x" * 101}])

    make_user(ckan_client, admin_token, "lan")
    grant(ckan_client, admin_token, "lan", "publisher", "GOV/G12.31")
    lan = user_key(ckan_client, admin_token, "lan")
    resp = call(
        ckan_client, "package_create", lan, name="cua-lan", owner_org="GOV/H31", schema=SCHEMA
    )
    assert error(resp, 409, "Validation Error")["owner_org"] == [
        "You cannot add a dataset to this organization"
    ]
    resp = call(ckan_client, "package_patch", lan, id="dan-so", title="Chiếm")
    assert error(resp, 403, "Authorization Error")["message"].startswith("Access denied")
    resp = call(ckan_client, "package_update", admin_token, id="dan-so", name="doi-ten")
    assert "name" in error(resp, 409, "Validation Error")
    resp = call(ckan_client, "package_patch", admin_token, id="dan-so", owner_org="gov-g12.31")
    assert "owner_org" in error(resp, 409, "Validation Error")
    assert result(call(ckan_client, "package_list", admin_token)) == ["dan-so"]


# --- search ------------------------------------------------------------------------------
def test_search_text_ignores_diacritics_and_visibility(
    catalog: TestClient, admin_token: str
) -> None:
    assert names(search(catalog, admin_token, q="hai phong")) == ["dan-so"]
    assert names(search(catalog, admin_token, q="HẢI PHÒNG dân")) == ["dan-so"]
    assert set(names(search(catalog, admin_token, q="hai"))) == {"dan-so", "to-khai"}
    assert names(search(catalog, admin_token, q='"phong hai"')) == []
    assert names(search(catalog, admin_token, q='"dan so hai"')) == ["dan-so"]
    assert names(search(catalog, admin_token, q="truo*")) == ["truong-hoc"]
    assert names(search(catalog, admin_token, q="tags:giao*")) == ["truong-hoc"]
    assert search(catalog, admin_token, q="")["count"] == 3  # private ones need asking
    everything = search(catalog, admin_token, include_private="true")
    assert everything["count"] == 4
    assert search(catalog)["count"] == 2  # anonymous: the public ones
    assert set(names(search(catalog, None, rows=10))) == {"dan-so", "to-khai"}


def test_search_fq_forms(catalog: TestClient, admin_token: str) -> None:
    def fq(text: str, **more: Any) -> set[str]:
        return set(names(search(catalog, admin_token, fq=text, include_private=True, **more)))

    assert fq("organization:gov-g12.31") == {"to-khai"}
    assert fq("-organization:gov-g12.31") == {"dan-so", "truong-hoc", "ho-so-thue"}
    assert fq("-organization:gov-h31 -organization:gov-g12.31") == set()
    assert fq("organization:gov-h31 OR organization:gov-g12.31") == fq("*:*")
    assert fq('tags:"thống kê"') == {"dan-so", "truong-hoc"}
    assert fq("tags:thong-ke") == set()
    assert fq("res_format:CSV") == fq("*:*")
    assert fq("groups:anything") == set()
    assert fq("license_id:odc-odbl") == {"truong-hoc"}
    assert fq("metadata_modified:[2025-01-01T00:00:00Z TO *]") == fq("*:*")
    assert fq("metadata_modified:[* TO 2025-01-01T00:00:00Z]") == set()
    assert fq("metadata_modified:[NOW-1DAY TO NOW+1DAY]") == fq("*:*")
    # a harvester: its org filter OR'ed, then the date, joined by a space
    harvester = (
        "organization:gov-h31 OR groups:x metadata_modified:[2025-01-01T10:20:30.123456Z TO *]"
    )
    assert fq(harvester) == {"dan-so", "truong-hoc", "ho-so-thue"}
    assert fq("(organization:gov-h31 AND tags:giáo*) OR name:to-khai") == {"truong-hoc", "to-khai"}
    assert fq("organization:(gov-h31 OR gov-g12.31) NOT capacity:private") == {
        "dan-so", "truong-hoc", "to-khai"
    }  # fmt: skip
    assert fq("organization:gov-h31", fq_list=['tags:"dân cư"', "res_format:csv"]) == {"dan-so"}
    assert fq("no_such_field:x") == set()


def test_search_paging_sort_facets(catalog: TestClient, admin_token: str) -> None:
    by_name = search(catalog, admin_token, sort="name asc", include_private=True, rows=2, start=1)
    assert (by_name["count"], names(by_name)) == (4, ["ho-so-thue", "to-khai"])
    assert by_name["sort"] == "name asc"
    assert names(search(catalog, admin_token, sort="name desc", rows=1)) == ["truong-hoc"]
    titles = names(search(catalog, admin_token, sort="title_string asc"))
    assert titles == ["dan-so", "to-khai", "truong-hoc"]
    newest = search(catalog, admin_token)
    assert newest["sort"] == "score desc, metadata_modified desc"
    assert names(newest) == ["to-khai", "truong-hoc", "dan-so"]
    oldest = names(search(catalog, admin_token, sort="metadata_modified asc, name asc"))
    assert oldest == ["dan-so", "truong-hoc", "to-khai"]
    assert names(search(catalog, admin_token, q="thong ke dan cu"))[0] == "dan-so"
    assert search(catalog, admin_token, rows=0)["results"] == []
    assert search(catalog, admin_token, start=10**6)["results"] == []

    found = search(
        catalog, admin_token, **{"facet.field": '["organization", "tags", "res_format"]'}
    )
    assert found["facets"]["tags"] == {"thống kê": 2, "dân cư": 1, "giáo dục": 1}
    assert found["facets"]["res_format"] == {"CSV": 3}
    orgs = found["search_facets"]["organization"]
    assert orgs["title"] == "organization"
    assert orgs["items"] == [
        {"name": "gov-h31", "display_name": "UBND thành phố Hải Phòng", "count": 2},
        {"name": "gov-g12.31", "display_name": "Chi cục Hải quan Hải Phòng", "count": 1},
    ]
    limited = search(catalog, admin_token, **{"facet.field": '["tags"]', "facet.limit": "1"})
    assert limited["facets"]["tags"] == {"thống kê": 2}
    assert search(catalog, admin_token)["facets"] == {}
    fields = search(catalog, admin_token, fl="name,title", rows=1)["results"]
    assert fields == [{"name": "to-khai", "title": "Tờ khai hải quan"}]


def test_search_hostile_input(catalog: TestClient, admin_token: str) -> None:
    # rows above CKAN's maximum are cut to it, as CKAN's limit_to_configured_maximum does
    assert search(catalog, admin_token, rows=10**9)["count"] == 3
    for bad in ({"rows": "-1"}, {"rows": "mười"}, {"start": "-5"}, {"facet.limit": "x"}):
        resp = catalog.get("/api/action/package_search", params=bad)
        assert set(error(resp, 409, "Validation Error")) == {*bad, "__type"}
    for fq in (
        "organization:gov-h31) OR (1=1",
        '"unterminated',
        "metadata_modified:[2025 TO",
        "metadata_modified:[yesterday TO *]",
        "metadata_modified:[NOW-999999YEARS TO *]",
        "organization: x",
        "(" * 40 + "a" + ")" * 40,
        "-" * 40 + "a",
        "a " * 2000,
        "name:" + "*" * 101,
    ):
        resp = catalog.get("/api/action/package_search", params={"fq": fq})
        assert error(resp, 400, "Search Query Error")["message"].startswith(
            "Search Query is invalid"
        )
    # SQL in a query is only text: it matches nothing and reaches no database
    for fq in ("organization:x' OR '1'='1", "name:*; DROP TABLE datasets; --", "tags:%"):
        assert search(catalog, admin_token, fq=fq)["count"] == 0
    assert search(catalog, admin_token, q="--")["count"] == 3
    # many wildcards, which a backtracking regex would take ages over, answer at once
    assert (
        search(catalog, admin_token, fq="name:" + "*a" * 45 + "b", q="*o" * 40 + "z")["count"] == 0
    )
    resp = catalog.get("/api/action/package_search", params={"q": "x" * 20_000})
    assert "q" in error(resp, 409, "Validation Error")
    assert search(catalog, admin_token)["count"] == 3


# --- organizations -----------------------------------------------------------------------
def test_organizations(catalog: TestClient, admin_token: str) -> None:
    # CKAN sorts by title by default: "Chi cục..." before "UBND..."
    assert result(call(catalog, "organization_list")) == ["gov-g12.31", "gov-h31"]
    assert result(call(catalog, "organization_list", sort="name desc", limit=1)) == ["gov-h31"]
    full = result(call(catalog, "organization_list", admin_token, all_fields=True))
    h31 = next(o for o in full if o["name"] == "gov-h31")
    assert (h31["title"], h31["package_count"], h31["is_organization"]) == (
        "UBND thành phố Hải Phòng", 3, True
    )  # fmt: skip
    anonymous = result(call(catalog, "organization_list", all_fields="true"))
    assert next(o for o in anonymous if o["name"] == "gov-h31")["package_count"] == 1
    for ref in ("gov-h31", "GOV/H31", "VN/GOV/H31", h31["id"]):
        assert result(call(catalog, "organization_show", admin_token, id=ref))["id"] == h31["id"]
    shown = result(call(catalog, "organization_show", id="gov-h31", include_datasets=True))
    assert [p["name"] for p in shown["packages"]] == ["dan-so"]
    error(call(catalog, "organization_show", id="gov-h99"), 404, "Not Found Error")
    assert "sort" in error(
        call(catalog, "organization_list", sort="size asc"), 409, "Validation Error"
    )


def test_organization_create(ckan_client: TestClient, admin_token: str) -> None:
    made = result(
        call(
            ckan_client, "organization_create", admin_token, name="gov-h31", title="UBND Hải Phòng"
        )
    )
    assert (made["name"], made["title"], made["package_count"]) == ("gov-h31", "UBND Hải Phòng", 0)
    port = result(
        call(
            ckan_client, "organization_create", admin_token, name="cang-hai-phong",
            title="Cảng Hải Phòng",
            extras=[{"key": "member_class", "value": "COM"},
                    {"key": "member_code", "value": "0200236845"}],
        )
    )  # fmt: skip
    assert port["name"] == "com-0200236845"
    members = ckan_client.get("/api/v1/members", headers={"Authorization": admin_token}).json()
    assert {m["id"] for m in members} == {"VN/GOV/H31", "VN/COM/0200236845"}
    resp = call(ckan_client, "organization_create", admin_token, name="gov-h31", title="Lặp")
    assert error(resp, 409, "Validation Error")["name"] == ["Group name already exists in database"]
    resp = call(ckan_client, "organization_create", admin_token, name="gov-xyz", title="Sai mã")
    assert "name" in error(resp, 409, "Validation Error")
    resp = call(ckan_client, "organization_create", admin_token, name="gov", title="Thiếu mã")
    assert "name" in error(resp, 409, "Validation Error")
    make_user(ckan_client, admin_token, "lan")
    lan = user_key(ckan_client, admin_token, "lan")
    resp = call(ckan_client, "organization_create", lan, name="gov-h32", title="Không được")
    error(resp, 403, "Authorization Error")
    error(call(ckan_client, "organization_create", name="gov-h32"), 403, "Authorization Error")


_QUERY_PIECES = [
    *'ab:"()[]{}*?-+!\\ ',
    "OR",
    "AND",
    "NOT",
    " TO ",
    "tags:",
    "NOW-1DAY",
    "2025-01-01",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_QUERY_PIECES), max_size=30).map("".join))
def test_any_query_parses_or_is_a_search_query_error(text: str) -> None:
    doc = Doc(
        keys={"tags": ["dân cư"]},
        dates={"metadata_modified": datetime.now(UTC), "metadata_created": datetime.now(UTC)},
        text=frozenset({"hai", "phong"}),
        phrases=" hai phong ",
    )
    try:
        pred = Parser(text).parse()
    except SearchQueryError:
        return
    assert pred is None or pred(doc) in (True, False)
