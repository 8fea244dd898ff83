"""CKAN's Action API over the catalog, on SQLite and PostgreSQL: envelope, errors, auth,
packages and organizations, as ckanapi and CKAN harvesters use them (package_search:
test_ckan_search.py)."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from tests.ckan_support import (
    PACKAGE_KEYS,
    RESOURCE_KEYS,
    SCHEMA,
    call,
    dataset,
    error,
    result,
    search,
)
from tests.utils import CUSTOMS, grant, make_member, make_user, user_key


# --- envelope, paths, methods, errors ----------------------------------------------------
def test_envelope_on_both_paths_and_methods(client: TestClient) -> None:
    for path in ("/api/action/status_show", "/api/3/action/status_show"):
        for resp in (client.get(path), client.post(path)):
            assert resp.headers["content-type"].startswith("application/json")
            body = resp.json()
            assert list(body) == ["help", "success", "result"]
            assert body["help"] == "http://127.0.0.1:8000/api/3/action/help_show?name=status_show"
            assert body["result"]["ckan_version"].startswith("2.11")
    doc = result(client.get("/api/3/action/help_show", params={"name": "package_search"}))
    assert "rows" in doc
    assert result(client.get("/api/action/group_list")) == []


def test_unknown_action_write_by_get_and_bad_bodies_are_400(
    client: TestClient, admin_token: str
) -> None:
    resp = client.get("/api/3/action/no_such_action")
    assert (resp.status_code, resp.json()) == (
        400,
        "Bad request - Action name not known: no_such_action",
    )
    resp = client.get("/api/action/package_create", params={"name": "x"})
    assert resp.status_code == 400
    assert "Please use POST method" in resp.json()
    headers = {"Authorization": admin_token, "Content-Type": "application/json"}
    for body, why in ((b'{"name": ', "Error decoding JSON data"), (b"[1, 2]", "dictionary")):
        resp = client.post("/api/action/package_create", content=body, headers=headers)
        assert resp.status_code == 400
        assert resp.json().startswith("Bad request - JSON Error")
        assert why in resp.json()
    nested = b"[" * 100_000 + b"]" * 100_000
    resp = client.post("/api/action/package_show", content=nested, headers=headers)
    assert resp.status_code == 400


def test_error_types_and_statuses(client: TestClient, admin_token: str) -> None:
    err = error(call(client, "package_show", id="khong-co"), 404, "Not Found Error")
    assert err["message"].startswith("Not found")
    err = error(call(client, "package_create", name="ab"), 403, "Authorization Error")
    assert err["message"].startswith("Access denied")
    err = error(call(client, "package_create", admin_token), 409, "Validation Error")
    assert "message" not in err
    assert err["name"] == ["Missing value"]
    assert err["owner_org"] == ["An organization must be provided"]
    assert err["schema"][0].startswith("Missing value")
    err = error(call(client, "package_show"), 409, "Validation Error")
    assert err["name_or_id"] == ["Missing value"]
    resp = call(client, "package_create", admin_token, name="ab", owner_org="x", tags="a,b")
    assert error(resp, 400, "Integrity Error")["message"].startswith("Only lists of dicts")
    resp = client.get("/api/action/package_search", params={"sort": "popularity desc"})
    err = error(resp, 400, "Search Query Error")
    assert err["message"] == "Search Query is invalid: 'Invalid \"sort\" parameter'"


def test_keys_raw_bearer_ckan_header_and_invalid(client: TestClient, admin_token: str) -> None:
    make_member(client, admin_token)
    for i, headers in enumerate(
        (
            {"Authorization": admin_token},
            {"Authorization": f"Bearer {admin_token}"},
            {"X-CKAN-API-Key": admin_token},
        )
    ):
        body = {"name": f"bo-{i}", "owner_org": "gov-h31", "schema": SCHEMA}
        result(client.post("/api/action/package_create", json=body, headers=headers))
    resp = client.get("/api/action/package_list", headers={"Authorization": "lt_not-a-key"})
    assert error(resp, 403, "Authorization Error")["message"].startswith("Access denied")
    # anonymous callers see only public datasets; these are shared
    assert result(client.get("/api/action/package_list")) == []
    listed = result(call(client, "package_list", admin_token, include_private=True, x=1))
    assert listed == ["bo-0", "bo-1", "bo-2"]


def test_get_query_form_and_curl_style_posts(ckan_catalog: TestClient, admin_token: str) -> None:
    url = "/api/3/action/package_search?facet.field=tags&facet.field=organization&rows=1"
    found = result(ckan_catalog.get(url, headers={"Authorization": admin_token}))
    assert set(found["facets"]) == {"tags", "organization"}
    assert len(found["results"]) == 1
    params = {"facet.field": '["license_id"]', "fq": 'tags:"giáo dục"', "whatever": "1"}
    found = search(ckan_catalog, admin_token, **params)
    assert found["facets"] == {"license_id": {"odc-odbl": 1}}
    # curl -d '{"id": ...}' sends JSON labelled as a form; CKAN reads it as JSON
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    resp = ckan_catalog.post("/api/action/package_show", content=b'{"id": "dan-so"}', headers=form)
    assert result(resp)["name"] == "dan-so"
    resp = ckan_catalog.post("/api/action/package_show", data={"id": "dan-so", "x": "y"})
    assert result(resp)["title"] == "Dân số Hải Phòng"
    resp = ckan_catalog.post("/api/action/package_show?id=dan-so")  # no body: the URL is input
    assert result(resp)["name"] == "dan-so"


# --- packages ----------------------------------------------------------------------------
def test_package_life_cycle(client: TestClient, admin_token: str) -> None:
    make_member(client, admin_token)
    created = dataset(
        client, admin_token, "ho-kinh-doanh", "Hộ kinh doanh",
        notes="Danh sách hộ", tags=[{"name": "kinh tế"}], private=True,
        extras=[{"key": "title_en", "value": "Household businesses"},
                {"key": "spatial", "value": '["31"]'}, {"key": "temporal", "value": "2020/2024"}],
        schema=json.dumps(SCHEMA), ignored_key="x",
    )  # fmt: skip
    shown = result(call(client, "package_show", admin_token, id="ho-kinh-doanh"))
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
    assert result(call(client, "resource_show", admin_token, id="ho-kinh-doanh")) == res
    by_id = result(call(client, "package_show", admin_token, id=shown["id"]))
    assert by_id["name"] == "ho-kinh-doanh"

    patched = result(call(client, "package_patch", admin_token, id=shown["id"], notes="Cập nhật"))
    assert (patched["notes"], patched["title"], patched["version"]) == (
        "Cập nhật",
        "Hộ kinh doanh",
        "2",
    )
    assert patched["private"] is True
    assert patched["num_tags"] == 1

    # update replaces: what is not sent is cleared, except what must never open by omission
    updated = result(
        call(client, "package_update", admin_token, name="ho-kinh-doanh", title="Hộ KD")
    )
    assert (updated["title"], updated["notes"], updated["tags"]) == ("Hộ KD", "", [])
    extras = {e["key"]: e["value"] for e in updated["extras"]}
    assert set(extras) == {"classification", "schema"}
    assert updated["private"] is True
    round_trip = dict(updated, notes="Vòng lại", private=False)
    again = result(call(client, "package_update", admin_token, **round_trip))
    # the classification extra that came back with the dict still says restricted
    assert again["notes"] == "Vòng lại"
    assert again["private"] is True
    opened = result(
        call(client, "package_patch", admin_token, id="ho-kinh-doanh", classification="public")
    )
    assert opened["private"] is False
    assert result(client.get("/api/action/package_list")) == ["ho-kinh-doanh"]


def test_package_create_refusals(client: TestClient, admin_token: str) -> None:
    make_member(client, admin_token)
    make_member(client, admin_token, CUSTOMS)
    dataset(client, admin_token, "dan-so", "Dân số")

    def refused(**body: Any) -> dict[str, Any]:
        base = {"name": "moi", "owner_org": "gov-h31", "schema": SCHEMA}
        return error(
            call(client, "package_create", admin_token, **(base | body)),
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

    make_user(client, admin_token, "lan")
    grant(client, admin_token, "lan", "publisher", "GOV/G12.31")
    lan = user_key(client, admin_token, "lan")
    resp = call(client, "package_create", lan, name="cua-lan", owner_org="GOV/H31", schema=SCHEMA)
    assert error(resp, 409, "Validation Error")["owner_org"] == [
        "You cannot add a dataset to this organization"
    ]
    resp = call(client, "package_patch", lan, id="dan-so", title="Chiếm")
    assert error(resp, 403, "Authorization Error")["message"].startswith("Access denied")
    resp = call(client, "package_update", admin_token, id="dan-so", name="doi-ten")
    assert "name" in error(resp, 409, "Validation Error")
    resp = call(client, "package_patch", admin_token, id="dan-so", owner_org="gov-g12.31")
    assert "owner_org" in error(resp, 409, "Validation Error")
    assert result(call(client, "package_list", admin_token)) == ["dan-so"]


# --- search ------------------------------------------------------------------------------
def test_organizations(ckan_catalog: TestClient, admin_token: str) -> None:
    # CKAN sorts by title by default: "Chi cục..." before "UBND..."
    assert result(call(ckan_catalog, "organization_list")) == ["gov-g12.31", "gov-h31"]
    assert result(call(ckan_catalog, "organization_list", sort="name desc", limit=1)) == ["gov-h31"]
    full = result(call(ckan_catalog, "organization_list", admin_token, all_fields=True))
    h31 = next(o for o in full if o["name"] == "gov-h31")
    assert (h31["title"], h31["package_count"], h31["is_organization"]) == (
        "UBND thành phố Hải Phòng", 3, True
    )  # fmt: skip
    anonymous = result(call(ckan_catalog, "organization_list", all_fields="true"))
    assert next(o for o in anonymous if o["name"] == "gov-h31")["package_count"] == 1
    for ref in ("gov-h31", "GOV/H31", "VN/GOV/H31", h31["id"]):
        assert (
            result(call(ckan_catalog, "organization_show", admin_token, id=ref))["id"] == h31["id"]
        )
    shown = result(call(ckan_catalog, "organization_show", id="gov-h31", include_datasets=True))
    assert [p["name"] for p in shown["packages"]] == ["dan-so"]
    error(call(ckan_catalog, "organization_show", id="gov-h99"), 404, "Not Found Error")
    assert "sort" in error(
        call(ckan_catalog, "organization_list", sort="size asc"), 409, "Validation Error"
    )


def test_organization_create(client: TestClient, admin_token: str) -> None:
    made = result(
        call(client, "organization_create", admin_token, name="gov-h31", title="UBND Hải Phòng")
    )
    assert (made["name"], made["title"], made["package_count"]) == ("gov-h31", "UBND Hải Phòng", 0)
    port = result(
        call(
            client, "organization_create", admin_token, name="cang-hai-phong",
            title="Cảng Hải Phòng",
            extras=[{"key": "member_class", "value": "COM"},
                    {"key": "member_code", "value": "0200236845"}],
        )
    )  # fmt: skip
    assert port["name"] == "com-0200236845"
    members = client.get("/api/v1/members", headers={"Authorization": admin_token}).json()
    assert {m["id"] for m in members} == {"VN/GOV/H31", "VN/COM/0200236845"}
    resp = call(client, "organization_create", admin_token, name="gov-h31", title="Lặp")
    assert error(resp, 409, "Validation Error")["name"] == ["Group name already exists in database"]
    resp = call(client, "organization_create", admin_token, name="gov-xyz", title="Sai mã")
    assert "name" in error(resp, 409, "Validation Error")
    resp = call(client, "organization_create", admin_token, name="gov", title="Thiếu mã")
    assert "name" in error(resp, 409, "Validation Error")
    make_user(client, admin_token, "lan")
    lan = user_key(client, admin_token, "lan")
    resp = call(client, "organization_create", lan, name="gov-h32", title="Không được")
    error(resp, 403, "Authorization Error")
    error(call(client, "organization_create", name="gov-h32"), 403, "Authorization Error")
