"""Action plans: life cycle, progress roll-up, CSV import, permissions, bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from lienthong.app import create_app
from lienthong.core.platform import Platform
from lienthong.programs import api as programs_api
from lienthong.programs.service import rollup
from tests.utils import CUSTOMS, audit_count, auth, grant, make_member, make_user, ok, user_key

PLAN = {
    "code": "kh-cds-2024",
    "title": "Kế hoạch chuyển đổi số năm 2024",
    "document": "Kế hoạch chuyển đổi số năm 2024 (81 nhiệm vụ, khoảng 400 tỷ đồng)",
    "owner": "GOV/H31",
    "start": "2024-01-01",
    "end": "2024-12-31",
    "budget_vnd": 400_000_000_000,
    "source": "shared/seeds/002 (synthetic tasks; totals from the article)",
}
CSV = (
    "group,group_title,code,title,owner,budget_vnd,deadline,status,progress,indicators,notes\n"
    "N1,Hạ tầng số,1.1,Phủ sóng 5G khu công nghiệp,GOV/H31,3000000000,2024-06-30,done,100,,\n"
    "N1,Hạ tầng số,1.2,Trung tâm dữ liệu,GOV/H31,1000000000,30/09/2024,in_progress,40,"
    "dti.ht;de.share,\n"
    "N2,Dữ liệu số,2.1,Kho dữ liệu dùng chung,GOV/G12.31,,2024-03-31,in_progress,50,,\n"
)


@pytest.fixture
def api(platform: Platform) -> TestClient:
    app = create_app(platform=platform)
    app.include_router(programs_api.router)
    return TestClient(app, raise_server_exceptions=False)


def _import(api: TestClient, token: str, text: str) -> object:
    files = {"file": ("tasks.csv", text.encode(), "text/csv")}
    return api.post(
        f"/api/v1/programs/{PLAN['code']}/tasks/import", files=files, headers=auth(token)
    )


def test_plan_life_cycle_and_rollup(api: TestClient, admin_token: str) -> None:
    make_member(api, admin_token)
    make_member(api, admin_token, CUSTOMS)
    ok(api.post("/api/v1/programs", json=PLAN, headers=auth(admin_token)), 201)
    result = ok(_import(api, admin_token, CSV))
    assert result == {"tasks": 3, "groups_created": 2}
    plan = ok(api.get(f"/api/v1/programs/{PLAN['code']}"))
    assert [g["code"] for g in plan["groups"]] == ["N1", "N2"]
    n1 = plan["groups"][0]["rollup"]
    # budget-weighted: (100 × 3bn + 40 × 1bn) / 4bn = 85
    assert n1["progress"] == 85.0
    assert n1["tasks"] == 2
    # one task without a budget: the plan's mean is plain, (100 + 40 + 50) / 3
    assert plan["rollup"]["progress"] == pytest.approx(63.3, abs=0.05)
    assert plan["rollup"]["done"] == 1
    assert plan["rollup"]["overdue"] == 2  # deadlines in 2024 not done
    task = next(t for t in plan["tasks"] if t["code"] == "1.2")
    assert task["indicators"] == ["dti.ht", "de.share"]
    assert task["deadline"] == "2024-09-30"

    done = ok(
        api.patch(
            f"/api/v1/programs/{PLAN['code']}/tasks/{task['id']}",
            json={"status": "done"},
            headers=auth(admin_token),
        )
    )
    assert done["progress"] == 100
    again = ok(api.get(f"/api/v1/programs/{PLAN['code']}"))
    assert again["groups"][0]["rollup"]["progress"] == 100.0
    listed = ok(api.get("/api/v1/programs"))
    assert listed[0]["code"] == PLAN["code"]


def test_task_owner_reports_progress_but_not_others(
    api: TestClient, admin_token: str, platform: Platform
) -> None:
    make_member(api, admin_token)
    make_member(api, admin_token, CUSTOMS)
    ok(api.post("/api/v1/programs", json=PLAN, headers=auth(admin_token)), 201)
    ok(_import(api, admin_token, CSV))
    make_user(api, admin_token, "haiquan")
    grant(api, admin_token, "haiquan", "publisher", "GOV/G12.31")
    customs = user_key(api, admin_token, "haiquan")
    tasks = ok(api.get(f"/api/v1/programs/{PLAN['code']}"))["tasks"]
    theirs = next(t for t in tasks if t["owner"] == "VN/GOV/G12.31")
    other = next(t for t in tasks if t["owner"] == "VN/GOV/H31")
    url = f"/api/v1/programs/{PLAN['code']}/tasks"
    assert (
        ok(api.patch(f"{url}/{theirs['id']}", json={"progress": 70}, headers=auth(customs)))[
            "progress"
        ]
        == 70
    )
    before = audit_count(platform.store)
    assert (
        api.patch(f"{url}/{other['id']}", json={"progress": 5}, headers=auth(customs)).status_code
        == 403
    )
    assert (
        api.post(
            url,
            json={"group": "N1", "code": "9", "title": "x", "owner": "GOV/H31"},
            headers=auth(customs),
        ).status_code
        == 403
    )
    assert audit_count(platform.store) == before


def test_csv_import_is_all_or_nothing(api: TestClient, admin_token: str) -> None:
    make_member(api, admin_token)
    ok(api.post("/api/v1/programs", json=PLAN, headers=auth(admin_token)), 201)
    bad = CSV.replace("2024-06-30,done,100", "2024-06-31,done,100").replace(",40,", ",140,")
    resp = _import(api, admin_token, bad)
    assert resp.status_code == 422
    body = resp.json()
    assert "row 1" in body["errors"]
    assert "row 2" in body["errors"]
    assert "is not a date" in body["errors"]["row 1"][0]
    assert ok(api.get(f"/api/v1/programs/{PLAN['code']}"))["rollup"]["tasks"] == 0
    missing = _import(api, admin_token, "code,title\n1,x\n")
    assert missing.status_code == 422
    assert "lacks the columns" in missing.json()["detail"]
    not_utf8 = api.post(
        f"/api/v1/programs/{PLAN['code']}/tasks/import",
        files={"file": ("t.csv", "group,code\nN1,Hà".encode("cp1258"), "text/csv")},
        headers=auth(admin_token),
    )
    assert not_utf8.status_code == 422


def test_bad_plans_are_refused(api: TestClient, admin_token: str) -> None:
    make_member(api, admin_token)
    for body in (
        {**PLAN, "code": "../x"},
        {**PLAN, "end": "2023-01-01"},
        {**PLAN, "budget_vnd": -1},
        {**PLAN, "owner": "GOV/H99"},
        {**PLAN, "extra": 1},
    ):
        resp = api.post("/api/v1/programs", json=body, headers=auth(admin_token))
        assert resp.status_code in (404, 422), body
    ok(api.post("/api/v1/programs", json=PLAN, headers=auth(admin_token)), 201)
    assert api.post("/api/v1/programs", json=PLAN, headers=auth(admin_token)).status_code == 409
    assert api.get("/api/v1/programs/nope").status_code == 404
    assert (
        api.patch(
            f"/api/v1/programs/{PLAN['code']}/tasks/999",
            json={"progress": 1},
            headers=auth(admin_token),
        ).status_code
        == 404
    )


def test_rollup_without_tasks_and_with_cancelled() -> None:
    today = date(2025, 1, 1)
    assert rollup([], today).progress == 0.0
    tasks = [
        {
            "status": "cancelled",
            "progress": 0,
            "budget_vnd": 5,
            "deadline": today - timedelta(days=1),
        },
        {
            "status": "in_progress",
            "progress": 30,
            "budget_vnd": 5,
            "deadline": today + timedelta(days=1),
        },
    ]
    r = rollup(tasks, today)  # type: ignore[arg-type]
    assert r.progress == 30.0
    assert r.overdue == 0
    assert r.by_status == {"cancelled": 1, "in_progress": 1}
