"""Transport: camera enforcement ("phạt nguội") at five junctions and its violations.

From the article (seeds/002, 2023): “triển khai camera giám sát và xử lý phạt nguội tại 5 nút
giao thông trên địa bàn thành phố”. The articles name neither the junctions nor a count of
violations: the five below are illustrative crossings of real streets, and 60,000
violations over 2024 (about 33 a junction a day) is our assumption.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lienthong.demo import synth
from lienthong.demo.packs import owners
from lienthong.demo.packs.base import Context, Table, commune_field, field, table_of
from lienthong.demo.packs.common import dates, local_times

JUNCTIONS = [  # code, name, commune code, lat, lon, cameras
    ("NG01", "Nút giao Lạch Tray – Văn Cao", "11329", 20.8455, 106.6970, 6),
    ("NG02", "Nút giao Lê Hồng Phong – Văn Cao", "11413", 20.8490, 106.7135, 6),
    ("NG03", "Nút giao Tô Hiệu – Trần Nguyên Hãn", "11383", 20.8490, 106.6745, 4),
    ("NG04", "Nút giao Nguyễn Văn Linh – Lạch Tray", "11383", 20.8340, 106.6890, 5),
    ("NG05", "Nút giao Hồ Sen – Cầu Rào 2", "11383", 20.8345, 106.6810, 4),
]
OFFENCES = {  # code: (description, weight, fine in VND)
    "den_do": ("Không chấp hành hiệu lệnh của đèn tín hiệu giao thông", 46, 4_000_000),
    "sai_lan": ("Không đi đúng phần đường, làn đường quy định", 28, 3_000_000),
    "qua_toc_do": ("Chạy quá tốc độ quy định", 12, 5_000_000),
    "dung_do_sai": ("Dừng, đỗ xe không đúng nơi quy định", 9, 1_000_000),
    "khong_mu_bao_hiem": ("Không đội mũ bảo hiểm khi điều khiển xe mô tô, xe gắn máy", 5, 500_000),
}
VEHICLES = ["o_to_con", "o_to_tai", "o_to_khach", "mo_to"]
STATES = ["chua_xu_ly", "da_gui_thong_bao", "da_nop_phat"]
PLATE_PREFIXES = ["15", "16", "34", "14", "29"]  # Hải Phòng, Hải Dương, Quảng Ninh, Hà Nội


def _junctions(ctx: Context, start: int, stop: int) -> pa.Table:
    rows = JUNCTIONS[start:stop]
    return table_of(
        JUNCTION_TABLE,
        {
            "ma_nut_giao": pa.array([r[0] for r in rows]),
            "ten_nut_giao": pa.array([r[1] for r in rows]),
            "ma_xa": pa.array([r[2] for r in rows]),
            "vi_do": pa.array([r[3] for r in rows]),
            "kinh_do": pa.array([r[4] for r in rows]),
            "so_camera": pa.array([r[5] for r in rows]),
            "ngay_van_hanh": dates(np.array(["2022-10-01"] * len(rows), dtype="datetime64[D]")),
        },
    )


def plates(rng: np.random.Generator, vehicle: np.ndarray) -> pa.Array:
    """Plates like 15A-123.45 (cars, trucks "C", coaches "B") or 15-B1 234.56 (motorbikes)."""
    n = len(vehicle)
    prefix = synth.pick(PLATE_PREFIXES, synth.weighted(rng.random(n), [55, 15, 20, 5, 5]))
    series = synth.pick(["A", "C", "B", "B1"], vehicle)
    number = synth.digits(rng.integers(10_000, 99_999, n), 5)
    pretty = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(number, 0, 3), pc.utf8_slice_codeunits(number, 3, 5), "."
    )
    car = synth.join(prefix, series, "-", pretty)
    bike = synth.join(prefix, "-", series, " ", pretty)
    return pc.if_else(pa.array(vehicle == 3), bike, car)


def _violations(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(VIOLATIONS.name, start), stop - start
    junction = rng.integers(0, len(JUNCTIONS), n)
    cams = np.array([j[5] for j in JUNCTIONS])[junction]
    offence = synth.weighted(rng.random(n), [v[1] for v in OFFENCES.values()])
    vehicle = np.where(offence == 4, 3, synth.weighted(rng.random(n), [55, 20, 5, 20]))
    when = np.datetime64("2024-01-01") + rng.integers(0, 366, n).astype("timedelta64[D]")
    seconds = (rng.beta(2.5, 2.0, n) * 17 * 3600 + 5.5 * 3600).astype(np.int64)
    speed = np.where(offence == 2, rng.integers(56, 95, n), 0)
    state = synth.weighted(rng.random(n), [8, 30, 62])
    paid = np.where(
        state == 2, when + rng.integers(7, 60, n).astype("timedelta64[D]"), np.datetime64("NaT")
    )
    fine = np.array([v[2] for v in OFFENCES.values()])[offence] * np.where(vehicle == 3, 0.25, 1.0)
    return table_of(
        VIOLATIONS,
        {
            "ma_vi_pham": synth.join("VP24-", synth.digits(np.arange(start, stop), 7)),
            "thoi_diem": local_times(when, seconds),
            "ma_nut_giao": synth.pick([j[0] for j in JUNCTIONS], junction),
            "ma_camera": synth.join(
                synth.pick([j[0] for j in JUNCTIONS], junction),
                "-CAM",
                synth.digits(1 + (rng.random(n) * cams).astype(np.int64), 2),
            ),
            "bien_so": plates(rng, vehicle),
            "loai_phuong_tien": synth.pick(VEHICLES, vehicle),
            "ma_hanh_vi": synth.pick(list(OFFENCES), offence),
            "hanh_vi": synth.pick([v[0] for v in OFFENCES.values()], offence),
            "toc_do_kmh": synth.where(speed > 0, speed),
            "muc_phat_vnd": pa.array(fine.astype(np.int64)),
            "trang_thai_xu_ly": synth.pick(STATES, state),
            "ngay_nop_phat": dates(paid),
        },
    )


JUNCTION_TABLE = Table(
    name="gt-nut-giao-camera-phat-nguoi",
    title="Nút giao có camera giám sát, xử lý phạt nguội",
    title_en="Junctions with enforcement cameras",
    about="Năm nút giao có camera giám sát và xử lý phạt nguội (tên nút minh hoạ: bài báo "
    "không nêu tên).",
    owner=owners.CONSTRUCTION,
    rows=len(JUNCTIONS),
    fixed=True,
    basis="“camera giám sát và xử lý phạt nguội tại 5 nút giao thông” (seeds/002, 2023).",
    classification="public",
    frequency="irregular",
    primary_key=("ma_nut_giao",),
    tags=("giao-thong", "camera"),
    generate=_junctions,
    fields=[
        field("ma_nut_giao", "string", "Mã nút giao"),
        field("ten_nut_giao", "string", "Tên nút giao", required=True),
        commune_field(),
        field("vi_do", "number", "Vĩ độ"),
        field("kinh_do", "number", "Kinh độ"),
        field("so_camera", "integer", "Số camera", minimum=1),
        field("ngay_van_hanh", "date", "Ngày đưa vào vận hành"),
    ],
)

VIOLATIONS = Table(
    name="gt-vi-pham-phat-nguoi",
    title="Vi phạm giao thông ghi nhận qua camera (phạt nguội)",
    title_en="Traffic violations recorded by camera",
    about="Vi phạm ghi nhận tại 5 nút giao năm 2024: thời điểm, camera, biển số, loại phương "
    "tiện, hành vi, mức phạt và tình trạng xử lý.",
    owner=owners.CONSTRUCTION,
    rows=60_000,
    basis="giả định của bản trình diễn (bài báo chỉ nêu 5 nút giao, không nêu số vi phạm).",
    classification="restricted",
    frequency="daily",
    primary_key=("ma_vi_pham",),
    indexes=("ma_nut_giao", "bien_so"),
    tags=("giao-thong", "phat-nguoi"),
    temporal=("2024-01-01", "2024-12-31"),
    generate=_violations,
    fields=[
        field("ma_vi_pham", "string", "Mã vi phạm"),
        field("thoi_diem", "datetime", "Thời điểm vi phạm", required=True),
        field("ma_nut_giao", "string", "Mã nút giao", enum=[j[0] for j in JUNCTIONS]),
        field("ma_camera", "string", "Mã camera"),
        field("bien_so", "string", "Biển số xe", personal=True),
        field("loai_phuong_tien", "string", "Loại phương tiện", enum=VEHICLES),
        field("ma_hanh_vi", "string", "Mã hành vi vi phạm", enum=list(OFFENCES)),
        field("hanh_vi", "string", "Hành vi vi phạm"),
        field("toc_do_kmh", "integer", "Tốc độ ghi nhận (km/h)"),
        field("muc_phat_vnd", "integer", "Mức phạt (đồng)", minimum=0),
        field("trang_thai_xu_ly", "string", "Tình trạng xử lý", enum=STATES),
        field("ngay_nop_phat", "date", "Ngày nộp phạt"),
    ],
)

TABLES = (JUNCTION_TABLE, VIOLATIONS)
