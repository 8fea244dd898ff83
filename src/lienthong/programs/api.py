"""Programmes REST API under /api/v1/programs."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Path, UploadFile, status

from lienthong.core.auth import CurrentPrincipal
from lienthong.core.errors import ValidationFailed
from lienthong.core.platform import PlatformDep
from lienthong.programs import importer, service
from lienthong.programs.models import GroupIn, PlanIn, TaskIn, TaskPatch

router = APIRouter(prefix="/api/v1/programs", tags=["programs"])
CodePath = Annotated[str, Path(max_length=100, pattern=r"^[a-z0-9_-]+$")]
MAX_CSV = 5 * 2**20


@router.get("")
def list_plans(platform: PlatformDep) -> list[dict[str, Any]]:
    """Action plans with progress rolled up from their tasks (public)."""
    with platform.store.read() as conn:
        return service.list_plans(conn, date.today())


@router.post("", status_code=status.HTTP_201_CREATED)
def create_plan(platform: PlatformDep, principal: CurrentPrincipal, body: PlanIn) -> dict[str, Any]:
    with platform.store.write() as conn:
        return service.create_plan(
            conn, platform.audit, principal, platform.settings.instance, body
        )


@router.get("/{code}")
def show_plan(platform: PlatformDep, code: CodePath) -> dict[str, Any]:
    with platform.store.read() as conn:
        return service.plan_view(conn, service.get_plan(conn, code), date.today(), with_tasks=True)


@router.post("/{code}/groups", status_code=status.HTTP_201_CREATED)
def add_group(
    platform: PlatformDep, principal: CurrentPrincipal, code: CodePath, body: GroupIn
) -> dict[str, Any]:
    with platform.store.write() as conn:
        plan = service.get_plan(conn, code)
        service.add_group(conn, platform.audit, principal, plan, body)
        return service.plan_view(conn, plan, date.today())


@router.post("/{code}/tasks", status_code=status.HTTP_201_CREATED)
def put_task(
    platform: PlatformDep, principal: CurrentPrincipal, code: CodePath, body: TaskIn
) -> dict[str, Any]:
    """Add a task (or replace the one with the same group and code)."""
    with platform.store.write() as conn:
        plan = service.get_plan(conn, code)
        tid = service.put_task(
            conn, platform.audit, principal, platform.settings.instance, plan, body
        )
        view = service.plan_view(conn, plan, date.today(), with_tasks=True)
    return next(t for t in view["tasks"] if t["id"] == tid)


@router.patch("/{code}/tasks/{task_id}")
def update_task(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    code: CodePath,
    task_id: Annotated[int, Path(ge=1, le=2**62)],
    body: TaskPatch,
) -> dict[str, Any]:
    """Report a task's progress or status."""
    with platform.store.write() as conn:
        plan = service.get_plan(conn, code)
        return service.update_task(conn, platform.audit, principal, plan, task_id, body)


@router.post("/{code}/tasks/import")
def import_tasks(
    platform: PlatformDep,
    principal: CurrentPrincipal,
    code: CodePath,
    file: Annotated[
        UploadFile, File(description="CSV: group, group_title, code, title, owner, ...")
    ],
) -> dict[str, int]:
    """Import tasks from CSV (UTF-8): all rows or none."""
    raw = file.file.read(MAX_CSV + 1)
    if len(raw) > MAX_CSV:
        raise ValidationFailed(f"the CSV is larger than {MAX_CSV:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"the CSV is not UTF-8 (byte {exc.start:,})") from exc
    with platform.store.write() as conn:
        plan = service.get_plan(conn, code)
        return importer.import_tasks(
            conn, platform.audit, principal, platform.settings.instance, plan, text
        )
