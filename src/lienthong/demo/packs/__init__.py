"""The Hải Phòng sector dataset packs, in load order (parents before children).

>>> [p.key for p in PACKS][:3]
['dich-vu-cong', 'dat-dai', 'y-te']
>>> len(TABLES), sum(t.synthetic for t in TABLES)
(25, 24)
"""

from __future__ import annotations

from lienthong.demo.packs import (
    businesses,
    commerce,
    dossiers,
    education,
    health,
    land,
    logistics,
    planning,
    port,
    port_procedures,
    reported,
    sme,
    telecom,
    traffic,
)
from lienthong.demo.packs.base import Pack, Table

PACKS: tuple[Pack, ...] = (
    Pack("dich-vu-cong", "Dịch vụ công: hồ sơ trực tuyến và toàn trình", dossiers.TABLES),
    Pack("dat-dai", "Đất đai: thửa đất và dữ liệu không gian", land.TABLES),
    Pack("y-te", "Y tế: thẻ BHYT gắn với CCCD", health.TABLES),
    Pack("giao-duc", "Giáo dục: cơ sở, giáo viên, học sinh", education.TABLES),
    Pack("quy-hoach", "Xây dựng: bản đồ quy hoạch", planning.TABLES),
    Pack("giao-thong", "Giao thông: camera phạt nguội tại 5 nút giao", traffic.TABLES),
    Pack("vien-thong", "Viễn thông: trạm BTS 4G, 5G và vùng phủ", telecom.TABLES),
    Pack(
        "cang-logistics",
        "Cảng biển và logistics: TOS, lượt tàu, container, hải quan, thuế",
        port.TABLES + port_procedures.TABLES + logistics.TABLES,
    ),
    Pack("doanh-nghiep", "Đăng ký doanh nghiệp: doanh nghiệp thành lập mới", businesses.TABLES),
    Pack("dnnvv-vcci", "Khảo sát chuyển đổi số DNNVV (VCCI)", sme.TABLES),
    Pack(
        "tmdt-thanh-toan", "Thương mại điện tử và thanh toán không dùng tiền mặt", commerce.TABLES
    ),
    Pack("so-lieu-bao-cao", "Số liệu đã công bố (bài báo nguồn)", reported.TABLES),
)
TABLES: tuple[Table, ...] = tuple(t for p in PACKS for t in p.tables)


def table(name: str) -> Table:
    """The table (dataset) of that name."""
    for t in TABLES:
        if t.name == name:
            return t
    raise KeyError(name)
