"""The data catalogue: the dataset list, a dataset's page, its sample rows."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # catalog
    "datasets.title": ("Danh mục kho dữ liệu dùng chung", "Shared data warehouse catalogue"),
    "datasets.lede": (
        "Các bộ dữ liệu trên nền tảng, với lược đồ, phân loại và dữ liệu mẫu. Tìm kiếm "
        "không phân biệt dấu: “hai phong” tìm ra “Hải Phòng”.",
        "The platform's datasets with their schema, classification and sample rows. "
        "Search ignores diacritics: “hai phong” finds “Hải Phòng”.",
    ),
    "datasets.search": ("Tìm", "Search"),
    "datasets.search_hint": (
        "Tìm theo tên, cơ quan, trường dữ liệu…",
        "Search by name, agency, field…",
    ),
    "datasets.classification": ("Phân loại", "Classification"),
    "datasets.all_classes": ("Mọi phân loại", "Every classification"),
    "datasets.count": ("{n} bộ dữ liệu", "{n} datasets"),
    "datasets.public_only": (
        "đăng nhập để xem dữ liệu dùng chung",
        "log in to see shared data",
    ),
    "datasets.records": ("Bản ghi", "Records"),
    "datasets.fields": ("Trường", "Fields"),
    "datasets.personal": ("Trường cá nhân", "Personal fields"),
    "datasets.none": ("Không có bộ dữ liệu phù hợp", "No matching dataset"),
    "datasets.none_help": (
        "Thử từ khoá khác, hoặc đăng nhập để xem dữ liệu dùng chung.",
        "Try other words, or log in to see shared data.",
    ),
    "dataset.about": ("Thông tin", "About"),
    "dataset.data_modified": ("Dữ liệu thay đổi lúc", "Records changed"),
    "dataset.license": ("Giấy phép", "Licence"),
    "dataset.frequency": ("Tần suất cập nhật", "Update frequency"),
    "dataset.version": ("Phiên bản", "Version"),
    "dataset.tags": ("Thẻ", "Tags"),
    "dataset.schema": ("Lược đồ (Table Schema)", "Schema (Table Schema)"),
    "dataset.field": ("Trường", "Field"),
    "dataset.field_title": ("Tên hiển thị", "Title"),
    "dataset.type": ("Kiểu", "Type"),
    "dataset.personal": ("Cá nhân", "Personal"),
    "dataset.personal_yes": ("cá nhân", "personal"),
    "dataset.sample": ("Dữ liệu mẫu", "Sample rows"),
    "dataset.masked": (
        "Các trường cá nhân được che theo quyền của bạn: {fields}",
        "Personal fields are masked under your access: {fields}",
    ),
    "dataset.no_rows": ("Bộ dữ liệu chưa có bản ghi.", "The dataset has no records yet."),
    "dataset.synthetic_banner": (
        "Bộ dữ liệu này là dữ liệu giả lập để trình diễn: tên, số định danh và địa chỉ "
        "đều không có thật.",
        "This dataset is synthetic demo data: its names, identifiers and addresses are not real.",
    ),
    "sample.login": (
        "Đăng nhập bằng tài khoản thành viên để xem dữ liệu mẫu.",
        "Log in with a member account to see sample rows.",
    ),
    "sample.forbidden": (
        "Bộ dữ liệu hạn chế: cần được cơ quan chủ quản cấp quyền để xem dữ liệu.",
        "A restricted dataset: its owner must grant you access to see records.",
    ),
    "sample.unavailable": ("Không đọc được dữ liệu mẫu.", "The sample rows cannot be read."),
}
