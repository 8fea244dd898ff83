"""Plans, groups and tasks; progress rolled up from tasks to groups and plans."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import RowMapping

from lienthong.core.auth import Principal, Role
from lienthong.core.errors import Conflict, NotFound
from lienthong.core.platform import AuditSink
from lienthong.core.timeutil import utcnow
from lienthong.programs.models import GroupIn, PlanIn, Status, TaskIn, TaskPatch
from lienthong.programs.schema import plan_groups, plan_tasks, plans
from lienthong.registry.members import member_by_ref, member_view
from lienthong.registry.schema import members


@dataclass(frozen=True)
class Rollup:
    """Progress of a set of tasks: weighted by budget when every task has one."""

    tasks: int
    done: int
    overdue: int
    progress: float
    budget_vnd: int
    by_status: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return vars(self) | {"progress": round(self.progress, 1)}


def rollup(tasks: list[RowMapping], today: date) -> Rollup:
    """Budget-weighted mean progress (plain mean if any task lacks a budget); cancelled left out.

    >>> rollup([], date(2025, 1, 1)).progress
    0.0
    """
    live = [t for t in tasks if t["status"] != Status.CANCELLED]
    budgets = [t["budget_vnd"] for t in live]
    weighted = bool(live) and all(b for b in budgets)
    total_weight = sum(budgets) if weighted else len(live)
    progress = (
        sum(t["progress"] * (t["budget_vnd"] if weighted else 1) for t in live) / total_weight
        if total_weight
        else 0.0
    )
    by_status: dict[str, int] = {}
    for t in tasks:
        by_status[t["status"]] = by_status.get(t["status"], 0) + 1
    overdue = sum(
        1 for t in live if t["deadline"] and t["deadline"] < today and t["status"] != Status.DONE
    )
    return Rollup(
        tasks=len(tasks),
        done=by_status.get(Status.DONE, 0),
        overdue=overdue,
        progress=float(progress),
        budget_vnd=sum(b or 0 for b in budgets),
        by_status=by_status,
    )


def get_plan(conn: Connection, code: str) -> RowMapping:
    row = conn.execute(select(plans).where(plans.c.code == code)).mappings().first()
    if row is None:
        raise NotFound(f"plan '{code[:100]}' does not exist")
    return row


def _owner_id(conn: Connection, instance: str, ref: str) -> int:
    return int(member_by_ref(conn, instance, ref)["id"])


def _member_id_text(conn: Connection, member_id: int) -> str:
    row = conn.execute(select(members).where(members.c.id == member_id)).mappings().one()
    return str(member_view(row)["id"])


def create_plan(
    conn: Connection, audit: AuditSink, actor: Principal, instance: str, data: PlanIn
) -> dict[str, Any]:
    owner = _owner_id(conn, instance, data.owner)
    actor.require(owner, Role.PUBLISHER)
    if conn.execute(select(plans.c.id).where(plans.c.code == data.code)).first():
        raise Conflict(f"a plan with code '{data.code}' already exists")
    values = data.model_dump(exclude={"owner"}) | {"owner_member_id": owner, "created_at": utcnow()}
    conn.execute(insert(plans).values(**values))
    audit.record(
        conn, actor.actor, "plan.create", f"plan:{data.code}", {"title": data.title}, owner
    )
    return plan_view(conn, get_plan(conn, data.code), date.today())


def _tasks(conn: Connection, plan_id: int) -> list[RowMapping]:
    q = (
        select(plan_tasks, plan_groups.c.code.label("group_code"))
        .join(plan_groups, plan_groups.c.id == plan_tasks.c.group_id)
        .where(plan_groups.c.plan_id == plan_id)
        .order_by(plan_groups.c.position, plan_groups.c.code, plan_tasks.c.code)
    )
    return list(conn.execute(q).mappings())


def plan_view(
    conn: Connection, plan: RowMapping, today: date, with_tasks: bool = False
) -> dict[str, Any]:
    tasks = _tasks(conn, plan["id"])
    groups = list(
        conn.execute(
            select(plan_groups)
            .where(plan_groups.c.plan_id == plan["id"])
            .order_by(plan_groups.c.position, plan_groups.c.code)
        ).mappings()
    )
    view = {
        "code": plan["code"],
        "title": plan["title"],
        "document": plan["document"],
        "owner": _member_id_text(conn, plan["owner_member_id"]),
        "start": plan["start"],
        "end": plan["end"],
        "budget_vnd": plan["budget_vnd"],
        "description": plan["description"],
        "source": plan["source"],
        "rollup": rollup(tasks, today).as_dict(),
        "groups": [
            {
                "code": g["code"],
                "title": g["title"],
                "rollup": rollup([t for t in tasks if t["group_id"] == g["id"]], today).as_dict(),
            }
            for g in groups
        ],
    }
    if with_tasks:
        view["tasks"] = [task_view(conn, t) for t in tasks]
    return view


def task_view(conn: Connection, t: RowMapping) -> dict[str, Any]:
    return {
        "id": t["id"],
        "group": t["group_code"],
        "code": t["code"],
        "title": t["title"],
        "owner": _member_id_text(conn, t["owner_member_id"]),
        "budget_vnd": t["budget_vnd"],
        "deadline": t["deadline"],
        "status": t["status"],
        "progress": t["progress"],
        "indicators": json.loads(t["indicators"]),
        "notes": t["notes"],
        "updated_at": t["updated_at"],
    }


def list_plans(conn: Connection, today: date) -> list[dict[str, Any]]:
    rows = conn.execute(select(plans).order_by(plans.c.start, plans.c.code)).mappings()
    return [plan_view(conn, p, today) for p in rows]


def add_group(
    conn: Connection, audit: AuditSink, actor: Principal, plan: RowMapping, data: GroupIn
) -> None:
    actor.require(plan["owner_member_id"], Role.PUBLISHER)
    taken = conn.execute(
        select(plan_groups.c.id).where(
            plan_groups.c.plan_id == plan["id"], plan_groups.c.code == data.code
        )
    ).first()
    if taken:
        raise Conflict(f"plan '{plan['code']}' already has a group '{data.code}'")
    conn.execute(insert(plan_groups).values(plan_id=plan["id"], **data.model_dump()))
    audit.record(
        conn,
        actor.actor,
        "plan.group",
        f"plan:{plan['code']}",
        data.model_dump(),
        plan["owner_member_id"],
    )


def _group(conn: Connection, plan: RowMapping, code: str) -> RowMapping:
    row = (
        conn.execute(
            select(plan_groups).where(
                plan_groups.c.plan_id == plan["id"], plan_groups.c.code == code
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"plan '{plan['code']}' has no group '{code[:50]}'")
    return row


def put_task(
    conn: Connection,
    audit: AuditSink,
    actor: Principal,
    instance: str,
    plan: RowMapping,
    data: TaskIn,
) -> int:
    """Add a task, or replace the one with the same group and code; returns its id."""
    actor.require(plan["owner_member_id"], Role.PUBLISHER)
    group = _group(conn, plan, data.group)
    values = data.model_dump(exclude={"group", "owner"}) | {
        "group_id": group["id"],
        "owner_member_id": _owner_id(conn, instance, data.owner),
        "indicators": json.dumps(data.indicators),
        "status": data.status.value,
        "updated_at": utcnow(),
    }
    existing = conn.execute(
        select(plan_tasks.c.id).where(
            plan_tasks.c.group_id == group["id"], plan_tasks.c.code == data.code
        )
    ).scalar()
    if existing is None:
        tid = conn.execute(
            insert(plan_tasks).values(**values).returning(plan_tasks.c.id)
        ).scalar_one()
    else:
        conn.execute(update(plan_tasks).where(plan_tasks.c.id == existing).values(**values))
        tid = existing
    details = {"task": data.code, "status": data.status.value, "progress": data.progress}
    audit.record(
        conn, actor.actor, "plan.task", f"plan:{plan['code']}", details, plan["owner_member_id"]
    )
    return int(tid)


def update_task(
    conn: Connection,
    audit: AuditSink,
    actor: Principal,
    plan: RowMapping,
    task_id: int,
    patch: TaskPatch,
) -> dict[str, Any]:
    """Report progress: the plan's owner or the task's owner organisation may."""
    task = next((t for t in _tasks(conn, plan["id"]) if t["id"] == task_id), None)
    if task is None:
        raise NotFound(f"plan '{plan['code']}' has no task {task_id}")
    if not (
        actor.has_role(plan["owner_member_id"], Role.PUBLISHER)
        or actor.has_role(task["owner_member_id"], Role.PUBLISHER)
    ):
        actor.require(task["owner_member_id"], Role.PUBLISHER)
    changes = patch.model_dump(exclude_unset=True)
    if "indicators" in changes:
        changes["indicators"] = json.dumps(changes["indicators"])
    if changes.get("status") == Status.DONE:
        changes["progress"] = 100
    conn.execute(
        update(plan_tasks).where(plan_tasks.c.id == task_id).values(**changes, updated_at=utcnow())
    )
    audit.record(
        conn,
        actor.actor,
        "plan.progress",
        f"plan:{plan['code']}",
        {"task": task["code"]} | {k: str(v) for k, v in changes.items()},
        plan["owner_member_id"],
    )
    fresh = next(t for t in _tasks(conn, plan["id"]) if t["id"] == task_id)
    return task_view(conn, fresh)
