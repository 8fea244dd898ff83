"""The business register: firms newly registered in Hải Phòng, 2021–2025.

Business registration is kept by the Department of Finance since the 2025 reorganisation
(by Planning and Investment before). Each row is a new registration with its tax code, name,
commune, date, registered capital, whether it issues e-invoices and whether its trade is in
the digital-technology sector: the digital-economy framework's `DN_*` elements count them.

The articles give no registration figures: about 4,500 new firms a year, about 6% of them
in digital technology and a median registered capital of about 3 billion đồng are our
assumptions. E-invoices became mandatory for every business from 1 July 2022 (Decree
123/2020/NĐ-CP); before that about 60% of new firms used them (our assumption).

>>> REGISTRATIONS.count(1.0)
22500
>>> einvoice_share(np.array(["2021-06-01", "2022-07-01"], dtype="datetime64[D]")).tolist()
[0.6, 0.99]
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lienthong.demo import synth
from lienthong.demo.packs import firms, owners
from lienthong.demo.packs.base import Context, Table, commune_field, field, table_of
from lienthong.demo.packs.common import dates, day, days_between, place

FIRST, LAST = "2021-01-01", "2025-12-31"
ICT_TRADES = ["Công nghệ thông tin", "Phần mềm", "Giải pháp số", "Thương mại điện tử"]
OTHER_TRADES = firms.TRADER_TRADES + firms.LOGISTICS_TRADES
ICT_SHARE = 0.06  # of new firms in digital technology: their names carry an ICT trade
MANDATORY_EINVOICE = day("2022-07-01")  # Decree 123/2020/NĐ-CP, article 59


def einvoice_share(registered: np.ndarray) -> np.ndarray:
    """The chance a new firm issues e-invoices, by its registration date."""
    return np.where(registered >= MANDATORY_EINVOICE, 0.99, 0.6)


def _registrations(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(REGISTRATIONS.name, start), stop - start
    f = firms.REGISTER_BASE + np.arange(start, stop)
    ict = synth.unit(ctx.seed, "register-ict", f) < ICT_SHARE
    mask = pa.array(ict)
    name = pc.if_else(
        mask,
        firms.firm_names(ctx.seed, f, ICT_TRADES),
        firms.firm_names(ctx.seed, f, OTHER_TRADES),
    )
    trade = pc.if_else(
        mask,
        synth.pick(ICT_TRADES, firms.trade_index(ctx.seed, f, ICT_TRADES)),
        synth.pick(OTHER_TRADES, firms.trade_index(ctx.seed, f, OTHER_TRADES)),
    )
    registered = day(FIRST) + synth.below(ctx.seed, "register-day", f, days_between(FIRST, LAST))
    capital = np.round(rng.lognormal(np.log(3.0), 1.1, n), 2).clip(0.01, 50_000)
    return table_of(
        REGISTRATIONS,
        {
            "ma_so_thue": firms.tax_codes(f),
            "ten_doanh_nghiep": name,
            "loai_hinh": firms.legal_form(ctx.seed, f),
            "nganh": trade,
            "ma_xa": synth.pick(ctx.codes, place(ctx, synth.unit(ctx.seed, "register-xa", f))),
            "ngay_dang_ky": dates(registered),
            "von_dang_ky": capital,
            "hoa_don_dien_tu": rng.random(n) < einvoice_share(registered),
            "nganh_ict": ict,
        },
    )


REGISTRATIONS = Table(
    name="doanh-nghiep",
    title="Doanh nghiệp đăng ký thành lập mới",
    title_en="Newly registered businesses",
    about="Doanh nghiệp thành lập mới trên địa bàn thành phố theo Hệ thống thông tin quốc gia "
    "về đăng ký doanh nghiệp: mã số thuế, tên, loại hình, ngành, xã, ngày đăng ký, vốn đăng "
    "ký, sử dụng hoá đơn điện tử, thuộc ngành công nghệ số.",
    owner=owners.FINANCE,
    rows=22_500,
    basis="khoảng 4.500 doanh nghiệp thành lập mới mỗi năm, 2021–2025 (giả định: bài báo "
    "không nêu); hoá đơn điện tử bắt buộc từ 01/7/2022 (Nghị định 123/2020/NĐ-CP)",
    classification="shared",
    frequency="daily",
    primary_key=("ma_so_thue",),
    indexes=("ma_xa",),
    tags=("doanh-nghiep", "dang-ky-kinh-doanh", "kinh-te-so"),
    temporal=(FIRST, LAST),
    generate=_registrations,
    fields=[
        field("ma_so_thue", "string", "Mã số thuế", subject="tax_code", pattern=r"\d{10}"),
        field("ten_doanh_nghiep", "string", "Tên doanh nghiệp", required=True),
        field("loai_hinh", "string", "Loại hình", enum=["tnhh", "co_phan", "tu_nhan"]),
        field("nganh", "string", "Ngành kinh doanh chính"),
        commune_field("Xã nơi đặt trụ sở (mã thống kê, từ 01/7/2025)"),
        field("ngay_dang_ky", "date", "Ngày đăng ký thành lập", required=True),
        field("von_dang_ky", "number", "Vốn đăng ký (tỷ đồng)", minimum=0),
        field("hoa_don_dien_tu", "boolean", "Sử dụng hoá đơn điện tử"),
        field("nganh_ict", "boolean", "Thuộc ngành công nghệ số"),
    ],
)

TABLES = (REGISTRATIONS,)
