"""Native catalog API: datasets' metadata, versions and grants under /api/v1/datasets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from lienthong.catalog import grants as grant_service
from lienthong.catalog import service
from lienthong.catalog.access import can_see, require_visible
from lienthong.catalog.models import DatasetIn, DatasetPatch, GrantIn
from lienthong.core.auth import CurrentPrincipal, OptionalPrincipal
from lienthong.core.platform import PlatformDep

router = APIRouter(prefix="/api/v1/datasets", tags=["catalog"])

NamePath = Annotated[str, Path(max_length=100, pattern=r"^[a-z0-9_~-]+$")]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_dataset(
    platform: PlatformDep, principal: CurrentPrincipal, body: DatasetIn
) -> dict[str, Any]:
    """Create a dataset (metadata and Table Schema) and the table for its records."""
    with platform.store.write() as conn:
        return service.create_dataset(
            conn, platform.audit, principal, platform.settings.instance, body
        )


@router.get("")
def list_datasets(
    platform: PlatformDep,
    principal: OptionalPrincipal,
    owner: Annotated[str | None, Query(max_length=80)] = None,
    classification: Annotated[str | None, Query(max_length=20)] = None,
) -> list[dict[str, Any]]:
    """Datasets the caller may see: public ones for anyone, all for members."""
    with platform.store.read() as conn:
        views = [
            service.dataset_view(conn, r)
            for r in service.active_rows(conn)
            if can_see(principal, r)
        ]
    if owner:
        views = [v for v in views if v["owner"].endswith("/" + owner) or v["owner"] == owner]
    if classification:
        views = [v for v in views if v["classification"] == classification]
    return views


@router.get("/{name}")
def show_dataset(
    platform: PlatformDep, principal: OptionalPrincipal, name: NamePath
) -> dict[str, Any]:
    with platform.store.read() as conn:
        row = service.get_dataset(conn, name)
        require_visible(principal, row)
        return service.dataset_view(conn, row)


@router.patch("/{name}")
def update_dataset(
    platform: PlatformDep, principal: CurrentPrincipal, name: NamePath, body: DatasetPatch
) -> dict[str, Any]:
    """Change metadata or schema. Schema changes existing records do not allow are refused."""
    with platform.store.write() as conn:
        row = service.get_dataset(conn, name)
        return service.update_dataset(conn, platform.audit, principal, row, body)


@router.delete("/{name}", status_code=status.HTTP_204_NO_CONTENT)
def delete_dataset(platform: PlatformDep, principal: CurrentPrincipal, name: NamePath) -> Response:
    with platform.store.write() as conn:
        service.delete_dataset(conn, platform.audit, principal, service.get_dataset(conn, name))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{name}/versions")
def list_versions(
    platform: PlatformDep, principal: OptionalPrincipal, name: NamePath
) -> list[dict[str, Any]]:
    with platform.store.read() as conn:
        row = service.get_dataset(conn, name)
        require_visible(principal, row)
        return service.list_versions(conn, row)


@router.post("/{name}/grants", status_code=status.HTTP_201_CREATED)
def create_grant(
    platform: PlatformDep, principal: CurrentPrincipal, name: NamePath, body: GrantIn
) -> dict[str, Any]:
    with platform.store.write() as conn:
        row = service.get_dataset(conn, name)
        inst = platform.settings.instance
        return grant_service.create_grant(conn, platform.audit, principal, inst, row, body)


@router.get("/{name}/grants")
def list_grants(
    platform: PlatformDep, principal: CurrentPrincipal, name: NamePath
) -> list[dict[str, Any]]:
    with platform.store.read() as conn:
        return grant_service.list_grants(conn, principal, service.get_dataset(conn, name))


@router.post("/{name}/grants/{grant_id}/revoke")
def revoke_grant(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    name: NamePath,
    grant_id: Annotated[int, Path(ge=1, le=2**62)],
) -> dict[str, Any]:
    with platform.store.write() as conn:
        row = service.get_dataset(conn, name)
        return grant_service.revoke_grant(conn, platform.audit, principal, row, grant_id)
