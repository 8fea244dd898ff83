"""The action plan page."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "plan.title": ("Kế hoạch hành động chuyển đổi số", "Digital transformation action plan"),
    "plan.lede": (
        "Nghị quyết 03-NQ/TU và các chương trình hành động: nhóm nhiệm vụ, tiến độ, kinh phí "
        "và chỉ tiêu liên quan.",
        "Resolution 03-NQ/TU and its action programmes: task groups, progress, budgets and "
        "linked indicators.",
    ),
    "plan.placeholder_title": ("Chưa có kế hoạch nào được nạp", "No action plan loaded yet"),
    "plan.placeholder": (
        "Trang này dành cho phần kế hoạch hành động (chương trình 2022–2023 với 9 nhóm, 147 "
        "nhiệm vụ; năm 2024 với 81 nhiệm vụ). Phần này do bản trình diễn bổ sung; hiện chưa "
        "có nhiệm vụ nào, và trang không hiện nhiệm vụ giả.",
        "This page is kept for the action plan (the 2022–2023 programme of 9 groups and 147 "
        "tasks; 81 tasks in 2024). The demo part fills it; there are no tasks yet, and the "
        "page shows no made-up ones.",
    ),
    "plan.rollup": (
        "Tiến độ {pct}% · {tasks} nhiệm vụ, {done} hoàn thành, {overdue} quá hạn",
        "{pct}% done · {tasks} tasks, {done} done, {overdue} overdue",
    ),
    "plan.budget": ("kinh phí", "budget"),
    "plan.billion": ("{n} tỷ đồng", "VND {n} billion"),
    "plan.no_tasks": (
        "Kế hoạch khung: các nhiệm vụ thuộc các chương trình hành động bên dưới.",
        "A framework plan: its tasks belong to the action programmes below.",
    ),
    "plan.groups": ("Nhóm nhiệm vụ", "Task groups"),
    "plan.tasks": ("Nhiệm vụ", "Tasks"),
    "plan.filter": ("Lọc nhiệm vụ", "Filter the tasks"),
    "plan.all": ("Tất cả ({n})", "All ({n})"),
    "plan.overdue_n": ("{n} quá hạn", "{n} overdue"),
    "plan.no_match": ("Không có nhiệm vụ nào khớp bộ lọc.", "No task matches the filter."),
    "plan.col_code": ("Mã", "Code"),
    "plan.col_task": ("Nhiệm vụ", "Task"),
    "plan.col_owner": ("Đơn vị chủ trì", "Lead agency"),
    "plan.col_budget": ("Kinh phí", "Budget"),
    "plan.col_deadline": ("Hạn", "Deadline"),
    "plan.col_status": ("Trạng thái", "Status"),
    "plan.col_progress": ("Tiến độ", "Progress"),
    "plan.col_indicators": ("Chỉ tiêu liên quan", "Linked indicators"),
    "task.not_started": ("Chưa bắt đầu", "Not started"),
    "task.in_progress": ("Đang thực hiện", "In progress"),
    "task.done": ("Hoàn thành", "Done"),
    "task.cancelled": ("Đã huỷ", "Cancelled"),
    "task.overdue": ("Quá hạn", "Overdue"),
}
