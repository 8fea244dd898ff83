"""DCAT-AP 3 catalog: Turtle and JSON-LD, read back with rdflib, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS
from rdflib.term import Node

from lienthong.app import create_app
from lienthong.core.platform import Platform
from tests.utils import auth, make_member, ok

# spelled out here, not imported from the module under test, so a wrong IRI there fails
DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# a plain namespace: pytest's collection probes module attributes, and rdflib's XSD warns
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
EU = "http://publications.europa.eu/resource/authority/"
FORMATS = {"ttl": "turtle", "jsonld": "json-ld"}
MEDIA_TYPES = {"ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json"}
PROBLEM = "application/problem+json"

# rdflib's JSON-LD parser builds a ConjunctiveGraph internally whatever graph it fills
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

TITLE = "Hộ nghèo, cận nghèo theo xã — Thuỷ Nguyên, Hải Phòng"
DESCRIPTION = "Số hộ nghèo và cận nghèo của 114 xã, phường, đặc khu; cập nhật hằng tháng."


def dataset_body(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "owner": "GOV/H31",
        "title": TITLE,
        "title_en": "Poor and near-poor households by commune",
        "description": DESCRIPTION,
        "tags": ["an sinh xã hội", "hộ nghèo"],
        "license_id": "cc-by-4.0",
        "classification": "public",
        "update_frequency": "monthly",
        "spatial": ["31", "11311"],
        "temporal_start": "2024",
        "temporal_end": "2025-06-30",
        "schema": {"fields": [{"name": "ma_xa", "type": "string"}]},
    } | extra


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    """The platform's app, as served (it includes the DCAT router)."""
    with TestClient(create_app(platform=platform), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def site(platform: Platform) -> str:
    return platform.settings.site_url.rstrip("/")


@pytest.fixture
def publisher(client: TestClient, admin_token: str) -> Any:
    return make_member(client, admin_token)


def make_dataset(client: TestClient, token: str, name: str, **extra: Any) -> Any:
    resp = client.post("/api/v1/datasets", json=dataset_body(name, **extra), headers=auth(token))
    return ok(resp, 201)


def fetch(client: TestClient, path: str, fmt: str, token: str | None = None) -> Graph:
    """GET an RDF document and parse it back with rdflib's parser for its format."""
    resp = client.get(path, headers=auth(token) if token else {})
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == MEDIA_TYPES[fmt]
    if fmt == "jsonld":
        assert "@context" in json.loads(resp.content)
    return Graph().parse(data=resp.text, format=FORMATS[fmt])


def one(g: Graph, subject: Node, predicate: URIRef) -> Node:
    """The single value of a property DCAT-AP allows at most once (and we require)."""
    values = list(g.objects(subject, predicate))
    assert len(values) == 1, f"{subject} {predicate}: {values}"
    return values[0]


def texts(g: Graph, subject: Node, predicate: URIRef) -> dict[str | None, str]:
    return {
        lit.language: str(lit) for lit in g.objects(subject, predicate) if isinstance(lit, Literal)
    }


def assert_problem(resp: Any, *statuses: int) -> None:
    assert resp.status_code in statuses, resp.text
    assert resp.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_dataset_carries_mandatory_and_recommended_properties(
    client: TestClient, admin_token: str, publisher: Any, site: str, fmt: str
) -> None:
    make_dataset(client, admin_token, "ho-ngheo")
    g = fetch(client, f"/dataset/ho-ngheo.{fmt}", fmt)
    ds = URIRef(f"{site}/dataset/ho-ngheo")
    assert (ds, RDF.type, DCAT.Dataset) in g
    # mandatory: title and description
    assert texts(g, ds, DCTERMS.title) == {
        "vi": TITLE,
        "en": "Poor and near-poor households by commune",
    }
    assert texts(g, ds, DCTERMS.description) == {"vi": DESCRIPTION}
    # recommended and optional ones we have
    assert str(one(g, ds, DCTERMS.identifier)) == str(ds)
    owner = one(g, ds, DCTERMS.publisher)
    assert owner == URIRef(f"{site}/members/VN/GOV/H31")
    assert (owner, RDF.type, FOAF.Agent) in g
    assert str(one(g, owner, FOAF.name)) == "UBND thành phố Hải Phòng"
    contact = one(g, ds, DCAT.contactPoint)
    assert str(one(g, contact, VCARD.fn)) == "UBND thành phố Hải Phòng"
    assert {str(k) for k in g.objects(ds, DCAT.keyword)} == {"an sinh xã hội", "hộ nghèo"}
    for prop in (DCTERMS.issued, DCTERMS.modified):
        assert one(g, ds, prop).datatype == XSD.dateTime  # type: ignore[attr-defined]
    assert one(g, ds, DCTERMS.accessRights) == URIRef(EU + "access-right/PUBLIC")
    assert one(g, ds, DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/MONTHLY")
    assert one(g, ds, DCTERMS.language) == URIRef(EU + "language/VIE")
    assert set(g.objects(ds, DCTERMS.spatial)) == {
        URIRef(f"{site}/api/v1/units/31"),
        URIRef(f"{site}/api/v1/units/11311"),
    }
    period = one(g, ds, DCTERMS.temporal)
    assert (period, RDF.type, DCTERMS.PeriodOfTime) in g
    assert one(g, period, DCAT.startDate) == Literal("2024", datatype=XSD.gYear)
    assert one(g, period, DCAT.endDate) == Literal("2025-06-30", datatype=XSD.date)
    schema = one(g, ds, DCTERMS.conformsTo)
    assert (schema, RDF.type, DCTERMS.Standard) in g
    assert one(g, schema, DCTERMS.conformsTo) == URIRef(
        "https://specs.frictionlessdata.io/table-schema/"
    )
    assert one(g, schema, RDFS.seeAlso) == URIRef(f"{site}/api/v1/datasets/ho-ngheo")
    assert_distributions(g, ds, site, schema)


def assert_distributions(g: Graph, ds: URIRef, site: str, schema: Node) -> None:
    records = f"{site}/api/v1/datasets/ho-ngheo/records"
    dists = set(g.objects(ds, DCAT.distribution))
    assert dists == {URIRef(f"{ds}#{k}") for k in ("csv", "ndjson", "parquet")}
    for dist in dists:
        assert (dist, RDF.type, DCAT.Distribution) in g
        # mandatory: accessURL
        assert one(g, dist, DCAT.accessURL) == URIRef(records)
        assert one(g, dist, DCTERMS.license) == URIRef(EU + "licence/CC_BY_4_0")
        assert texts(g, dist, DCTERMS.title)["vi"].startswith(TITLE)
        assert set(texts(g, dist, DCTERMS.description)) == {"vi", "en"}
        assert one(g, dist, DCTERMS.conformsTo) == schema
        one(g, dist, DCTERMS.format)
    csv = URIRef(f"{ds}#csv")
    assert one(g, csv, DCAT.downloadURL) == URIRef(f"{records}?format=csv")
    assert one(g, csv, DCTERMS.format) == URIRef(EU + "file-type/CSV")
    assert one(g, csv, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/text/csv"
    )
    parquet = URIRef(f"{ds}#parquet")
    assert one(g, parquet, DCTERMS.format) == URIRef(EU + "file-type/PARQUET")


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_catalog_carries_mandatory_and_recommended_properties(
    client: TestClient, admin_token: str, publisher: Any, site: str, fmt: str
) -> None:
    made = [make_dataset(client, admin_token, n) for n in ("ho-ngheo", "dan-so")]
    g = fetch(client, f"/catalog.{fmt}", fmt)
    cat = URIRef(f"{site}/catalog")
    assert (cat, RDF.type, DCAT.Catalog) in g
    assert set(texts(g, cat, DCTERMS.title)) == {"vi", "en"}
    assert texts(g, cat, DCTERMS.title)["vi"] == "Danh mục dữ liệu dùng chung"
    assert set(texts(g, cat, DCTERMS.description)) == {"vi", "en"}
    agent = one(g, cat, DCTERMS.publisher)
    assert (agent, RDF.type, FOAF.Agent) in g
    assert texts(g, agent, FOAF.name)["vi"]
    assert set(g.objects(cat, DCAT.dataset)) == {
        URIRef(f"{site}/dataset/ho-ngheo"),
        URIRef(f"{site}/dataset/dan-so"),
    }
    assert URIRef(EU + "language/VIE") in set(g.objects(cat, DCTERMS.language))
    assert one(g, cat, FOAF.homepage) == URIRef(f"{site}/")
    # the catalog changed when its latest dataset did, and was issued with its first
    stamps = [one(g, URIRef(f"{site}/dataset/{m['name']}"), DCTERMS.modified) for m in made]
    assert one(g, cat, DCTERMS.modified) == max(stamps, key=str)
    issued = [one(g, URIRef(f"{site}/dataset/{m['name']}"), DCTERMS.issued) for m in made]
    assert one(g, cat, DCTERMS.issued) == min(issued, key=str)
    # every dataset is described in full inside the catalog
    for name in ("ho-ngheo", "dan-so"):
        ds = URIRef(f"{site}/dataset/{name}")
        assert texts(g, ds, DCTERMS.title)["vi"] == TITLE
        assert len(set(g.objects(ds, DCAT.distribution))) == 3


def test_turtle_and_jsonld_say_the_same_thing(
    client: TestClient, admin_token: str, publisher: Any
) -> None:
    make_dataset(client, admin_token, "ho-ngheo")
    for path in ("/dataset/ho-ngheo", "/catalog"):
        turtle = fetch(client, f"{path}.ttl", "ttl")
        jsonld = fetch(client, f"{path}.jsonld", "jsonld")
        assert len(jsonld) > 50
        assert without_paging(turtle).isomorphic(without_paging(jsonld))


def without_paging(g: Graph) -> Graph:
    """The catalog's Hydra links name their own format; everything else must match."""
    for view in list(g.subjects(RDF.type, HYDRA.PartialCollectionView)):
        g.remove((view, None, None))
        g.remove((None, None, view))
    return g


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_vietnamese_text_comes_back_exactly_in_nfc(
    client: TestClient, admin_token: str, publisher: Any, site: str, fmt: str
) -> None:
    decomposed = unicodedata.normalize("NFD", DESCRIPTION)
    assert decomposed != DESCRIPTION
    tags = ["Đường thuỷ nội địa", unicodedata.normalize("NFD", "Cảng biển")]
    make_dataset(client, admin_token, "duong-thuy", description=decomposed, tags=tags)
    g = fetch(client, f"/dataset/duong-thuy.{fmt}", fmt)
    ds = URIRef(f"{site}/dataset/duong-thuy")
    assert texts(g, ds, DCTERMS.title)["vi"] == TITLE
    assert texts(g, ds, DCTERMS.description)["vi"] == DESCRIPTION
    assert {str(k) for k in g.objects(ds, DCAT.keyword)} == {"Đường thuỷ nội địa", "Cảng biển"}
    for _, _, value in g:
        if isinstance(value, Literal):
            assert unicodedata.is_normalized("NFC", str(value)), repr(value)


def test_access_rights_follow_the_classification(
    client: TestClient, admin_token: str, publisher: Any, site: str
) -> None:
    expected = {"public": "PUBLIC", "shared": "RESTRICTED", "restricted": "NON_PUBLIC"}
    for classification in expected:
        make_dataset(client, admin_token, f"ds-{classification}", classification=classification)
    g = fetch(client, "/catalog.ttl", "ttl", admin_token)
    for classification, code in expected.items():
        ds = URIRef(f"{site}/dataset/ds-{classification}")
        assert one(g, ds, DCTERMS.accessRights) == URIRef(f"{EU}access-right/{code}")


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_anonymous_callers_see_only_public_datasets(
    client: TestClient, admin_token: str, publisher: Any, site: str, fmt: str
) -> None:
    for classification in ("public", "shared", "restricted"):
        make_dataset(client, admin_token, f"ds-{classification}", classification=classification)
    cat = URIRef(f"{site}/catalog")
    anonymous = fetch(client, f"/catalog.{fmt}", fmt)
    assert set(anonymous.objects(cat, DCAT.dataset)) == {URIRef(f"{site}/dataset/ds-public")}
    assert set(anonymous.subjects(RDF.type, DCAT.Dataset)) == {URIRef(f"{site}/dataset/ds-public")}
    assert total_items(anonymous) == 1
    member = fetch(client, f"/catalog.{fmt}", fmt, admin_token)
    assert len(set(member.objects(cat, DCAT.dataset))) == 3
    assert total_items(member) == 3


def total_items(g: Graph) -> int:
    (view,) = g.subjects(RDF.type, HYDRA.PartialCollectionView)
    count = one(g, view, HYDRA.totalItems)
    assert isinstance(count, Literal)
    return int(count)


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_catalog_is_paged_with_hydra(
    client: TestClient, admin_token: str, publisher: Any, site: str, fmt: str
) -> None:
    names = ["ds-a", "ds-b", "ds-c", "ds-d", "ds-e"]
    for name in names:
        make_dataset(client, admin_token, name)

    def page_url(n: int) -> URIRef:
        return URIRef(f"{site}/catalog.{fmt}?page={n}&page_size=2")

    seen: list[Node] = []
    url: Node | None = page_url(1)
    previous: Node | None = None
    while url is not None:
        g = fetch(client, str(url).removeprefix(site), fmt)
        (view,) = g.subjects(RDF.type, HYDRA.PartialCollectionView)
        assert view == url
        assert one(g, URIRef(f"{site}/catalog"), HYDRA.view) == view
        assert one(g, view, HYDRA.first) == page_url(1)
        assert one(g, view, HYDRA.last) == page_url(3)
        assert total_items(g) == 5
        assert next(iter(g.objects(view, HYDRA.previous)), None) == previous
        page = sorted(g.objects(URIRef(f"{site}/catalog"), DCAT.dataset), key=str)
        assert len(page) == (1 if view == page_url(3) else 2)
        seen += page
        previous, url = view, next(iter(g.objects(view, HYDRA.next)), None)
    assert previous == page_url(3)
    assert seen == [URIRef(f"{site}/dataset/{n}") for n in names]


def test_default_page_holds_up_to_a_hundred(
    client: TestClient, admin_token: str, publisher: Any, site: str
) -> None:
    make_dataset(client, admin_token, "ds-a")
    g = fetch(client, "/catalog.ttl", "ttl")
    view = URIRef(f"{site}/catalog.ttl?page=1&page_size=100")
    assert (view, RDF.type, HYDRA.PartialCollectionView) in g
    assert one(g, view, HYDRA.last) == view
    assert list(g.objects(view, HYDRA.next)) == []


def test_empty_catalog_is_still_a_catalog(client: TestClient, site: str) -> None:
    g = fetch(client, "/catalog.jsonld", "jsonld")
    cat = URIRef(f"{site}/catalog")
    assert (cat, RDF.type, DCAT.Catalog) in g
    assert texts(g, cat, DCTERMS.title)
    assert list(g.objects(cat, DCAT.dataset)) == []
    assert total_items(g) == 0


def test_page_past_the_last_is_not_found(
    client: TestClient, admin_token: str, publisher: Any
) -> None:
    make_dataset(client, admin_token, "ds-a")
    resp = client.get("/catalog.ttl", params={"page": 2, "page_size": 1})
    assert_problem(resp, 404)
    assert "past the last page" in resp.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": 0},
        {"page": -1},
        {"page": "abc"},
        {"page": 10**30},
        {"page_size": 0},
        {"page_size": 1001},
        {"page_size": 1.5},
    ],
)
@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_out_of_range_paging_is_refused(
    client: TestClient, params: dict[str, Any], fmt: str
) -> None:
    resp = client.get(f"/catalog.{fmt}", params=params)
    assert_problem(resp, 422)
    assert set(resp.json()["errors"]) == set(params)


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_unknown_and_hidden_datasets_are_not_found(
    client: TestClient, admin_token: str, publisher: Any, fmt: str
) -> None:
    make_dataset(client, admin_token, "ds-shared", classification="shared")
    make_dataset(client, admin_token, "ds-restricted", classification="restricted")
    assert_problem(client.get(f"/dataset/khong-co.{fmt}"), 404)
    for name in ("ds-shared", "ds-restricted"):
        hidden = client.get(f"/dataset/{name}.{fmt}")
        assert_problem(hidden, 404)
        # the same answer as for a dataset that does not exist: nothing leaks
        assert hidden.json()["detail"] == f"dataset '{name}' does not exist"
        fetch(client, f"/dataset/{name}.{fmt}", fmt, admin_token)


@pytest.mark.parametrize(
    "path",
    [
        "/dataset/../etc.ttl",
        "/dataset/..%2Fetc%2Fpasswd.ttl",
        "/dataset/%2e%2e.jsonld",
        "/dataset/..%5C..%5Cwindows.ttl",
        "/dataset/" + "a" * 5000 + ".ttl",
        "/dataset/" + "a" * 101 + ".jsonld",
        "/dataset/DROP%20TABLE%20datasets.ttl",
        "/dataset/x%27%20OR%20%271%27=%271.ttl",
        "/dataset/%00.ttl",
        "/dataset/d%C3%A2n-s%E1%BB%91.jsonld",
        "/dataset/ho-ngheo.ttl.jsonld",
        "/dataset/.ttl",
    ],
)
def test_hostile_names_are_refused_cleanly(
    client: TestClient, admin_token: str, publisher: Any, path: str
) -> None:
    make_dataset(client, admin_token, "ho-ngheo")
    assert_problem(client.get(path), 404, 422)


def test_frequency_licence_and_sparse_metadata(
    client: TestClient, admin_token: str, publisher: Any, site: str
) -> None:
    make_dataset(
        client, admin_token, "tau-cap-cang", update_frequency="realtime", license_id="odc-odbl"
    )
    make_dataset(
        client,
        admin_token,
        "thua-dat",
        license_id="giay-phep-rieng",
        description="",
        title_en=None,
        tags=[],
        spatial=[],
        update_frequency=None,
        temporal_start=None,
        temporal_end=None,
    )
    g = fetch(client, "/catalog.ttl", "ttl")
    realtime = URIRef(f"{site}/dataset/tau-cap-cang")
    assert one(g, realtime, DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/UPDATE_CONT")
    assert one(g, URIRef(f"{realtime}#csv"), DCTERMS.license) == URIRef(EU + "licence/ODC_BL")
    sparse = URIRef(f"{site}/dataset/thua-dat")
    assert one(g, URIRef(f"{sparse}#csv"), DCTERMS.license) == URIRef(
        f"{site}/licenses/giay-phep-rieng"
    )
    # the mandatory description falls back to the title rather than go missing
    assert texts(g, sparse, DCTERMS.description) == {"vi": TITLE}
    assert texts(g, sparse, DCTERMS.title) == {"vi": TITLE}
    for absent in (DCTERMS.accrualPeriodicity, DCTERMS.temporal, DCTERMS.spatial, DCAT.keyword):
        assert list(g.objects(sparse, absent)) == []


def test_responses_vary_with_the_callers_key(client: TestClient) -> None:
    resp = client.get("/catalog.ttl")
    assert resp.status_code == 200
    assert "Authorization" in resp.headers["vary"]


def test_routes_are_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/catalog.ttl",
        "/catalog.jsonld",
        "/dataset/{name}.ttl",
        "/dataset/{name}.jsonld",
    ):
        assert path in paths
        assert paths[path]["get"]["tags"] == ["catalog"]
