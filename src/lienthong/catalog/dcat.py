"""DCAT-AP 3 metadata of the catalog, in Turtle and JSON-LD, paged with Hydra.

Harvesters (data.europa.eu, CKAN's ckanext-dcat, Piveau) read ``/catalog.ttl`` page by
page, following ``hydra:next``; each dataset also has its own document at
``/dataset/<name>.ttl``. Mandatory and recommended properties follow the DCAT-AP 3.0.0
SHACL shapes (SEMICeu/DCAT-AP, releases/3.0.0/shacl/dcat-ap-SHACL.ttl).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Response
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS
from sqlalchemy.engine import RowMapping

from lienthong.catalog import service
from lienthong.catalog.access import can_see, require_visible
from lienthong.catalog.models import Classification, Frequency
from lienthong.core.auth import OptionalPrincipal, Principal
from lienthong.core.errors import NotFound
from lienthong.core.platform import Platform, PlatformDep
from lienthong.core.vntext import nfc

router = APIRouter(tags=["catalog"])

# rdflib's own DCAT namespace stops at DCAT 2; a plain namespace takes DCAT 3 terms too
DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# rdflib's XSD warns on unknown attributes, which pytest's doctest collection probes
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
TABLE_SCHEMA_SPEC = URIRef("https://specs.frictionlessdata.io/table-schema/")
VIETNAMESE = URIRef(EU + "language/VIE")
ENGLISH = URIRef(EU + "language/ENG")

PREFIXES: dict[str, str] = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "hydra": str(HYDRA),
    "rdfs": str(RDFS),
    "vcard": str(VCARD),
    "xsd": str(XSD),
}

# shared data is readable by every member, so it is restricted rather than non-public
ACCESS_RIGHTS = {
    Classification.PUBLIC: "PUBLIC",
    Classification.SHARED: "RESTRICTED",
    Classification.RESTRICTED: "NON_PUBLIC",
}
FREQUENCIES = {
    Frequency.REALTIME: "UPDATE_CONT",
    Frequency.DAILY: "DAILY",
    Frequency.WEEKLY: "WEEKLY",
    Frequency.MONTHLY: "MONTHLY",
    Frequency.QUARTERLY: "QUARTERLY",
    Frequency.ANNUAL: "ANNUAL",
    Frequency.IRREGULAR: "IRREG",
}
# license_id (CKAN-style) -> the EU Licence authority table
LICENCES = {
    "cc-by-4.0": "CC_BY_4_0",
    "cc-by-sa-4.0": "CC_BYSA_4_0",
    "cc-by-nc-4.0": "CC_BYNC_4_0",
    "cc-by-nd-4.0": "CC_BYND_4_0",
    "cc0-1.0": "CC0",
    "cc-zero": "CC0",
    "odc-by": "ODC_BY",
    "odc-odbl": "ODC_BL",
    "odc-pddl": "ODC_PDDL",
}

CATALOG_TITLE = {"vi": "Danh mục dữ liệu dùng chung", "en": "Shared data catalogue"}
CATALOG_DESCRIPTION = {
    "vi": "Các bộ dữ liệu của nền tảng tích hợp, chia sẻ dữ liệu dùng chung (LGSP) "
    "và kho dữ liệu dùng chung.",
    "en": "Datasets of the shared data integration and sharing platform (LGSP) "
    "and its shared data warehouse.",
}


@dataclass(frozen=True)
class Format:
    """One download format of the records API."""

    key: str
    label: str
    file_type: str
    # None where IANA registers no media type (NDJSON)
    media_type: str | None


FORMATS = (
    Format("csv", "CSV", "CSV", "text/csv"),
    Format("ndjson", "NDJSON", "JSON", None),
    Format("parquet", "Parquet", "PARQUET", "application/vnd.apache.parquet"),
)

SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json"),
}

PageQuery = Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1")]
PageSizeQuery = Annotated[int, Query(ge=1, le=1000, description="Datasets per page")]
NamePath = Annotated[str, Path(max_length=100, pattern=r"^[a-z0-9_-]+$")]


@dataclass(frozen=True)
class Site:
    """The URIs this platform mints, all under its public `site_url`."""

    url: str

    def at(self, path: str) -> URIRef:
        return URIRef(self.url.rstrip("/") + path)

    def dataset(self, name: str) -> URIRef:
        return self.at(f"/dataset/{quote(name, safe='')}")

    def member(self, member_id: str) -> URIRef:
        return self.at("/members/" + "/".join(quote(p, safe="") for p in member_id.split("/")))

    def records(self, name: str, fmt: str | None = None) -> URIRef:
        query = f"?format={fmt}" if fmt else ""
        return self.at(f"/api/v1/datasets/{quote(name, safe='')}/records{query}")

    def licence(self, license_id: str) -> URIRef:
        code = LICENCES.get(license_id.lower())
        if code:
            return URIRef(f"{EU}licence/{code}")
        return self.at(f"/licenses/{quote(license_id, safe='')}")

    def page(self, ext: str, page: int, size: int) -> URIRef:
        return self.at(f"/catalog.{ext}?" + urlencode({"page": page, "page_size": size}))


def new_graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def text(value: str, lang: str) -> Literal:
    """A language-tagged literal, NFC so that harvesters compare Vietnamese text exactly."""
    return Literal(nfc(value), lang=lang)


def utc(dt: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC
    return (dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)).astimezone(UTC)


def moment(dt: datetime) -> Literal:
    return Literal(utc(dt), datatype=XSD.dateTime)


def partial_date(value: str) -> Literal:
    """Temporal bounds are stored as YYYY, YYYY-MM or YYYY-MM-DD.

    >>> partial_date("2024").datatype == XSD.gYear
    True
    """
    kinds = {4: XSD.gYear, 7: XSD.gYearMonth}
    return Literal(value, datatype=kinds.get(len(value), XSD.date))


def typed(g: Graph, node: URIRef, cls: URIRef) -> URIRef:
    """Type a vocabulary term so SHACL class checks pass without importing the vocabulary."""
    g.add((node, RDF.type, cls))
    return node


def add_agent(g: Graph, node: URIRef, name: str) -> URIRef:
    g.add((node, RDF.type, FOAF.Agent))
    g.add((node, FOAF.name, text(name, "vi")))
    return node


def add_dataset(g: Graph, site: Site, view: dict[str, Any]) -> URIRef:
    """Describe one dataset and its distributions; return its URI."""
    ds = site.dataset(view["name"])
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.identifier, Literal(str(ds))))
    add_texts(g, ds, view)
    owner = add_agent(g, site.member(view["owner"]), view["owner_name"])
    g.add((ds, DCTERMS.publisher, owner))
    add_contact(g, ds, view["owner_name"])
    for tag in view["tags"]:
        g.add((ds, DCAT.keyword, text(tag, "vi")))
    g.add((ds, DCTERMS.language, typed(g, VIETNAMESE, DCTERMS.LinguisticSystem)))
    g.add((ds, DCTERMS.issued, moment(view["created_at"])))
    g.add((ds, DCTERMS.modified, moment(last_change(view))))
    rights = URIRef(EU + "access-right/" + ACCESS_RIGHTS[Classification(view["classification"])])
    g.add((ds, DCTERMS.accessRights, typed(g, rights, DCTERMS.RightsStatement)))
    add_coverage(g, site, ds, view)
    schema = add_schema(g, site, ds, view)
    for fmt in FORMATS:
        g.add((ds, DCAT.distribution, add_distribution(g, site, ds, view, fmt, schema)))
    return ds


def add_texts(g: Graph, ds: URIRef, view: dict[str, Any]) -> None:
    g.add((ds, DCTERMS.title, text(view["title"], "vi")))
    if view["title_en"]:
        g.add((ds, DCTERMS.title, text(view["title_en"], "en")))
    # dct:description is mandatory; a dataset saved without one falls back to its title
    g.add((ds, DCTERMS.description, text(view["description"] or view["title"], "vi")))


def add_contact(g: Graph, ds: URIRef, owner_name: str) -> None:
    contact = URIRef(f"{ds}#contact")
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, text(owner_name, "vi")))
    g.add((ds, DCAT.contactPoint, contact))


def last_change(view: dict[str, Any]) -> datetime:
    """Metadata or records, whichever changed last."""
    return max(utc(v) for v in (view["modified_at"], view["data_modified_at"]) if v)


def add_coverage(g: Graph, site: Site, ds: URIRef, view: dict[str, Any]) -> None:
    """Update frequency, administrative units and the period the data covers."""
    if view["update_frequency"]:
        code = FREQUENCIES[Frequency(view["update_frequency"])]
        freq = typed(g, URIRef(EU + "frequency/" + code), DCTERMS.Frequency)
        g.add((ds, DCTERMS.accrualPeriodicity, freq))
    for code in view["spatial"]:
        unit = typed(g, site.at(f"/api/v1/units/{quote(code, safe='')}"), DCTERMS.Location)
        g.add((ds, DCTERMS.spatial, unit))
    start, end = view["temporal"]["start"], view["temporal"]["end"]
    if start or end:
        period = typed(g, URIRef(f"{ds}#temporal"), DCTERMS.PeriodOfTime)
        if start:
            g.add((period, DCAT.startDate, partial_date(start)))
        if end:
            g.add((period, DCAT.endDate, partial_date(end)))
        g.add((ds, DCTERMS.temporal, period))


def add_schema(g: Graph, site: Site, ds: URIRef, view: dict[str, Any]) -> URIRef:
    """The dataset's Frictionless Table Schema, as a dct:Standard it conforms to."""
    schema = typed(g, URIRef(f"{ds}#schema"), DCTERMS.Standard)
    g.add((schema, DCTERMS.title, text(f"Table Schema: {view['title']}", "vi")))
    g.add((schema, DCTERMS.conformsTo, TABLE_SCHEMA_SPEC))
    # the native API returns the schema under its "schema" key
    g.add((schema, RDFS.seeAlso, site.at(f"/api/v1/datasets/{quote(view['name'], safe='')}")))
    g.add((ds, DCTERMS.conformsTo, schema))
    return schema


def add_distribution(
    g: Graph, site: Site, ds: URIRef, view: dict[str, Any], fmt: Format, schema: URIRef
) -> URIRef:
    """One download format of the records API."""
    dist = URIRef(f"{ds}#{fmt.key}")
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, text(f"{view['title']} ({fmt.label})", "vi")))
    if view["title_en"]:
        g.add((dist, DCTERMS.title, text(f"{view['title_en']} ({fmt.label})", "en")))
    g.add((dist, DCTERMS.description, text(f"Các bản ghi, dạng {fmt.label}", "vi")))
    g.add((dist, DCTERMS.description, text(f"The records, as {fmt.label}", "en")))
    g.add((dist, DCAT.accessURL, site.records(view["name"])))
    g.add((dist, DCAT.downloadURL, site.records(view["name"], fmt.key)))
    file_type = URIRef(EU + "file-type/" + fmt.file_type)
    g.add((dist, DCTERMS.format, typed(g, file_type, DCTERMS.MediaTypeOrExtent)))
    if fmt.media_type:
        media = typed(g, URIRef(IANA + fmt.media_type), DCTERMS.MediaType)
        g.add((dist, DCAT.mediaType, media))
    licence = typed(g, site.licence(view["license_id"]), DCTERMS.LicenseDocument)
    g.add((dist, DCTERMS.license, licence))
    g.add((dist, DCTERMS.conformsTo, schema))
    if view["data_modified_at"]:
        g.add((dist, DCTERMS.modified, moment(view["data_modified_at"])))
    return dist


def add_catalog(
    g: Graph, site: Site, instance: str, rows: list[RowMapping], datasets: Iterable[URIRef]
) -> URIRef:
    """The catalog itself; its dates span every dataset the caller sees, not one page."""
    cat = site.at("/catalog")
    g.add((cat, RDF.type, DCAT.Catalog))
    for lang, value in CATALOG_TITLE.items():
        g.add((cat, DCTERMS.title, text(value, lang)))
    for lang, value in CATALOG_DESCRIPTION.items():
        g.add((cat, DCTERMS.description, text(value, lang)))
    publisher = add_agent(g, site.at("/catalog#publisher"), f"Đơn vị vận hành LGSP ({instance})")
    g.add((publisher, FOAF.name, text(f"LGSP operator ({instance})", "en")))
    g.add((cat, DCTERMS.publisher, publisher))
    g.add((cat, FOAF.homepage, typed(g, site.at("/"), FOAF.Document)))
    for lang in (VIETNAMESE, ENGLISH):
        g.add((cat, DCTERMS.language, typed(g, lang, DCTERMS.LinguisticSystem)))
    if rows:
        g.add((cat, DCTERMS.issued, moment(min(r["created_at"] for r in rows))))
        changes = [utc(r[k]) for r in rows for k in ("modified_at", "data_modified_at") if r[k]]
        g.add((cat, DCTERMS.modified, moment(max(changes))))
    for ds in datasets:
        g.add((cat, DCAT.dataset, ds))
    return cat


def add_view(g: Graph, site: Site, cat: URIRef, ext: str, page: int, size: int, total: int) -> None:
    """Hydra paging: where this page sits among all pages of the catalog."""
    last = max(1, math.ceil(total / size))
    view = site.page(ext, page, size)
    g.add((view, RDF.type, HYDRA.PartialCollectionView))
    g.add((view, HYDRA.first, site.page(ext, 1, size)))
    g.add((view, HYDRA.last, site.page(ext, last, size)))
    if page > 1:
        g.add((view, HYDRA.previous, site.page(ext, page - 1, size)))
    if page < last:
        g.add((view, HYDRA.next, site.page(ext, page + 1, size)))
    g.add((view, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    g.add((cat, HYDRA.view, view))


def render(g: Graph, ext: str) -> Response:
    """Serialise with rdflib; JSON-LD is compacted with our prefixes as its context."""
    fmt, media_type = SERIALISATIONS[ext]
    extra: dict[str, Any] = {"context": PREFIXES} if fmt == "json-ld" else {}
    body = g.serialize(format=fmt, encoding="utf-8", **extra)
    # what a caller sees depends on its key: shared caches must not mix the two
    headers = {"Vary": "Authorization, X-API-Key"}
    return Response(content=body, media_type=media_type, headers=headers)


def catalog_graph(
    platform: Platform, principal: Principal | None, ext: str, page: int, size: int
) -> Graph:
    """One page of the datasets the caller may see, wrapped in the catalog."""
    site = Site(platform.settings.site_url)
    g = new_graph()
    with platform.store.read() as conn:
        rows = [r for r in service.active_rows(conn) if can_see(principal, r)]
        pages = max(1, math.ceil(len(rows) / size))
        if page > pages:
            raise NotFound(f"page {page} is past the last page of the catalog, {pages}")
        chosen = rows[(page - 1) * size : page * size]
        datasets = [add_dataset(g, site, service.dataset_view(conn, r)) for r in chosen]
    cat = add_catalog(g, site, platform.settings.instance, rows, datasets)
    add_view(g, site, cat, ext, page, size, len(rows))
    return g


def dataset_graph(platform: Platform, principal: Principal | None, name: str) -> Graph:
    g = new_graph()
    with platform.store.read() as conn:
        row = service.get_dataset(conn, name)
        require_visible(principal, row)
        add_dataset(g, Site(platform.settings.site_url), service.dataset_view(conn, row))
    return g


Responses = dict[int | str, dict[str, Any]]
TURTLE: Responses = {200: {"content": {"text/turtle": {}}, "description": "DCAT-AP 3, Turtle"}}
JSONLD: Responses = {
    200: {"content": {"application/ld+json": {}}, "description": "DCAT-AP 3, JSON-LD"}
}


@router.get("/catalog.ttl", response_class=Response, responses=TURTLE)
def catalog_turtle(
    platform: PlatformDep,
    principal: OptionalPrincipal,
    page: PageQuery = 1,
    page_size: PageSizeQuery = 100,
) -> Response:
    """The catalog as DCAT-AP 3 Turtle, one Hydra page at a time."""
    return render(catalog_graph(platform, principal, "ttl", page, page_size), "ttl")


@router.get("/catalog.jsonld", response_class=Response, responses=JSONLD)
def catalog_jsonld(
    platform: PlatformDep,
    principal: OptionalPrincipal,
    page: PageQuery = 1,
    page_size: PageSizeQuery = 100,
) -> Response:
    """The catalog as DCAT-AP 3 JSON-LD, one Hydra page at a time."""
    return render(catalog_graph(platform, principal, "jsonld", page, page_size), "jsonld")


@router.get("/dataset/{name}.ttl", response_class=Response, responses=TURTLE)
def dataset_turtle(platform: PlatformDep, principal: OptionalPrincipal, name: NamePath) -> Response:
    """One dataset as DCAT-AP 3 Turtle."""
    return render(dataset_graph(platform, principal, name), "ttl")


@router.get("/dataset/{name}.jsonld", response_class=Response, responses=JSONLD)
def dataset_jsonld(platform: PlatformDep, principal: OptionalPrincipal, name: NamePath) -> Response:
    """One dataset as DCAT-AP 3 JSON-LD."""
    return render(dataset_graph(platform, principal, name), "jsonld")
