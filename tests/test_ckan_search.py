"""CKAN's package_search on SQLite and PostgreSQL: text that ignores diacritics, fq forms,
paging, sort and facets, hostile input, and a fuzz of the query parser."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from lienthong.catalog.ckan_query import Doc, Parser, SearchQueryError
from tests.ckan_support import error, names, search


def test_search_text_ignores_diacritics_and_visibility(
    ckan_catalog: TestClient, admin_token: str
) -> None:
    assert names(search(ckan_catalog, admin_token, q="hai phong")) == ["dan-so"]
    assert names(search(ckan_catalog, admin_token, q="HẢI PHÒNG dân")) == ["dan-so"]
    assert set(names(search(ckan_catalog, admin_token, q="hai"))) == {"dan-so", "to-khai"}
    assert names(search(ckan_catalog, admin_token, q='"phong hai"')) == []
    assert names(search(ckan_catalog, admin_token, q='"dan so hai"')) == ["dan-so"]
    assert names(search(ckan_catalog, admin_token, q="truo*")) == ["truong-hoc"]
    assert names(search(ckan_catalog, admin_token, q="tags:giao*")) == ["truong-hoc"]
    assert search(ckan_catalog, admin_token, q="")["count"] == 3  # private ones need asking
    everything = search(ckan_catalog, admin_token, include_private="true")
    assert everything["count"] == 4
    assert search(ckan_catalog)["count"] == 2  # anonymous: the public ones
    assert set(names(search(ckan_catalog, None, rows=10))) == {"dan-so", "to-khai"}


def test_search_fq_forms(ckan_catalog: TestClient, admin_token: str) -> None:
    def fq(text: str, **more: Any) -> set[str]:
        return set(names(search(ckan_catalog, admin_token, fq=text, include_private=True, **more)))

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


def test_search_paging_sort_facets(ckan_catalog: TestClient, admin_token: str) -> None:
    by_name = search(
        ckan_catalog, admin_token, sort="name asc", include_private=True, rows=2, start=1
    )
    assert (by_name["count"], names(by_name)) == (4, ["ho-so-thue", "to-khai"])
    assert by_name["sort"] == "name asc"
    assert names(search(ckan_catalog, admin_token, sort="name desc", rows=1)) == ["truong-hoc"]
    titles = names(search(ckan_catalog, admin_token, sort="title_string asc"))
    assert titles == ["dan-so", "to-khai", "truong-hoc"]
    newest = search(ckan_catalog, admin_token)
    assert newest["sort"] == "score desc, metadata_modified desc"
    assert names(newest) == ["to-khai", "truong-hoc", "dan-so"]
    oldest = names(search(ckan_catalog, admin_token, sort="metadata_modified asc, name asc"))
    assert oldest == ["dan-so", "truong-hoc", "to-khai"]
    assert names(search(ckan_catalog, admin_token, q="thong ke dan cu"))[0] == "dan-so"
    assert search(ckan_catalog, admin_token, rows=0)["results"] == []
    assert search(ckan_catalog, admin_token, start=10**6)["results"] == []

    found = search(
        ckan_catalog, admin_token, **{"facet.field": '["organization", "tags", "res_format"]'}
    )
    assert found["facets"]["tags"] == {"thống kê": 2, "dân cư": 1, "giáo dục": 1}
    assert found["facets"]["res_format"] == {"CSV": 3}
    orgs = found["search_facets"]["organization"]
    assert orgs["title"] == "organization"
    assert orgs["items"] == [
        {"name": "gov-h31", "display_name": "UBND thành phố Hải Phòng", "count": 2},
        {"name": "gov-g12.31", "display_name": "Chi cục Hải quan Hải Phòng", "count": 1},
    ]
    limited = search(ckan_catalog, admin_token, **{"facet.field": '["tags"]', "facet.limit": "1"})
    assert limited["facets"]["tags"] == {"thống kê": 2}
    assert search(ckan_catalog, admin_token)["facets"] == {}
    fields = search(ckan_catalog, admin_token, fl="name,title", rows=1)["results"]
    assert fields == [{"name": "to-khai", "title": "Tờ khai hải quan"}]


def test_search_hostile_input(ckan_catalog: TestClient, admin_token: str) -> None:
    # rows above CKAN's maximum are cut to it, as CKAN's limit_to_configured_maximum does
    assert search(ckan_catalog, admin_token, rows=10**9)["count"] == 3
    for bad in ({"rows": "-1"}, {"rows": "mười"}, {"start": "-5"}, {"facet.limit": "x"}):
        resp = ckan_catalog.get("/api/action/package_search", params=bad)
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
        resp = ckan_catalog.get("/api/action/package_search", params={"fq": fq})
        assert error(resp, 400, "Search Query Error")["message"].startswith(
            "Search Query is invalid"
        )
    # SQL in a query is only text: it matches nothing and reaches no database
    for fq in ("organization:x' OR '1'='1", "name:*; DROP TABLE datasets; --", "tags:%"):
        assert search(ckan_catalog, admin_token, fq=fq)["count"] == 0
    assert search(ckan_catalog, admin_token, q="--")["count"] == 3
    # many wildcards, which a backtracking regex would take ages over, answer at once
    assert (
        search(ckan_catalog, admin_token, fq="name:" + "*a" * 45 + "b", q="*o" * 40 + "z")["count"]
        == 0
    )
    resp = ckan_catalog.get("/api/action/package_search", params={"q": "x" * 20_000})
    assert "q" in error(resp, 409, "Validation Error")
    assert search(ckan_catalog, admin_token)["count"] == 3


# --- organizations -----------------------------------------------------------------------
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


def test_a_nul_in_a_name_is_refused_not_a_server_error(ckan_catalog: TestClient) -> None:
    """PostgreSQL cannot bind text holding NUL: on both back ends it is the caller's error."""
    for action, param in (
        ("package_show", "id"),
        ("datastore_search", "resource_id"),
        ("organization_show", "id"),
    ):
        resp = ckan_catalog.get(f"/api/3/action/{action}", params={param: "to-khai\x00"})
        assert resp.status_code in (404, 409), (action, resp.status_code, resp.text)
        assert resp.json()["success"] is False
