"""The city's action plans, as the articles give them, with synthetic tasks.

The articles give each plan's shape (groups, task counts, budget), never its task list:
the tasks here are generated, deterministic, and labelled synthetic in their titles.
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import Connection, select
from sqlalchemy.engine import RowMapping

from lienthong.core.auth import Principal
from lienthong.core.platform import Platform
from lienthong.demo.packs import owners
from lienthong.programs import service
from lienthong.programs.models import GroupIn, PlanIn, Status, TaskIn
from lienthong.programs.schema import plans

SYNTHETIC = "(mô phỏng)"
OWNERS = [o.ref for o in owners.ALL if o.member_class == "GOV"]
# each group's theme, and the indicators of the shipped frameworks its tasks move
THEMES = [
    ("Chuyển đổi nhận thức số", ["DTI922_NTS"]),
    ("Hạ tầng số", ["DTI922_HTS"]),
    ("Dữ liệu số", ["TTHC_TL_SO_HOA"]),
    ("Chính quyền số", ["DTI922_CQS", "TTHC_TL_TOAN_TRINH"]),
    ("Kinh tế số", ["DTI922_KTS", "KTS_TY_TRONG"]),
    ("Xã hội số", ["DTI922_XHS"]),
    ("An toàn thông tin mạng", ["DTI922_ATTT"]),
    ("Nhân lực số", ["DTI922_NLS"]),
    ("Đô thị thông minh", []),  # not scored in the 922 DTI: nothing measures it
]

PLANS = [
    # (code, title, document, start, end, budget, tasks in each group, source)
    (
        "nq-03-ntu",
        "Chuyển đổi số thành phố Hải Phòng đến năm 2025, định hướng đến năm 2030",
        "Nghị quyết 03-NQ/TU của Ban Thường vụ Thành ủy",
        date(2021, 10, 26),
        date(2025, 12, 31),
        None,
        [],
        "seeds/000 (hội nghị quán triệt Nghị quyết 03, 21/4/2022)",
    ),
    (
        "ct-cds-2022-2023",
        "Chương trình chuyển đổi số giai đoạn 2022–2023",
        None,
        date(2022, 1, 1),
        date(2023, 12, 31),
        None,
        [15, 15, 15, 14, 18, 18, 18, 17, 17],
        "seeds/000: 9 nhóm, 147 nhiệm vụ; năm 2022: 59 nhiệm vụ thuộc 4 nhóm",
    ),
    (
        "kh-cds-2024",
        "Kế hoạch chuyển đổi số năm 2024",
        None,
        date(2024, 1, 1),
        date(2024, 12, 31),
        400_000_000_000,
        [12, 10, 10, 9, 9, 8, 8, 8, 7],
        "seeds/003: 81 nhiệm vụ, kinh phí khoảng 400 tỷ đồng",
    ),
]


def seed(platform: Platform, actor: Principal, today: date, rng_seed: int = 2025) -> int:
    """Create the plans that do not exist yet; return how many were created."""
    rng = random.Random(rng_seed)  # noqa: S311  (deterministic synthetic data, not secrets)
    created = 0
    with platform.store.write() as conn:
        for code, title, doc, start, end, budget, groups, source in PLANS:
            if conn.execute(select(plans.c.id).where(plans.c.code == code)).first():
                continue
            data = PlanIn(
                code=code,
                title=title,
                document=doc,
                owner="GOV/H31",
                start=start,
                end=end,
                budget_vnd=budget,
                source=source,
                description="Nhiệm vụ là dữ liệu mô phỏng; số nhóm, số nhiệm vụ và "
                "kinh phí theo bài báo dẫn nguồn.",
            )
            service.create_plan(conn, platform.audit, actor, platform.settings.instance, data)
            plan = service.get_plan(conn, code)
            _tasks(conn, platform, actor, plan, groups, budget, end, today, rng)
            created += 1
    return created


def _tasks(
    conn: Connection,
    platform: Platform,
    actor: Principal,
    plan: RowMapping,
    groups: list[int],
    budget: int | None,
    end: date,
    today: date,
    rng: random.Random,
) -> None:
    total = sum(groups)
    for g, count in enumerate(groups, start=1):
        theme, indicators = THEMES[g - 1]
        group = GroupIn(code=f"N{g}", title=f"{theme} {SYNTHETIC}", position=g)
        service.add_group(conn, platform.audit, actor, plan, group)
        for t in range(1, count + 1):
            deadline = _deadline(plan, g, end, rng)
            progress = (
                100 if deadline < today and rng.random() < 0.8 else rng.choice([0, 20, 40, 60, 80])
            )
            status = (
                Status.DONE
                if progress == 100
                else (Status.IN_PROGRESS if progress else Status.NOT_STARTED)
            )
            task = TaskIn(
                group=f"N{g}",
                code=f"{g}.{t}",
                title=f"Nhiệm vụ {g}.{t} — {theme.lower()} {SYNTHETIC}",
                indicators=indicators,
                owner=rng.choice(OWNERS),
                budget_vnd=(budget // total) if budget else None,
                deadline=deadline,
                status=status,
                progress=progress,
                notes="dữ liệu mô phỏng",
            )
            service.put_task(conn, platform.audit, actor, platform.settings.instance, plan, task)


def _deadline(plan: RowMapping, group: int, end: date, rng: random.Random) -> date:
    # the 2022–2023 programme put 59 tasks in its first 4 groups for 2022
    if plan["code"] == "ct-cds-2022-2023" and group <= 4:
        return date(2022, rng.randint(3, 12), 28)
    return date(end.year, rng.randint(3, 12), 28)
