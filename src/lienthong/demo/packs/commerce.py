"""E-commerce and cashless payments by commune and month, 2021-01 to 2025-12.

The articles give no commune figures, only the direction: e-commerce growing “rất thấp so
với trung bình của cả nước” in 2022 (seeds/000), farm households brought onto e-commerce
platforms (seeds/002), cashless payment pushed in education and health (seeds/004). The
series here start low and grow about 30% a year, with Tết and year-end peaks; every value is
synthetic. 114 communes × 60 months.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lienthong.demo import synth
from lienthong.demo.packs import owners
from lienthong.demo.packs.base import Context, Table, commune_field, field, table_of

FIRST_YEAR, MONTHS = 2021, 60
# month-of-year factors: Tết (Jan/Feb) for payments, the year-end sales for e-commerce
PAY_SEASON = np.array([1.18, 1.12, 0.94, 0.96, 0.98, 0.97, 0.98, 0.99, 1.0, 1.0, 1.02, 1.1])
SHOP_SEASON = np.array([1.05, 0.9, 0.92, 0.95, 0.97, 0.98, 0.98, 1.0, 1.02, 1.05, 1.18, 1.2])


def _series(ctx: Context, start: int, stop: int) -> pa.Table:
    r = np.arange(start, stop)
    commune, month = r // MONTHS, r % MONTHS
    years = month / 12
    size = ctx.people.commune_weights[commune] * (
        1 + 0.6 * synth.unit(ctx.seed, "shop-size", commune)
    )
    urban = np.array([c.kind == "phuong" for c in ctx.communes])[commune]
    noise = 1 + 0.08 * (synth.unit(ctx.seed, "shop-noise", r) - 0.5)
    moy = month % 12
    pay = 9_000 * size * 1.32**years * PAY_SEASON[moy] * noise
    share = np.clip(np.where(urban, 38, 22) + 9 * years + 3 * noise, 0, 95)
    orders = 5_200 * size * 1.3**years * SHOP_SEASON[moy] * noise * np.where(urban, 1.3, 0.8)
    farms = np.where(urban, 0, np.floor(4 + 60 * np.clip(years / 4, 0, 1) * size * noise))
    period = np.datetime64(f"{FIRST_YEAR}-01", "M") + month.astype("timedelta64[M]")
    return table_of(
        SERIES,
        {
            "ma_xa": ctx.people.commune_codes(commune),
            "thang": pa.array(period.astype(str)),
            "so_giao_dich_khong_tien_mat": pa.array(pay.astype(np.int64)),
            "gia_tri_khong_tien_mat_trieu_vnd": pa.array(np.round(pay * 0.72, 1)),
            "ty_le_giao_dich_khong_tien_mat_pct": pa.array(np.round(share, 1)),
            "so_diem_chap_nhan_qr": pa.array((120 * size * 1.45**years).astype(np.int64)),
            "so_don_hang_tmdt": pa.array(orders.astype(np.int64)),
            "doanh_thu_tmdt_trieu_vnd": pa.array(np.round(orders * 0.29, 1)),
            "so_ho_nong_nghiep_tren_san_tmdt": pa.array(farms.astype(np.int64)),
        },
    )


SERIES = Table(
    name="tmdt-thanh-toan-khong-tien-mat-theo-xa",
    title="Thương mại điện tử và thanh toán không dùng tiền mặt theo xã, theo tháng",
    title_en="E-commerce and cashless payments by commune and month",
    about="Theo xã và tháng: số và giá trị giao dịch không dùng tiền mặt, tỷ lệ giao dịch "
    "không dùng tiền mặt, điểm chấp nhận QR, đơn hàng và doanh thu thương mại điện tử, hộ "
    "nông nghiệp trên sàn thương mại điện tử.",
    owner=owners.INDUSTRY_TRADE,
    rows=114 * MONTHS,
    fixed=True,
    basis="114 xã × 60 tháng; giá trị giả định (bài báo không nêu số liệu theo xã).",
    classification="public",
    frequency="monthly",
    primary_key=("ma_xa", "thang"),
    tags=("thuong-mai-dien-tu", "thanh-toan-khong-tien-mat", "kinh-te-so"),
    temporal=("2021-01-01", "2025-12-31"),
    generate=_series,
    fields=[
        commune_field(),
        field("thang", "string", "Tháng", pattern=r"\d{4}-\d{2}"),
        field(
            "so_giao_dich_khong_tien_mat", "integer", "Số giao dịch không dùng tiền mặt", minimum=0
        ),
        field(
            "gia_tri_khong_tien_mat_trieu_vnd",
            "number",
            "Giá trị giao dịch không dùng tiền mặt (triệu đồng)",
            minimum=0,
        ),
        field(
            "ty_le_giao_dich_khong_tien_mat_pct",
            "number",
            "Tỷ lệ giao dịch không dùng tiền mặt (%)",
            minimum=0,
            maximum=100,
        ),
        field("so_diem_chap_nhan_qr", "integer", "Số điểm chấp nhận thanh toán QR", minimum=0),
        field("so_don_hang_tmdt", "integer", "Số đơn hàng thương mại điện tử", minimum=0),
        field(
            "doanh_thu_tmdt_trieu_vnd",
            "number",
            "Doanh thu thương mại điện tử (triệu đồng)",
            minimum=0,
        ),
        field(
            "so_ho_nong_nghiep_tren_san_tmdt",
            "integer",
            "Số hộ nông nghiệp trên sàn thương mại điện tử",
            minimum=0,
        ),
    ],
)

TABLES = (SERIES,)
