"""Rankings and the indicator pages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # rankings
    "rank.title": ("Xếp hạng", "Rankings"),
    "rank.lede": (
        "Xếp hạng các xã, phường, đặc khu của thành phố theo từng chỉ tiêu mỗi quý, và "
        "các tỉnh, thành phố theo các chỉ số chính của DTI.",
        "The city's communes ranked on any indicator every quarter, and the provinces "
        "on the DTI's main indices.",
    ),
    "rank.indicator": ("Chỉ tiêu", "Indicator"),
    "rank.period": ("Kỳ", "Period"),
    "rank.show": ("Xem", "Show"),
    "rank.communes": ("Các đơn vị cấp xã của {province}", "Communes of {province}"),
    "rank.unit": ("Đơn vị", "Unit"),
    "rank.value": ("Giá trị", "Value"),
    "rank.map": ("Bản đồ điểm theo tâm đơn vị", "Dot map at unit centroids"),
    "rank.map_label": (
        "Bản đồ {n} đơn vị, màu đậm là giá trị cao",
        "Map of {n} units; darker means a higher value",
    ),
    "rank.map_note": (
        "Mỗi chấm là tâm của một đơn vị hành chính; di chuột hoặc dùng phím Tab để xem giá trị.",
        "Each dot is a unit's centroid; hover or Tab to a dot to read its value.",
    ),
    "rank.map_empty": (
        "Bản đồ sẽ hiện khi có giá trị theo đơn vị.",
        "The map appears once there are values by unit.",
    ),
    "rank.low": ("Thấp", "Low"),
    "rank.high": ("Cao", "High"),
    "rank.empty_units": (
        "Danh mục đơn vị hành chính chưa được nạp.",
        "The administrative units are not loaded yet.",
    ),
    "rank.empty_values": (
        "Chỉ tiêu này chưa có giá trị theo xã, phường trong kỳ đã chọn.",
        "This indicator has no values by commune for the chosen period.",
    ),
    "rank.provinces": ("Các tỉnh, thành phố theo chỉ số DTI", "Provinces on the DTI"),
    "rank.province": ("Tỉnh, thành phố", "Province"),
    "rank.provinces_empty": (
        "Chưa có giá trị DTI công bố cho các tỉnh, thành phố.",
        "No published DTI values for the provinces yet.",
    ),
    # indicators
    "ind.title": ("Chỉ tiêu và bộ chỉ số", "Indicators and frameworks"),
    "ind.lede": (
        "Các bộ chỉ số đo lường chuyển đổi số và kinh tế số, với phần đo tự động từ dữ liệu "
        "trên nền tảng.",
        "The frameworks that measure digital transformation and the digital economy, with "
        "the share measured automatically from platform data.",
    ),
    "ind.not_installed": (
        "Bộ máy tính chỉ tiêu chưa được cài đặt.",
        "The indicator engine is not installed yet.",
    ),
    "ind.coverage": ("{pct}% đo tự động", "{pct}% measured automatically"),
    "ind.coverage_detail": (
        "{computed} thành phần tính tự động từ dữ liệu nền tảng, trên {official} thành phần "
        "chính thức ({listed} đã liệt kê).",
        "{computed} components computed from platform data, of {official} official "
        "components ({listed} listed).",
    ),
    "ind.csv": ("Tải CSV", "Download CSV"),
    "ind.sdmx": ("Tải SDMX-CSV", "Download SDMX-CSV"),
    "ind.sdmx_pending": (
        "Bộ xuất SDMX-CSV của bộ máy chỉ tiêu chưa được cài đặt",
        "The indicator engine's SDMX-CSV exporter is not installed yet",
    ),
    "ind.series": ("Diễn biến theo thời gian", "Over time"),
    "ind.chart_label": ("Diễn biến của {name}", "{name} over time"),
    "ind.target_line": ("mục tiêu", "target"),
    "ind.no_values": ("Chỉ tiêu này chưa có giá trị.", "This indicator has no values yet."),
    "ind.breakdown": ("Theo đơn vị hành chính", "By administrative unit"),
    "ind.no_breakdown": (
        "Chưa có giá trị theo xã, phường.",
        "No values by commune yet.",
    ),
    "ind.all_units": ("Xem đủ {n} đơn vị", "See all {n} units"),
    "ind.num_den": ("Tử số và mẫu số", "Numerator and denominator"),
    "ind.numerator": ("Tử số", "Numerator"),
    "ind.denominator": ("Mẫu số", "Denominator"),
    "ind.source": ("Nguồn", "Source"),
    "ind.definition": ("Định nghĩa và nguồn gốc", "Definition and provenance"),
    "ind.factor": ("Hệ số", "Factor"),
    "ind.unit": ("Đơn vị tính", "Unit"),
    "ind.direction": ("Chiều tốt", "Better when"),
    "ind.direction_up": ("cao hơn là tốt hơn", "higher"),
    "ind.direction_down": ("thấp hơn là tốt hơn", "lower"),
    "ind.provenance": ("Nguồn gốc", "Provenance"),
    "ind.prov_official": ("theo văn bản chính thức", "as the official text defines it"),
    "ind.prov_reconstructed": (
        "tái dựng từ phương pháp (chưa phải bảng thành phần chính thức)",
        "reconstructed from the method (not the official component table)",
    ),
    "ind.kind_computed": ("tính tự động từ dữ liệu nền tảng", "computed from platform data"),
    "ind.kind_reported": ("do cơ quan báo cáo", "reported by an agency"),
    "ind.dataset": ("Bộ dữ liệu", "Dataset"),
    "ind.parts": ("Thành phần của công thức", "What the formula uses"),
}
