"""The action plans: every plan with its progress, budget and groups; one plan's tasks
with their owners, deadlines, status, progress and linked indicators."""

from __future__ import annotations

import importlib
import logging
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from lienthong.core.errors import NotFound
from lienthong.web.render import Web, render
from lienthong.web.routing import WebRoute
from lienthong.web.sources import scores

router = APIRouter(route_class=WebRoute, include_in_schema=False)
log = logging.getLogger("lienthong.web.plan")

CodePath = Annotated[str, Path(max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")]
GroupQ = Annotated[str | None, Query(max_length=50, pattern=r"^[A-Za-z0-9._-]+$")]
StatusQ = Annotated[
    str | None, Query(pattern=r"^(not_started|in_progress|done|cancelled|overdue)$")
]
SYNTHETIC_MARK = "mô phỏng"


@router.get("/plan")
def plan_page(ctx: Web) -> Response:
    """Plans with their roll-up when the programs part holds any; otherwise say so."""
    return render(ctx, "plan.html", plans=[_decorate(p) for p in _plans(ctx)])


@router.get("/plan/{code}")
def plan_detail(ctx: Web, code: CodePath, group: GroupQ = None, status: StatusQ = None) -> Response:
    """One plan: its groups' progress and its tasks, filtered by group or status."""
    service = _service()
    if service is None:
        raise NotFound("the programs part is not installed")
    today = date.today()
    with ctx.platform.store.read() as conn:
        view = service.plan_view(conn, service.get_plan(conn, code), today, with_tasks=True)
    tasks = [_task(t, today) for t in view["tasks"]]
    shown = [
        t
        for t in tasks
        if (group is None or t["group"] == group)
        and (status is None or (t["overdue"] if status == "overdue" else t["status"] == status))
    ]
    return render(
        ctx,
        "plan_detail.html",
        plan=_decorate(view),
        tasks=shown,
        total=len(tasks),
        group=group,
        chosen=status,
        titles={g["code"]: g["title"] for g in view["groups"]},
    )


def _service() -> Any | None:
    try:
        return importlib.import_module("lienthong.programs.service")
    except ImportError:
        return None


def _plans(ctx: Web) -> list[dict[str, Any]]:
    service = _service()
    if service is None:
        return []
    try:
        with ctx.platform.store.read() as conn:
            return list(service.list_plans(conn, date.today()))
    except Exception:  # an unreadable programs part must not take the page down
        log.warning("action plans not readable", exc_info=True)
        return []


def _decorate(plan: dict[str, Any]) -> dict[str, Any]:
    """A plan as the pages show it: whether its tasks are synthetic, said once."""
    text = f"{plan.get('description') or ''} {' '.join(g['title'] for g in plan['groups'])}"
    return plan | {"synthetic": SYNTHETIC_MARK in text}


def _task(t: dict[str, Any], today: date) -> dict[str, Any]:
    deadline = t["deadline"]
    late = bool(deadline and deadline < today and t["status"] not in ("done", "cancelled"))
    linked = []
    for code in t["indicators"]:
        info = scores.info_of(code)
        linked.append({"code": code, "title": info.title if info else code})
    return t | {"overdue": late, "linked": linked}
