"""Tasks from CSV: every row checked first, then all written in one transaction, or none."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, select
from sqlalchemy.engine import RowMapping

from lienthong.core.auth import Principal
from lienthong.core.errors import ValidationFailed
from lienthong.core.platform import AuditSink
from lienthong.programs.models import GroupIn, TaskIn
from lienthong.programs.schema import plan_groups
from lienthong.programs.service import add_group, put_task

COLUMNS = (
    "group",
    "group_title",
    "code",
    "title",
    "owner",
    "budget_vnd",
    "deadline",
    "status",
    "progress",
    "indicators",
    "notes",
)
MAX_ROWS = 20_000


def _date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text[:40]}' is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _row(raw: dict[str, str]) -> TaskIn:
    values: dict[str, Any] = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    data: dict[str, Any] = {k: values[k] for k in ("group", "code", "title", "owner", "notes")}
    data["status"] = values["status"] or "not_started"
    data["progress"] = int(values["progress"] or 0)
    data["deadline"] = _date(values["deadline"])
    if values["budget_vnd"]:
        data["budget_vnd"] = int(values["budget_vnd"].replace(".", "").replace(",", ""))
    data["indicators"] = [i.strip() for i in values["indicators"].split(";") if i.strip()]
    return TaskIn.model_validate(data)


def parse(text: str) -> tuple[list[TaskIn], dict[str, str]]:
    """Rows as tasks and the group titles they name; ValidationFailed lists every bad row."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("group", "code", "title", "owner") if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationFailed(f"the CSV lacks the columns: {', '.join(missing)}")
    tasks: list[TaskIn] = []
    titles: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    for n, raw in enumerate(reader, start=1):
        if n > MAX_ROWS:
            raise ValidationFailed(f"more than {MAX_ROWS:,} rows: split the file")
        try:
            tasks.append(_row(raw))
        except (ValidationError, ValueError) as exc:
            problems[f"row {n:,}"] = [_message(exc)]
            continue
        if raw.get("group_title"):
            titles[raw["group"].strip()] = raw["group_title"].strip()
    if problems:
        first = next(iter(problems.items()))
        raise ValidationFailed(
            f"{len(problems):,} bad rows; {first[0]}: {first[1][0]}", errors=problems
        )
    return tasks, titles


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    return str(exc)


def import_tasks(
    conn: Connection, audit: AuditSink, actor: Principal, instance: str, plan: RowMapping, text: str
) -> dict[str, int]:
    tasks, titles = parse(text)
    known = set(
        conn.execute(
            select(plan_groups.c.code).where(plan_groups.c.plan_id == plan["id"])
        ).scalars()
    )
    for code in sorted({t.group for t in tasks} - known):
        if code not in titles:
            raise ValidationFailed(f"group '{code}' does not exist: give its title in group_title")
        add_group(conn, audit, actor, plan, GroupIn(code=code, title=titles[code]))
    for t in tasks:
        put_task(conn, audit, actor, instance, plan, t)
    return {"tasks": len(tasks), "groups_created": len({t.group for t in tasks} - known)}
