"""Native warehouse API: records of a dataset — query, download, ingest, delete."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from lienthong.catalog.service import get_dataset
from lienthong.core.auth import CurrentPrincipal, OptionalPrincipal, Role
from lienthong.core.errors import ValidationFailed
from lienthong.core.platform import PlatformDep
from lienthong.warehouse import export, reads
from lienthong.warehouse.delete import delete_matching
from lienthong.warehouse.ingest import Source, ingest
from lienthong.warehouse.writer import Mode

router = APIRouter(prefix="/api/v1/datasets", tags=["warehouse"])

NamePath = Annotated[str, PathParam(max_length=100, pattern=r"^[a-z0-9_-]+$")]
MAX_RECORDS = 100_000


class RecordsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    records: list[dict[str, Any]] = Field(max_length=MAX_RECORDS)
    mode: Mode = Mode.INSERT
    on_error: Literal["fail", "reject"] = "fail"


@router.get("/{name}/records")
def read_records(
    request: Request, platform: PlatformDep, principal: OptionalPrincipal, name: NamePath
) -> Any:
    """Records, filtered and paged.

    Filters are `field=value`, `field__in=a,b`, `field__gte=…` (gt, gte, lt, lte),
    `field__prefix=…`, `field__null=true`; `q` searches text ignoring diacritics;
    `fields`, `sort` (`-ngay_nop,ma`), `limit` (≤ 32,000), `after` (the `next` cursor),
    `total` (exact | estimate | none). `format=csv|ndjson|parquet|xlsx` downloads every
    matching record instead of a page.
    """
    params = _params(request)
    fmt = params.pop("format", None) or "json"
    if fmt != "json":
        return _download(platform, principal, name, params, fmt)
    result = reads.read(platform, principal, name, params)
    page = result.page
    types = {f.name: f.type for f in result.schema.fields} | {"_id": "integer"}
    return {
        "dataset": name,
        "fields": [{"id": f, "type": types[f]} for f in page.fields],
        "records": page.records,
        "total": page.total,
        "total_was_estimated": page.total_was_estimated,
        "next": page.next_after,
        "masked": sorted(result.access.masked),
    }


def _params(request: Request) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        out[key[:100]] = values if len(values) > 1 else values[0]
    return out


def _download(
    platform: Any, principal: Any, name: str, params: dict[str, Any], fmt: str
) -> StreamingResponse:
    if fmt not in export.MEDIA_TYPES:
        raise ValidationFailed(
            f"format is json, {', '.join(export.MEDIA_TYPES)}", errors={"format": ["unknown"]}
        )
    fields, kinds, chunks = reads.read_all(platform, principal, name, params)
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    body = export.stream(fmt, fields, kinds, chunks)
    return StreamingResponse(body, media_type=export.MEDIA_TYPES[fmt], headers=headers)


@router.post("/{name}/records")
def add_records(
    platform: PlatformDep, principal: CurrentPrincipal, name: NamePath, body: RecordsIn
) -> dict[str, Any]:
    """Ingest JSON records: all-or-nothing, or `on_error=reject` to set bad rows aside."""
    src = Source.json_records(body.records)
    return ingest(platform, principal, name, src, body.mode, reject=body.on_error == "reject")


@router.post("/{name}/upload")
def upload(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    name: NamePath,
    file: Annotated[UploadFile, File(description="CSV, TSV, XLSX, JSON, NDJSON or Parquet")],
    mode: Annotated[Mode, Form()] = Mode.INSERT,
    on_error: Annotated[Literal["fail", "reject"], Form()] = "fail",
    format: Annotated[str | None, Form(max_length=10)] = None,
    encoding: Annotated[str | None, Form(max_length=30)] = None,
) -> dict[str, Any]:
    """Ingest an uploaded file; its encoding is detected unless given."""
    with platform.store.read() as conn:
        dataset = get_dataset(conn, name)
    principal.require(dataset["owner_member_id"], Role.PUBLISHER)
    suffix = Path(file.filename or "upload").suffix.lower()[:10]
    uploads = platform.settings.data_dir / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=uploads, suffix=suffix, delete=True) as tmp:
        shutil.copyfileobj(file.file, tmp, length=1 << 20)
        tmp.flush()
        src = Source(
            file.filename or "upload", path=Path(tmp.name), format=format, encoding=encoding
        )
        return ingest(platform, principal, name, src, mode, reject=on_error == "reject")


@router.delete("/{name}/records")
def delete_records(
    request: Request, platform: PlatformDep, principal: CurrentPrincipal, name: NamePath
) -> dict[str, Any]:
    """Delete the records matching the filters (at least one filter is required)."""
    params = _params(request)
    if not any(k not in reads.RESERVED for k in params):
        raise ValidationFailed("give at least one filter; to empty a dataset use mode=replace")
    return delete_matching(platform, principal, name, params)
