"""A deterministic 1M-row, 8-column Vietnamese CSV (synthetic) for the ingest benchmarks."""

from __future__ import annotations

import random
from pathlib import Path

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Thu", "Hoài"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hoa",
    "Hùng",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Phong",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Việt",
    "Yến",
]
STATUS = ["tiếp nhận", "đang xử lý", "đã trả kết quả", "quá hạn"]
HEADER = "ma_ho_so,ho_ten,ma_xa,thu_tuc,ngay_nop,le_phi,truc_tuyen,trang_thai"
SCHEMA = {
    "fields": [
        {"name": "ma_ho_so", "type": "string", "title": "Mã hồ sơ"},
        {"name": "ho_ten", "type": "string", "title": "Họ tên người nộp"},
        {
            "name": "ma_xa",
            "type": "string",
            "title": "Mã xã",
            "constraints": {"pattern": "[0-9]{5}"},
        },
        {"name": "thu_tuc", "type": "integer", "title": "Mã thủ tục"},
        {"name": "ngay_nop", "type": "date", "format": "%d/%m/%Y", "title": "Ngày nộp"},
        {"name": "le_phi", "type": "number", "title": "Lệ phí", "constraints": {"minimum": 0}},
        {"name": "truc_tuyen", "type": "boolean", "title": "Nộp trực tuyến"},
        {
            "name": "trang_thai",
            "type": "string",
            "title": "Trạng thái",
            "constraints": {"enum": STATUS},
        },
    ],
    "primaryKey": ["ma_ho_so"],
}


def write_csv(path: Path, rows: int = 1_000_000, seed: int = 2025) -> None:
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER + "\n")
        lines = []
        for i in range(rows):
            name = f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
            day, month = rnd.randint(1, 28), rnd.randint(1, 12)
            lines.append(
                f"HS{i:08d},{name},{31000 + rnd.randint(1, 114):05d},{rnd.randint(1000, 2999)},"
                f"{day:02d}/{month:02d}/2025,{rnd.choice((0, 15000, 50000, 100000))},"
                f"{rnd.choice(('true', 'false'))},{rnd.choice(STATUS)}\n"
            )
            if len(lines) == 50_000:
                fh.writelines(lines)
                lines = []
        fh.writelines(lines)
