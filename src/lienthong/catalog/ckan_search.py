"""CKAN's package_search over the catalog: q and fq (see `ckan_query`), sort, paging, facets.

Each visible dataset becomes a `Doc` holding what CKAN's Solr index holds of a package; the
search runs in Python over them, which suits a province's catalog of some thousands.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.engine import RowMapping

# the module, not its names: whichever of the CKAN modules is imported first, the others
# may still be half-initialised, and names are looked up only when an action runs
from lienthong.catalog import ckan_actions as base
from lienthong.catalog.ckan import ActionContext, action
from lienthong.catalog.ckan_query import DATES, Doc, Parser, SearchQueryError, aware, words
from lienthong.core.errors import ValidationFailed
from lienthong.core.vntext import fold

ROWS_MAX = 1000  # CKAN's ckan.search.rows_max: larger requests are cut to it, not refused
DEFAULT_SORT = "score desc, metadata_modified desc"
_MAX_QUERY = 10_000
_SORTS = frozenset({"score", "name", "title_string", "id", *DATES})


def make_doc(ctx: ActionContext, row: RowMapping, member: RowMapping) -> Doc:
    org_name = base.org_name(member)
    tags = list(json.loads(row["tags"]))
    extras = {"classification": row["classification"], "update_frequency": row["update_frequency"]}
    keys = {
        "id": [base.ckan_id(ctx.instance, "dataset", row["id"])],
        "name": [row["name"]],
        "organization": [org_name],
        "owner_org": [base.ckan_id(ctx.instance, "member", member["id"])],
        "tags": tags,
        "res_format": ["CSV"],
        "license_id": [row["license_id"]],
        "groups": [],
        "dataset_type": ["dataset"],
        "type": ["dataset"],
        "state": ["active"],
        "capacity": ["private" if row["classification"] == "restricted" else "public"],
        **{f"extras_{k}": [v] for k, v in extras.items() if v},
    }
    name_words = row["name"].replace("-", " ").replace("_", " ")
    titles = [row["title"], row["title_en"], name_words]
    # what CKAN copies into Solr's text field, of what we hold: the organization by name
    fields = [" ".join(words(t)) for t in [*titles, row["description"], *tags, org_name]]
    dates = {"metadata_modified": row["modified_at"], "metadata_created": row["created_at"]}
    return Doc(
        keys=keys,
        dates={k: aware(v) for k, v in dates.items()},
        text=frozenset(" ".join(fields).split()),
        phrases=f" {' | '.join(fields)} ",
        title_words=frozenset(words(*titles)),
        source=(row, member),
    )


def _row(doc: Doc) -> RowMapping:
    row: RowMapping = doc.source[0]
    return row


def _member(doc: Doc) -> RowMapping:
    member: RowMapping = doc.source[1]
    return member


# --- sorting, facets, the action ---------------------------------------------------------
def parse_sort(text: str) -> list[tuple[str, bool]]:
    """[(field, descending)], or SearchQueryError as CKAN gives for a bad sort."""
    out = []
    for part in text.split(","):
        name, _, direction = part.strip().partition(" ")
        direction = direction.strip().lower()
        if name not in _SORTS or direction not in ("asc", "desc"):
            raise SearchQueryError('Invalid "sort" parameter')
        out.append((name, direction == "desc"))
    return out


def _sort_key(doc: Doc, name: str) -> Any:
    if name == "score":
        return doc.score
    if name in DATES:
        return doc.dates[name]
    if name == "title_string":
        return (fold(_row(doc)["title"]), _row(doc)["title"])
    return doc.keys[name][0]


def sort_docs(docs: list[Doc], spec: list[tuple[str, bool]]) -> list[Doc]:
    docs = sorted(docs, key=lambda d: _row(d)["name"])  # a stable order for equal keys
    for name, desc in reversed(spec):
        docs.sort(key=_by(name), reverse=desc)
    return docs


def _by(name: str) -> Callable[[Doc], Any]:
    return lambda d: _sort_key(d, name)


def facets(docs: Iterable[Doc], names: list[str], limit: int) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name in names:
        counts = Counter(v for d in docs for v in set(d.keys.get(name, ())))
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        out[name] = dict(ranked if limit < 0 else ranked[:limit])
    return out


def search_facets(result: dict[str, dict[str, int]], docs: list[Doc]) -> dict[str, Any]:
    titles = {base.org_name(_member(d)): _member(d)["name"] for d in docs}
    out: dict[str, Any] = {}
    for name, counts in result.items():
        shown = titles if name == "organization" else base.LICENSES if name == "license_id" else {}
        items = [
            {"name": k, "display_name": shown.get(k) or k, "count": n} for k, n in counts.items()
        ]
        # CKAN sorts by display name, descending, after its plugins ran
        items.sort(key=lambda i: i["display_name"], reverse=True)
        out[name] = {"title": name, "items": items}
    return out


def _facet_fields(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValidationFailed("facet.field", errors={"facet.field": ["Not a list of strings"]})
    return names


def _query(name: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > _MAX_QUERY:
        raise ValidationFailed(name, errors={name: [f"a string of at most {_MAX_QUERY} chars"]})
    return value


def _filters(data: dict[str, Any]) -> list[Any]:
    """fq, repeated or not, and CKAN's fq_list: each must hold."""
    found = []
    for key in ("fq", "fq_list"):
        value = data.get(key)
        found += value if isinstance(value, list) else [] if value is None else [value]
    return found


def _fl(value: Any) -> list[str] | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, list) else str(value).replace(",", " ").split()


@action("package_search")
def package_search(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Search datasets: q, fq, sort, rows (≤ 1000), start, facet.field, facet.limit,
    include_private, fl. Returns {count, results, facets, search_facets, sort}."""
    rows = min(base.as_natural(data.get("rows"), "rows", 10), ROWS_MAX)
    start = base.as_natural(data.get("start"), "start", 0)
    facet_limit = base.as_int(data.get("facet.limit"), "facet.limit", 50)
    names = _facet_fields(data.get("facet.field"))
    sort = _query("sort", data.get("sort")).strip() or DEFAULT_SORT
    spec = parse_sort(sort)
    q_parser = Parser(_query("q", data.get("q")))
    preds = [q_parser.parse()]
    preds += [Parser(_query("fq", f)).parse() for f in _filters(data)]
    with ctx.platform.store.read() as conn:
        members = base.members_by_id(conn, ctx.instance)
        shown = base.visible_rows(conn, ctx.principal, base.as_bool(data.get("include_private")))
        docs = [make_doc(ctx, r, members[int(r["owner_member_id"])]) for r in shown]
    found = [d for d in docs if all(p is None or p(d) for p in preds)]
    for d in found:
        d.score = sum(2.0 if w in d.title_words else 1.0 for w in q_parser.words if w in d.text)
    page = sort_docs(found, spec)[start : start + rows]
    results = [base.package_dict(ctx, _row(d), _member(d)) for d in page]
    wanted = _fl(data.get("fl"))
    if wanted:
        results = [{k: r.get(k) for k in wanted} for r in results]
    counted = facets(found, names, facet_limit)
    return {
        "count": len(found),
        "results": results,
        "facets": counted,
        "search_facets": search_facets(counted, found),
        "sort": sort,
    }
