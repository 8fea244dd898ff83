"""Every phrase the pages and the report show: key → (Vietnamese, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # site
    "site.city": ("Thành phố Hải Phòng", "Hải Phòng City"),
    "site.title": ("Bảng điều hành chuyển đổi số", "Digital transformation scoreboard"),
    "site.footer": (
        "Nền tảng tích hợp, chia sẻ dữ liệu dùng chung · số liệu cập nhật trực tiếp",
        "Shared data integration and sharing platform · figures update live",
    ),
    "a11y.skip": ("Bỏ qua, tới nội dung chính", "Skip to main content"),
    "a11y.language": ("Ngôn ngữ", "Language"),
    "a11y.main_nav": ("Điều hướng chính", "Main navigation"),
    "a11y.breadcrumb": ("Đường dẫn", "Breadcrumb"),
    "a11y.trend": ("Xu hướng của {name}", "Trend of {name}"),
    "a11y.progress": ("Đạt {pct}% mục tiêu", "{pct}% of target reached"),
    "live.connecting": ("Đang kết nối…", "Connecting…"),
    "live.on": ("Trực tiếp", "Live"),
    "live.off": ("Mất kết nối trực tiếp", "Live updates paused"),
    # navigation
    "nav.home": ("Trang chủ", "Home"),
    "nav.overview": ("Tổng quan", "Overview"),
    "nav.rankings": ("Xếp hạng", "Rankings"),
    "nav.indicators": ("Chỉ tiêu", "Indicators"),
    "nav.datasets": ("Kho dữ liệu", "Data catalogue"),
    "nav.exchange": ("Trao đổi dữ liệu", "Data exchange"),
    "nav.plan": ("Kế hoạch hành động", "Action plan"),
    "nav.reports": ("Báo cáo quý", "Quarterly report"),
    "nav.back_home": ("Về trang tổng quan", "Back to the overview"),
    # provenance
    "prov.legend": ("Nguồn gốc số liệu", "Where figures come from"),
    "prov.official": ("Chính thức", "Official"),
    "prov.computed": ("Tính toán", "Computed"),
    "prov.synthetic": ("Giả lập", "Synthetic"),
    "prov.none": ("Chưa có", "No data"),
    "prov.official.help": ("do cơ quan có thẩm quyền công bố", "published by an authority"),
    "prov.computed.help": ("tính từ dữ liệu trên nền tảng", "computed from platform data"),
    "prov.synthetic.help": (
        "tính từ dữ liệu giả lập để trình diễn, không phải số đo thật",
        "computed from generated demo data, not a real measurement",
    ),
    "cls.public": ("Công khai", "Public"),
    "cls.shared": ("Dùng chung", "Shared"),
    "cls.restricted": ("Hạn chế", "Restricted"),
    "cls.public.help": ("Dữ liệu mở: ai cũng xem được", "Open data: anyone may read it"),
    "cls.shared.help": (
        "Dùng chung: mọi thành viên của nền tảng được đọc (Nghị định 194/2025)",
        "Shared: every member of the platform may read it (Decree 194/2025)",
    ),
    "cls.restricted.help": (
        "Hạn chế: chỉ đọc khi được cấp quyền",
        "Restricted: readable only under a grant",
    ),
    "freq.realtime": ("Thời gian thực", "Real time"),
    "freq.daily": ("Hằng ngày", "Daily"),
    "freq.weekly": ("Hằng tuần", "Weekly"),
    "freq.monthly": ("Hằng tháng", "Monthly"),
    "freq.quarterly": ("Hằng quý", "Quarterly"),
    "freq.annual": ("Hằng năm", "Yearly"),
    "freq.irregular": ("Không định kỳ", "Irregular"),
    "freq.unknown": ("Chưa khai báo", "Not stated"),
    # numbers and time
    "compact.thousand": ("{n} nghìn", "{n}K"),
    "compact.million": ("{n} triệu", "{n}M"),
    "compact.billion": ("{n} tỷ", "{n}B"),
    "ago.now": ("vừa xong", "just now"),
    "ago.minutes": ("{n} phút trước", "{n} min ago"),
    "ago.hours": ("{n} giờ trước", "{n} h ago"),
    "ago.days": ("{n} ngày trước", "{n} days ago"),
    "fresh.updated": ("Cập nhật", "Updated"),
    "fresh.never": ("chưa có", "never"),
    "unit.records": ("bản ghi", "records"),
    "unit.points": ("điểm", "points"),
    "unit.requests": ("lượt", "requests"),
    # figures
    "fig.period": ("Kỳ", "Period"),
    "fig.estimated": ("ước tính", "estimated"),
    "fig.of_target": ("so với mục tiêu", "of the target"),
    "fig.no_target": ("Chưa đặt mục tiêu cho chỉ số này", "No target set for this figure"),
    "fig.source": ("Nguồn", "Source"),
    "fig.details": ("Chi tiết", "Details"),
    "source.catalog": ("danh mục kho dữ liệu", "the data catalogue"),
    "empty.title": ("Chưa có số liệu", "No data yet"),
    "empty.generic": (
        "Số liệu sẽ hiện ở đây khi được tính hoặc báo cáo.",
        "Figures appear here once computed or reported.",
    ),
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
    # auth
    "auth.login": ("Đăng nhập", "Log in"),
    "auth.logout": ("Đăng xuất", "Log out"),
    "auth.login_title": ("Đăng nhập nền tảng", "Log in to the platform"),
    "auth.login_lede": (
        "Dành cho cán bộ các cơ quan thành viên. Trang công khai không cần đăng nhập.",
        "For staff of member agencies. Public pages need no login.",
    ),
    "auth.username": ("Tên đăng nhập", "Username"),
    "auth.password": ("Mật khẩu", "Password"),
    "auth.failed_password": (
        "Tên đăng nhập hoặc mật khẩu không đúng.",
        "The username or password is wrong.",
    ),
    "auth.failed_csrf": (
        "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng thử lại.",
        "The session expired or the form is not valid. Please try again.",
    ),
    # errors
    "error.401": ("Cần đăng nhập", "Login required"),
    "error.403": ("Không có quyền truy cập", "Access denied"),
    "error.404": ("Không tìm thấy", "Not found"),
    "error.422": ("Yêu cầu không hợp lệ", "Invalid request"),
    "error.csrf": ("Biểu mẫu không hợp lệ", "Invalid form"),
    "error.other": ("Đã có lỗi", "Something went wrong"),
    # reports
    "report.quarterly": ("Báo cáo quý (PDF)", "Quarterly report (PDF)"),
}
MESSAGES |= {
    "source.platform": ("tính từ dữ liệu nền tảng", "computed from platform data"),
    "kind.quarter": ("theo quý", "by quarter"),
    "kind.year": ("theo năm", "by year"),
    "kind.month": ("theo tháng", "by month"),
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
MESSAGES |= {
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
}
MESSAGES |= {
    "report.title": ("Báo cáo chuyển đổi số quý", "Digital transformation report, quarter"),
    "report.period": ("Kỳ báo cáo từ {start} đến {end}", "Reporting period {start} to {end}"),
    "report.as_of": ("số liệu cập nhật đến {when}", "figures as of {when}"),
    "report.synthetic": (
        "Báo cáo có số liệu tính từ dữ liệu giả lập của bản trình diễn (nhãn GIẢ LẬP): "
        "không dùng cho mục đích chính thức.",
        "This report contains figures computed from the demo's synthetic data (labelled "
        "SYNTHETIC): not for official use.",
    ),
    "report.headline": ("Các chỉ số chính", "Headline figures"),
    "report.progress": ("Tiến độ so với mục tiêu", "Progress to target"),
    "report.progress_caption": (
        "Giá trị mới nhất trong kỳ chia cho mục tiêu gần nhất của thành phố.",
        "The latest value in the period divided by the city's nearest target.",
    ),
    "report.pct_of_target": ("% mục tiêu", "% of target"),
    "report.trends": ("Diễn biến", "Trends"),
    "report.no_series": ("Chưa đủ số liệu để vẽ diễn biến.", "Not enough values to draw a trend."),
    "report.ranking": (
        "Xếp hạng xã, phường, đặc khu: tỷ lệ hồ sơ trực tuyến toàn trình",
        "Communes ranked on the share of dossiers handled fully online",
    ),
    "report.ranking_caption": ("{n} đơn vị dẫn đầu trên {total}.", "The top {n} of {total} units."),
    "report.no_ranking": (
        "Chưa có giá trị theo xã, phường trong quý.",
        "No values by commune for the quarter.",
    ),
    "report.dti": ("Các chỉ số chính của DTI", "The DTI's main indices"),
    "report.pillar": ("Chỉ số chính", "Main index"),
    "report.exchange": ("Trao đổi dữ liệu", "Data exchange"),
    "report.exchange_n": (
        "{n} lượt trao đổi dữ liệu qua nền tảng trong quý {q}.",
        "{n} data exchanges went through the platform in {q}.",
    ),
    "report.method": (
        "Báo cáo được tạo tự động từ nền tảng tích hợp, chia sẻ dữ liệu dùng chung. Số liệu "
        "tính toán theo Quyết định 922/QĐ-BTTTT (DTI) và 1354/QĐ-BTTTT (kinh tế số); nguồn của "
        "từng số liệu ghi kèm nhãn nguồn gốc.",
        "Generated by the shared data integration and sharing platform. Computed figures follow "
        "Decision 922/QĐ-BTTTT (DTI) and 1354/QĐ-BTTTT (digital economy); every figure carries "
        "its provenance label.",
    ),
    "report.page_title": ("Báo cáo quý", "Quarterly report"),
    "report.page_lede": (
        "Báo cáo PDF khổ A4 bằng tiếng Việt, mỗi quý một lần, với biểu đồ và bảng số liệu.",
        "An A4 PDF report in Vietnamese, once a quarter, with charts and tables.",
    ),
    "report.quarter": ("Quý", "Quarter"),
    "report.download": ("Tải báo cáo PDF", "Download the PDF"),
    "report.language": ("Ngôn ngữ báo cáo", "Report language"),
}
