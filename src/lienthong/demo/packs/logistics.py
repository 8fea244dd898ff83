"""Logistics: the firms, the container moves from the ports' TOS, customs declarations, tax.

The articles ask for these flows but give no volumes (seeds/004, 2023: “liên kết giữa các
hệ thống cảng này với cả các DN logistics khác, hệ thống kho bãi, các cơ quan nhà nước liên
quan như cảng vụ, giao thông vận tải, thuế, hải quan”; “triển khai CSDL về logistics”). The
volumes are our assumptions: 2,000 logistics firms, 600,000 container moves and 300,000
customs declarations in 2024, and the firms' monthly tax over 2023–2024.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lienthong.demo import synth
from lienthong.demo.packs import firms, owners, port
from lienthong.demo.packs.base import Context, Table, commune_field, field, table_of
from lienthong.demo.packs.common import dates, local_stamps

VSIC = {  # code: (activity, weight)
    "5012": ("Vận tải hàng hoá ven biển và viễn dương", 12),
    "5210": ("Kho bãi và lưu giữ hàng hoá", 18),
    "5222": ("Hoạt động dịch vụ hỗ trợ trực tiếp cho vận tải đường thuỷ", 20),
    "5224": ("Bốc xếp hàng hoá", 10),
    "5229": ("Hoạt động dịch vụ hỗ trợ khác liên quan đến vận tải (giao nhận)", 40),
}
FIRM_STATES = ["hoat_dong", "tam_ngung", "giai_the"]
MOVES = ["do_tau", "xep_tau", "giao_hang", "nhan_hang", "dao_chuyen"]
SIZES, TYPES = ["20", "40", "45"], ["DC", "HC", "RF", "OT", "TK"]
CARRIERS = ["MSK", "MSC", "CMA", "OOL", "EGH", "HLX", "ONE", "CSN", "YML", "HDM", "GSL", "SIT"]
IMPORT_TYPES, EXPORT_TYPES = (
    ["A11", "A12", "E31", "E21", "G11"],
    ["B11", "E52", "E42", "B13", "G21"],
)
OFFICES = ["03CC", "03CE", "03EE", "03TG", "03PA", "03NK"]  # illustrative office codes
LANES = ["xanh", "vang", "do"]
MONTHS = 24  # 2023-01 … 2024-12
USD_VND = 24_500


def _firms(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(FIRMS.name, start), stop - start
    f = np.arange(start, stop)
    activity = synth.weighted(rng.random(n), [v[1] for v in VSIC.values()])
    area = synth.weighted(rng.random(n), [a[2] for a in port.AREAS])
    founded = np.datetime64("1995-01-01") + (rng.random(n) ** 0.6 * 10_800).astype("timedelta64[D]")
    return table_of(
        FIRMS,
        {
            "ma_so_thue": firms.tax_codes(f),
            "ten_doanh_nghiep": firms.firm_names(ctx.seed, f, firms.LOGISTICS_TRADES),
            "loai_hinh": firms.legal_form(ctx.seed, f),
            "ma_nganh_chinh": synth.pick(list(VSIC), activity),
            "nganh_nghe_chinh": synth.pick([v[0] for v in VSIC.values()], activity),
            "ma_xa": synth.pick([a[1] for a in port.AREAS], area),
            "ngay_thanh_lap": dates(founded),
            "von_dieu_le_trieu_vnd": pa.array(np.round(np.exp(rng.normal(8.3, 1.1, n)), -2)),
            "so_lao_dong": pa.array(
                np.maximum(1, np.exp(rng.normal(3.0, 1.0, n))).astype(np.int64)
            ),
            "trang_thai": synth.pick(FIRM_STATES, synth.weighted(rng.random(n), [93, 5, 2])),
            "ke_khai_thue_dien_tu": pa.array(rng.random(n) < 0.996),
        },
    )


def declaration_numbers(ctx: Context, d: np.ndarray) -> pa.Array:
    """12-digit numbers: 10… for imports, 30… for exports, the rest a bijection of d."""
    a, b = synth.affine_permutation(ctx.seed, "declaration", 10_000_000_000)
    imports = is_import(ctx, d)
    body = synth.digits((d.astype(np.int64) * a + b) % 10_000_000_000, 10)
    return synth.join(pc.if_else(pa.array(imports), "10", "30"), body)


def is_import(ctx: Context, d: np.ndarray) -> np.ndarray:
    return synth.unit(ctx.seed, "declaration-import", d) < 0.55


def declarant(ctx: Context, d: np.ndarray) -> np.ndarray:
    """Declarants: a pool a fortieth the size of the declarations, logistics firms first."""
    pool = min(20_000, max(100, ctx.counts[DECLARATIONS.name] // 40))
    return synth.below(ctx.seed, "declarant", d, pool)


def _declarations(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(DECLARATIONS.name, start), stop - start
    d = np.arange(start, stop)
    imports = is_import(ctx, d)
    kind = synth.weighted(rng.random(n), [40, 25, 20, 10, 5])
    firm = declarant(ctx, d)
    value = np.round(np.exp(rng.normal(10.1, 1.3, n)), 2)
    duty = np.where(imports, value * USD_VND * rng.choice([0, 0, 0.03, 0.05, 0.1, 0.15], n), 0)
    vat = np.where(imports, (value * USD_VND + duty) * rng.choice([0.08, 0.1], n), 0)
    registered = np.datetime64("2024-01-01") + rng.integers(0, 366, n).astype("timedelta64[D]")
    return table_of(
        DECLARATIONS,
        {
            "so_to_khai": declaration_numbers(ctx, d),
            "huong": pa.array(np.where(imports, "nhap_khau", "xuat_khau")),
            "ma_loai_hinh": pc.if_else(
                pa.array(imports), synth.pick(IMPORT_TYPES, kind), synth.pick(EXPORT_TYPES, kind)
            ),
            "ngay_dang_ky": dates(registered),
            "ma_chi_cuc": synth.pick(OFFICES, rng.integers(0, len(OFFICES), n)),
            "ma_so_thue_doanh_nghiep": firms.tax_codes(firm),
            "ten_doanh_nghiep": firms.firm_names(ctx.seed, firm, firms.TRADER_TRADES),
            "phan_luong": synth.pick(LANES, synth.weighted(rng.random(n), [62, 33, 5])),
            "ma_cang": port.port_codes().take(
                pa.array(synth.weighted(rng.random(n), port.ports(ctx.seed)["capacity"]))
            ),
            "so_container": pa.array(rng.integers(1, 12, n)),
            "tri_gia_usd": pa.array(value),
            "thue_nhap_khau_vnd": pa.array(np.round(duty).astype(np.int64)),
            "thue_gtgt_vnd": pa.array(np.round(vat).astype(np.int64)),
        },
    )


def _moves(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(MOVES_TABLE.name, start), stop - start
    m = np.arange(start, stop)
    move = synth.weighted(rng.random(n), [30, 30, 17, 17, 6])
    calls = ctx.counts[port.CALLS.name]
    call = rng.integers(0, calls, n)
    ship_side = move <= 1
    at_port = np.where(
        ship_side,
        port.call_port(ctx, call),
        synth.weighted(rng.random(n), port.ports(ctx.seed)["capacity"]),
    )
    gate_time = np.datetime64("2024-01-01T06:00:00", "s") + (rng.random(n) * 365 * 86_400).astype(
        "timedelta64[s]"
    )
    ship_time = port.call_arrival(ctx, call) + (rng.random(n) * 20 * 3600).astype("timedelta64[s]")
    full = rng.random(n) < 0.78
    gate_full = ~ship_side & (move <= 3) & full
    decls = ctx.counts[DECLARATIONS.name]
    owner = synth.weighted(rng.random(n), [14, 16, 12, 8, 9, 7, 6, 8, 5, 6, 5, 4])
    none = pa.nulls(n, pa.string())
    return table_of(
        MOVES_TABLE,
        {
            "ma_tac_nghiep": synth.join("TN24-", synth.digits(m, 7)),
            "so_container": synth.container_numbers(CARRIERS, owner, rng.integers(0, 1_000_000, n)),
            "kich_co": synth.pick(SIZES, synth.weighted(rng.random(n), [40, 55, 5])),
            "loai_container": synth.pick(TYPES, synth.weighted(rng.random(n), [62, 25, 9, 2, 2])),
            "hang_hay_rong": pa.array(np.where(full, "hang", "rong")),
            "tac_nghiep": synth.pick(MOVES, move),
            "ma_cang": port.port_codes().take(pa.array(at_port)),
            "ma_luot_tau": pc.if_else(
                pa.array(ship_side), synth.join("LT24-", synth.digits(call, 6)), none
            ),
            "thoi_diem": local_stamps(np.where(ship_side, ship_time, gate_time)),
            "so_to_khai": pc.if_else(
                pa.array(gate_full), declaration_numbers(ctx, rng.integers(0, decls, n)), none
            ),
        },
    )


def _taxes(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(TAXES.name, start), stop - start
    r = np.arange(start, stop)
    f, month = r // MONTHS, r % MONTHS
    size = np.exp(synth.unit(ctx.seed, "firm-size", f) * 3 + 4)  # millions of VND a month
    vat = np.round(size * rng.uniform(0.6, 1.4, n) * 1e6, -3)
    cit = np.where(month % 3 == 2, np.round(size * 0.9 * rng.uniform(0.2, 1.2, n) * 1e6, -3), 0)
    pit = np.round(size * 0.12 * rng.uniform(0.5, 1.5, n) * 1e6, -3)
    due = vat + cit + pit
    paid = np.where(rng.random(n) < 0.94, due, np.round(due * rng.uniform(0.3, 0.95, n), -3))
    period = np.datetime64("2023-01", "M") + month.astype("timedelta64[M]")
    paid_on = (period + np.timedelta64(1, "M")).astype("datetime64[D]") + rng.integers(
        5, 20, n
    ).astype("timedelta64[D]")
    return table_of(
        TAXES,
        {
            "ma_so_thue": firms.tax_codes(f),
            "ky_thue": pa.array(period.astype(str)),
            "thue_gtgt_vnd": pa.array(vat.astype(np.int64)),
            "thue_tndn_tam_nop_vnd": pa.array(cit.astype(np.int64)),
            "thue_tncn_vnd": pa.array(pit.astype(np.int64)),
            "tong_phai_nop_vnd": pa.array(due.astype(np.int64)),
            "tong_da_nop_vnd": pa.array(paid.astype(np.int64)),
            "nop_thue_dien_tu": pa.array(rng.random(n) < 0.993),
            "ngay_nop": dates(paid_on),
        },
    )


_FIRM_NOTE = "giả định của bản trình diễn (bài báo không nêu số lượng)."
FIRMS = Table(
    name="thue-doanh-nghiep-logistics",
    title="Doanh nghiệp logistics đăng ký thuế",
    title_en="Logistics firms registered for tax",
    about="Doanh nghiệp vận tải biển, kho bãi, giao nhận, bốc xếp: mã số thuế, ngành (VSIC), "
    "xã, ngày thành lập, vốn, lao động, trạng thái, kê khai thuế điện tử.",
    owner=owners.TAX,
    rows=2_000,
    basis=_FIRM_NOTE,
    classification="public",
    frequency="monthly",
    primary_key=("ma_so_thue",),
    indexes=("ma_nganh_chinh",),
    tags=("logistics", "thue", "doanh-nghiep"),
    generate=_firms,
    fields=[
        field("ma_so_thue", "string", "Mã số thuế", subject="tax_code", pattern=r"\d{10}"),
        field("ten_doanh_nghiep", "string", "Tên doanh nghiệp (mô phỏng)", required=True),
        field("loai_hinh", "string", "Loại hình", enum=["tnhh", "co_phan", "tu_nhan"]),
        field("ma_nganh_chinh", "string", "Mã ngành kinh tế chính (VSIC 2018)", enum=list(VSIC)),
        field("nganh_nghe_chinh", "string", "Ngành nghề kinh doanh chính"),
        commune_field("Xã nơi đặt trụ sở (mã thống kê, từ 01/7/2025)"),
        field("ngay_thanh_lap", "date", "Ngày thành lập"),
        field("von_dieu_le_trieu_vnd", "number", "Vốn điều lệ (triệu đồng)"),
        field("so_lao_dong", "integer", "Số lao động"),
        field("trang_thai", "string", "Trạng thái hoạt động", enum=FIRM_STATES),
        field("ke_khai_thue_dien_tu", "boolean", "Kê khai thuế điện tử"),
    ],
)

MOVES_TABLE = Table(
    name="cang-tac-nghiep-container",
    title="Tác nghiệp container tại cảng (từ hệ thống TOS)",
    title_en="Container moves reported by the ports' TOS",
    about="Cơ sở dữ liệu logistics: từng tác nghiệp container (dỡ, xếp tàu, giao, nhận tại cổng, "
    "đảo chuyển), số container (ISO 6346), cảng, lượt tàu, tờ khai hải quan liên quan.",
    owner=owners.INDUSTRY_TRADE,
    rows=600_000,
    basis=_FIRM_NOTE,
    classification="shared",
    frequency="realtime",
    primary_key=("ma_tac_nghiep",),
    indexes=("ma_cang", "so_container", "so_to_khai"),
    tags=("logistics", "cang-bien", "container"),
    temporal=("2024-01-01", "2024-12-31"),
    generate=_moves,
    fields=[
        field("ma_tac_nghiep", "string", "Mã tác nghiệp"),
        field("so_container", "string", "Số container (ISO 6346)", pattern=r"[A-Z]{3}U\d{7}"),
        field("kich_co", "string", "Kích cỡ (feet)", enum=SIZES),
        field("loai_container", "string", "Loại container", enum=TYPES),
        field("hang_hay_rong", "string", "Hàng hay rỗng", enum=["hang", "rong"]),
        field("tac_nghiep", "string", "Loại tác nghiệp", enum=MOVES),
        field("ma_cang", "string", "Mã cảng", required=True),
        field("ma_luot_tau", "string", "Mã lượt tàu (dỡ, xếp)"),
        field("thoi_diem", "datetime", "Thời điểm tác nghiệp", required=True),
        field("so_to_khai", "string", "Số tờ khai hải quan (giao, nhận hàng)"),
    ],
)

DECLARATIONS = Table(
    name="hq-to-khai-hai-quan",
    title="Tờ khai hải quan hàng hoá qua cảng Hải Phòng",
    title_en="Customs declarations of goods through the port",
    about="Tờ khai xuất nhập khẩu năm 2024: loại hình, ngày đăng ký, chi cục (mã minh hoạ), "
    "doanh nghiệp (mã số thuế), phân luồng, cảng, trị giá, thuế nhập khẩu và GTGT.",
    owner=owners.CUSTOMS,
    rows=300_000,
    basis=_FIRM_NOTE,
    classification="restricted",
    frequency="daily",
    primary_key=("so_to_khai",),
    indexes=("ma_so_thue_doanh_nghiep", "ngay_dang_ky"),
    tags=("hai-quan", "logistics", "thue"),
    temporal=("2024-01-01", "2024-12-31"),
    generate=_declarations,
    fields=[
        field("so_to_khai", "string", "Số tờ khai", pattern=r"[13]0\d{10}"),
        field("huong", "string", "Xuất hay nhập", enum=["nhap_khau", "xuat_khau"]),
        field("ma_loai_hinh", "string", "Mã loại hình", enum=IMPORT_TYPES + EXPORT_TYPES),
        field("ngay_dang_ky", "date", "Ngày đăng ký", required=True),
        field("ma_chi_cuc", "string", "Mã chi cục hải quan (minh hoạ)", enum=OFFICES),
        field(
            "ma_so_thue_doanh_nghiep",
            "string",
            "Mã số thuế doanh nghiệp",
            subject="tax_code",
            pattern=r"\d{10}",
        ),
        field("ten_doanh_nghiep", "string", "Tên doanh nghiệp (mô phỏng)"),
        field("phan_luong", "string", "Phân luồng", enum=LANES),
        field("ma_cang", "string", "Mã cảng dỡ, xếp hàng"),
        field("so_container", "integer", "Số container", minimum=0),
        field("tri_gia_usd", "number", "Trị giá (USD)", minimum=0),
        field("thue_nhap_khau_vnd", "integer", "Thuế nhập khẩu (đồng)", minimum=0),
        field("thue_gtgt_vnd", "integer", "Thuế GTGT hàng nhập khẩu (đồng)", minimum=0),
    ],
)

TAXES = Table(
    name="thue-nop-thue-doanh-nghiep-logistics",
    title="Số thuế phải nộp và đã nộp theo tháng của doanh nghiệp logistics",
    title_en="Monthly tax due and paid by logistics firms",
    about="Theo doanh nghiệp và tháng (2023-01 đến 2024-12): thuế GTGT, tạm nộp TNDN (quý), "
    "TNCN, tổng phải nộp, đã nộp, nộp điện tử.",
    owner=owners.TAX,
    rows=2_000 * MONTHS,
    per_parent=(FIRMS.name, MONTHS),
    basis="24 tháng cho mỗi doanh nghiệp logistics (giả định).",
    classification="restricted",
    frequency="monthly",
    primary_key=("ma_so_thue", "ky_thue"),
    tags=("thue", "logistics"),
    temporal=("2023-01-01", "2024-12-31"),
    generate=_taxes,
    fields=[
        field("ma_so_thue", "string", "Mã số thuế", subject="tax_code", pattern=r"\d{10}"),
        field("ky_thue", "string", "Kỳ thuế (tháng)", pattern=r"\d{4}-\d{2}"),
        field("thue_gtgt_vnd", "integer", "Thuế GTGT (đồng)"),
        field("thue_tndn_tam_nop_vnd", "integer", "Thuế TNDN tạm nộp (đồng)"),
        field("thue_tncn_vnd", "integer", "Thuế TNCN (đồng)"),
        field("tong_phai_nop_vnd", "integer", "Tổng phải nộp (đồng)"),
        field("tong_da_nop_vnd", "integer", "Tổng đã nộp (đồng)"),
        field("nop_thue_dien_tu", "boolean", "Nộp thuế điện tử"),
        field("ngay_nop", "date", "Ngày nộp"),
    ],
)

TABLES = (FIRMS, DECLARATIONS, MOVES_TABLE, TAXES)
