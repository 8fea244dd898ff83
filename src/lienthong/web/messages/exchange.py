"""The data exchange monitor."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "unit.requests_24h": ("lượt / 24 giờ", "requests / 24 h"),
    "source.gateway": ("nhật ký cổng trao đổi dữ liệu", "the exchange gateway's log"),
    "ex.title": ("Giám sát trao đổi dữ liệu", "Data exchange monitor"),
    "ex.lede": (
        "Các dịch vụ trên cổng trao đổi dữ liệu (giao thức X-Road REST), lưu lượng, lỗi và "
        "các yêu cầu cấp quyền đang chờ xử lý.",
        "The services on the exchange gateway (X-Road REST), their traffic and errors, and "
        "the access requests awaiting a decision.",
    ),
    "ex.not_installed": (
        "Cổng trao đổi dữ liệu chưa được cài đặt.",
        "The exchange gateway is not installed yet.",
    ),
    "ex.kpis": ("Số liệu chính", "Key figures"),
    "ex.requests_24h": ("Lượt gọi 24 giờ", "Requests, 24 h"),
    "ex.errors": ("Lỗi", "Errors"),
    "ex.services": ("Dịch vụ", "Services"),
    "ex.pending": ("Yêu cầu chờ duyệt", "Pending requests"),
    "ex.overdue_n": ("{n} quá hạn", "{n} overdue"),
    "ex.hourly": ("Lưu lượng theo giờ (24 giờ qua)", "Requests per hour (last 24 h)"),
    "ex.hourly_label": ("Số lượt gọi mỗi giờ trong 24 giờ qua", "Requests per hour, last 24 hours"),
    "ex.no_traffic": ("Chưa có giao dịch trong 24 giờ qua.", "No exchange in the last 24 hours."),
    "ex.service": ("Dịch vụ", "Service"),
    "ex.provider": ("Đơn vị cung cấp", "Provider"),
    "ex.error_rate": ("Tỷ lệ lỗi", "Error rate"),
    "ex.mean_ms": ("Trung bình (ms)", "Mean (ms)"),
    "ex.disabled": ("tạm dừng", "disabled"),
    "ex.no_services": ("Chưa có dịch vụ nào được đăng ký.", "No service is registered yet."),
    "ex.pending_title": ("Yêu cầu cấp quyền chờ xử lý", "Access requests awaiting a decision"),
    "ex.pending_note": (
        "Nghị định 194/2025 yêu cầu trả lời trong 2 ngày làm việc; tuổi tính theo ngày làm việc.",
        "Decree 194/2025 expects a decision within 2 working days; ages count working days.",
    ),
    "ex.client": ("Hệ thống yêu cầu", "Client"),
    "ex.purpose": ("Mục đích", "Purpose"),
    "ex.filed": ("Ngày gửi", "Filed"),
    "ex.age": ("Tuổi", "Age"),
    "ex.due": ("Hạn", "Due"),
    "ex.workdays": ("{n} ngày làm việc", "{n} working days"),
    "ex.overdue": ("quá hạn", "overdue"),
    "ex.no_pending": ("Không có yêu cầu nào đang chờ.", "No request is waiting."),
}
