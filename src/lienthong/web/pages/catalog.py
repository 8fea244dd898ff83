"""Catalog pages: datasets with their schema and classification, masked sample rows."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from lienthong.catalog.models import Classification
from lienthong.core.errors import Forbidden, Unauthenticated, ValidationFailed
from lienthong.warehouse import reads
from lienthong.web.render import Web, render
from lienthong.web.routing import WebRoute
from lienthong.web.sources import catalog

router = APIRouter(route_class=WebRoute, include_in_schema=False)

SAMPLE_ROWS = 8
CLASSES = tuple(c.value for c in Classification)


@router.get("/datasets")
def datasets(
    ctx: Web,
    q: Annotated[str, Query(max_length=200)] = "",
    classification: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """Every dataset the viewer may see; search ignores diacritics and case."""
    wanted = classification if classification in CLASSES else ""
    with ctx.platform.store.read() as conn:
        cards = catalog.search(conn, ctx.principal, q, wanted)
        size = catalog.warehouse_size(conn)
    return render(
        ctx, "datasets.html", cards=cards, q=q, classification=wanted, classes=CLASSES, size=size
    )


@router.get("/datasets/{name}")
def dataset(
    ctx: Web, name: Annotated[str, Path(max_length=100, pattern=r"^[a-z0-9_-]+$")]
) -> Response:
    """One dataset: metadata, Table Schema, and a few rows as this viewer may read them."""
    with ctx.platform.store.read() as conn:
        view = catalog.detail(conn, ctx.principal, name)
    sample, sample_note = _sample(ctx, name)
    return render(ctx, "dataset.html", ds=view, sample=sample, sample_note=sample_note)


def _sample(ctx: Web, name: str) -> tuple[dict[str, Any] | None, str]:
    """The first rows through the warehouse's own read path: masking and audit included."""
    try:
        got = reads.read(ctx.platform, ctx.principal, name, {"limit": SAMPLE_ROWS, "total": "none"})
    except Unauthenticated:
        return None, "sample.login"
    except Forbidden:
        return None, "sample.forbidden"
    except ValidationFailed:
        return None, "sample.unavailable"
    page = got.page
    return {
        "fields": [f for f in page.fields if f != "_id"],
        "rows": page.records,
        "masked": sorted(got.access.masked),
    }, ""
