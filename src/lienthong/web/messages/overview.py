"""The overview page: headline figures and their empty states."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # overview
    "overview.title": ("Chuyển đổi số Hải Phòng", "Hải Phòng's digital transformation"),
    "overview.lede": (
        "Các chỉ số chính so với mục tiêu của thành phố, cập nhật liên tục từ dữ liệu "
        "trên nền tảng và số liệu chính thức.",
        "The headline figures against the city's targets, updated continuously from "
        "platform data and official statistics.",
    ),
    "overview.figures": ("Chỉ số chính", "Headline figures"),
    "slot.de_share": ("Kinh tế số trong GRDP", "Digital economy share of GRDP"),
    "slot.dti": ("Chỉ số chuyển đổi số (DTI)", "Digital transformation index (DTI)"),
    "slot.online_dossiers": (
        "Hồ sơ trực tuyến toàn trình",
        "Dossiers handled fully online",
    ),
    "slot.portal_services": (
        "Dịch vụ công tích hợp Cổng DVC quốc gia",
        "Services integrated with the national portal",
    ),
    "slot.warehouse": ("Kho dữ liệu dùng chung", "Shared data warehouse"),
    "slot.warehouse_fields": ("Trường dữ liệu", "Fields"),
    "slot.warehouse_datasets": ("Bộ dữ liệu", "Datasets"),
    "slot.exchange": ("Lưu lượng trao đổi dữ liệu", "Data exchange volume"),
    "empty.de_share": (
        "Tỷ trọng kinh tế số sẽ hiện khi Cục Thống kê hoặc Sở báo cáo số liệu GRDP.",
        "The digital economy's share appears once the statistics office reports GRDP figures.",
    ),
    "note.dti_coverage": (
        "Tính trên {measured} thành phần nền tảng đo được trong {official} thành phần của "
        "QĐ 922; các thành phần chưa đo tính 0 điểm, nên giá trị thấp hơn DTI công bố.",
        "Over the {measured} components the platform measures, of the {official} of Decision "
        "922; the others count 0 points, so the value is below the published DTI.",
    ),
    "empty.dti": (
        "DTI và 9 chỉ số chính sẽ hiện khi bộ chỉ số được tính.",
        "The DTI and its 9 main indices appear once the framework is computed.",
    ),
    "empty.online_dossiers": (
        "Tỷ lệ sẽ hiện khi dữ liệu hồ sơ dịch vụ công được nạp vào kho.",
        "The rate appears once public-service dossiers are loaded into the warehouse.",
    ),
    "empty.portal_services": (
        "Số dịch vụ tích hợp sẽ hiện khi được báo cáo.",
        "The count of integrated services appears once reported.",
    ),
    "empty.warehouse": (
        "Kho chưa có bộ dữ liệu nào.",
        "The warehouse holds no dataset yet.",
    ),
    "empty.exchange": (
        "Lưu lượng sẽ hiện khi cổng trao đổi dữ liệu bắt đầu ghi nhận giao dịch.",
        "The volume appears once the exchange gateway records transactions.",
    ),
    "note.synthetic_datasets": (
        "Gồm dữ liệu giả lập của bản trình diễn.",
        "Includes the demo's synthetic data.",
    ),
}
