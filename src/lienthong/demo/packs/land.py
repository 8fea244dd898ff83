"""Land: parcels with their attributes, and the spatial records (geometry as WKT text).

Scale from the article (seeds/002, 2023): “cơ sở dữ liệu đất đai được cập nhật với hơn 637
nghìn dữ liệu không gian, gần 224 nghìn thửa đất có thông tin thuộc tính”. Every parcel has
one current polygon among the spatial records; the rest are buildings, roads, canals and
survey marks. A parcel's geometry is a function of its index, so both tables agree.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lienthong.demo import synth
from lienthong.demo.packs import owners
from lienthong.demo.packs.base import Context, Table, commune_field, field, share_split, table_of
from lienthong.demo.packs.common import dates, wkt_line, wkt_point, wkt_rectangle

PER_SHEET, SHEET_COLS, CELL_M = 256, 12, 32.0
USES = {  # code: (name, urban weight, rural weight, median m²)
    "ODT": ("Đất ở tại đô thị", 60, 4, 80),
    "ONT": ("Đất ở tại nông thôn", 6, 38, 220),
    "LUC": ("Đất chuyên trồng lúa nước", 1, 30, 900),
    "CLN": ("Đất trồng cây lâu năm", 1, 9, 600),
    "NTS": ("Đất nuôi trồng thuỷ sản", 1, 7, 1500),
    "TMD": ("Đất thương mại, dịch vụ", 10, 2, 400),
    "SKC": ("Đất cơ sở sản xuất phi nông nghiệp", 8, 4, 2500),
    "DGD": ("Đất xây dựng cơ sở giáo dục và đào tạo", 2, 1, 5000),
    "DGT": ("Đất giao thông", 8, 3, 1200),
    "DTL": ("Đất thuỷ lợi", 1, 2, 1000),
}
ORIGINS = [
    "Công nhận quyền sử dụng đất như giao đất không thu tiền",
    "Nhà nước giao đất có thu tiền sử dụng đất",
    "Nhận chuyển nhượng quyền sử dụng đất",
    "Nhận thừa kế, tặng cho quyền sử dụng đất",
    "Nhà nước cho thuê đất trả tiền hằng năm",
]
LAYERS = ["thua_dat", "nha", "giao_thong", "thuy_he", "moc_dia_chinh"]
OTHER_LAYER_SHARES = [0, 0.62, 0.16, 0.08, 0.14]
GCN_SERIES = ["BĐ", "BX", "CĐ", "CH", "CK", "CS", "CX", "DA", "DB", "DC"]


@cache
def layout(n: int, kinds: tuple[str, ...], tiny: tuple[bool, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Parcels per commune (rural communes hold more) and each commune's first parcel."""
    weights = [
        0.02 if t else 1.0 if k == "phuong" else 1.6 if k == "xa" else 0.8
        for k, t in zip(kinds, tiny, strict=True)
    ]
    counts = share_split(n, weights)
    return counts, np.concatenate([[0], np.cumsum(counts)[:-1]])


def parcel_place(ctx: Context, p: np.ndarray) -> dict[str, np.ndarray]:
    """Commune, sheet and parcel numbers, use and the rectangle of parcels `p`."""
    n = ctx.counts[PARCELS.name]
    kinds = tuple(c.kind for c in ctx.communes)
    tiny = tuple(c.name.endswith("Bạch Long Vĩ") for c in ctx.communes)
    _, starts = layout(n, kinds, tiny)
    commune = np.searchsorted(starts, p, side="right") - 1
    local = p - starts[commune]
    sheet, number = local // PER_SHEET, local % PER_SHEET
    urban = np.array([k == "phuong" for k in kinds])[commune]
    u = synth.unit(ctx.seed, "land-use", p)
    use_u = synth.weighted(u, [v[1] for v in USES.values()])
    use_r = synth.weighted(u, [v[2] for v in USES.values()])
    use = np.where(urban, use_u, use_r)
    median = np.array([v[3] for v in USES.values()], dtype=np.float64)[use]
    spread = np.exp(0.45 * _normal(ctx.seed, "land-area", p))
    area = np.round(median * spread, 1)
    # sheets tile the commune around its centre; parcels tile each sheet (16 × 16 cells)
    sx, sy = sheet % SHEET_COLS - SHEET_COLS // 2, sheet // SHEET_COLS - 3
    cx, cy = number % 16, number // 16
    east_m = (sx * 16 + cx) * CELL_M
    north_m = (sy * 16 + cy) * CELL_M
    lat = ctx.commune_array("lat")[commune] + north_m / 111_000
    lon = ctx.commune_array("lon")[commune] + east_m / 104_000
    side = np.minimum(np.sqrt(area), CELL_M * 0.9)
    return {
        "commune": commune,
        "sheet": sheet + 1,
        "number": number + 1,
        "use": use,
        "area": area,
        "lat": lat,
        "lon": lon,
        "dlat": side / 111_000,
        "dlon": np.minimum(area / side, CELL_M * 0.9) / 104_000,
    }


def _normal(seed: int, name: str, p: np.ndarray) -> np.ndarray:
    """Standard normal draws per index (Box–Muller on two hashed uniforms)."""
    u1 = np.maximum(synth.unit(seed, name + "-1", p), 1e-12)
    u2 = synth.unit(seed, name + "-2", p)
    return np.asarray(np.sqrt(-2 * np.log(u1)) * np.cos(2 * np.pi * u2))


def parcel_ids(ctx: Context, where: dict[str, np.ndarray]) -> pa.Array:
    code = ctx.people.commune_codes(where["commune"])
    return synth.join(
        code, ".", synth.digits(where["sheet"], 3), ".", synth.digits(where["number"], 4)
    )


def _parcels(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(PARCELS.name, start), stop - start
    p = np.arange(start, stop)
    w = parcel_place(ctx, p)
    people = ctx.people
    owner = people.among(
        people.slots_born(1940, 2000), (rng.random(n) * 1_200_000).astype(np.int64)
    )
    firm = rng.random(n) < np.where(np.isin(w["use"], [5, 6, 7]), 0.7, 0.04)
    issued = np.datetime64("1994-01-01") + (rng.random(n) ** 0.7 * 11_000).astype("timedelta64[D]")
    none = pa.nulls(n, pa.string())
    return table_of(
        PARCELS,
        {
            "ma_thua": parcel_ids(ctx, w),
            "ma_xa": people.commune_codes(w["commune"]),
            "so_to_ban_do": pa.array(w["sheet"]),
            "so_thua": pa.array(w["number"]),
            "dien_tich_m2": pa.array(w["area"]),
            "ma_muc_dich_su_dung": synth.pick(list(USES), w["use"]),
            "muc_dich_su_dung": synth.pick([v[0] for v in USES.values()], w["use"]),
            "nguon_goc_su_dung": synth.pick(
                ORIGINS, synth.weighted(rng.random(n), [30, 15, 35, 15, 5])
            ),
            "thoi_han_su_dung": pa.array(np.where(firm, "50 năm", "Lâu dài")),
            "so_giay_chung_nhan": synth.join(
                synth.pick(GCN_SERIES, rng.integers(0, 10, n)),
                " ",
                synth.digits(rng.integers(0, 999_999, n), 6),
            ),
            "ngay_cap_giay_chung_nhan": dates(issued),
            "chu_su_dung_ho_ten": _where(firm, none, people.full_name(owner)),
            "chu_su_dung_so_cccd": _where(firm, none, people.citizen_id(owner)),
            "to_chuc_ma_so_thue": _where(firm, synth.tax_codes(rng.integers(0, 20_000, n)), none),
            "dia_chi_thua_dat": people.address(owner, w["commune"]),
        },
    )


def _where(mask: np.ndarray, yes: pa.Array, no: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(mask), yes, no)


def _spatial(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(SPATIAL.name, start), stop - start
    r = np.arange(start, stop)
    n_parcels = ctx.counts[PARCELS.name]
    own = r < n_parcels
    other_layer = synth.weighted(rng.random(n), OTHER_LAYER_SHARES)
    layer = np.where(own, 0, other_layer)
    parcel = np.where(own, r, (rng.random(n) * n_parcels).astype(np.int64))
    w = parcel_place(ctx, parcel)
    shrink = np.where(layer == 1, 0.55, 1.0)  # a building sits inside its parcel
    off = np.where(layer == 1, 0.2, 0.0)
    lat, lon = w["lat"] + w["dlat"] * off, w["lon"] + w["dlon"] * off
    poly = wkt_rectangle(lat, lon, w["dlat"] * shrink, w["dlon"] * shrink)
    line = wkt_line(lat, lon, rng.normal(0, 0.002, n), rng.normal(0, 0.003, n))
    point = wkt_point(lat, lon)
    geometry = pc.if_else(pa.array(layer <= 1), poly, pc.if_else(pa.array(layer == 4), point, line))
    updated = np.datetime64("2022-03-01") + (rng.random(n) * 640).astype("timedelta64[D]")
    return table_of(
        SPATIAL,
        {
            "ma_doi_tuong": synth.join("KG", synth.digits(r, 8)),
            "lop_du_lieu": synth.pick(LAYERS, layer),
            "ma_thua": _where(layer <= 1, parcel_ids(ctx, w), pa.nulls(n, pa.string())),
            "ma_xa": ctx.people.commune_codes(w["commune"]),
            "hinh_hoc_wkt": geometry,
            "ngay_cap_nhat": dates(updated),
        },
    )


PARCELS = Table(
    name="dat-dai-thua-dat",
    title="Thửa đất và thông tin thuộc tính",
    title_en="Land parcels with attributes",
    about="Thửa đất: xã, số tờ, số thửa, diện tích, mục đích sử dụng, nguồn gốc, giấy chứng "
    "nhận và chủ sử dụng (cá nhân theo số CCCD, tổ chức theo mã số thuế).",
    owner=owners.AGRICULTURE_ENVIRONMENT,
    rows=224_000,
    basis="“gần 224 nghìn thửa đất có thông tin thuộc tính” (seeds/002, 2023).",
    classification="shared",
    frequency="daily",
    primary_key=("ma_thua",),
    indexes=("ma_xa", "chu_su_dung_so_cccd"),
    tags=("dat-dai", "tai-nguyen-moi-truong"),
    generate=_parcels,
    fields=[
        field("ma_thua", "string", "Mã thửa đất", "mã xã.số tờ.số thửa"),
        commune_field(),
        field("so_to_ban_do", "integer", "Số tờ bản đồ", minimum=1),
        field("so_thua", "integer", "Số thửa", minimum=1),
        field("dien_tich_m2", "number", "Diện tích (m²)", minimum=0),
        field("ma_muc_dich_su_dung", "string", "Mã mục đích sử dụng", enum=list(USES)),
        field("muc_dich_su_dung", "string", "Mục đích sử dụng"),
        field("nguon_goc_su_dung", "string", "Nguồn gốc sử dụng", enum=ORIGINS),
        field("thoi_han_su_dung", "string", "Thời hạn sử dụng"),
        field("so_giay_chung_nhan", "string", "Số phát hành giấy chứng nhận"),
        field("ngay_cap_giay_chung_nhan", "date", "Ngày cấp giấy chứng nhận"),
        field("chu_su_dung_ho_ten", "string", "Họ tên chủ sử dụng (cá nhân)", personal=True),
        field(
            "chu_su_dung_so_cccd",
            "string",
            "Số CCCD chủ sử dụng",
            personal=True,
            subject="citizen_id",
            pattern=r"\d{12}",
        ),
        field(
            "to_chuc_ma_so_thue",
            "string",
            "Mã số thuế tổ chức sử dụng đất",
            subject="tax_code",
            pattern=r"\d{10}",
        ),
        field("dia_chi_thua_dat", "string", "Địa chỉ thửa đất (thôn, số nhà, đường)"),
    ],
)

SPATIAL = Table(
    name="dat-dai-du-lieu-khong-gian",
    title="Dữ liệu không gian đất đai",
    title_en="Land spatial records (geometry as WKT)",
    about="Đối tượng không gian của cơ sở dữ liệu đất đai: thửa đất, nhà, giao thông, thuỷ hệ, "
    "mốc địa chính; hình học dạng WKT, hệ toạ độ WGS 84 (kinh độ vĩ độ).",
    owner=owners.AGRICULTURE_ENVIRONMENT,
    rows=637_000,
    basis="“hơn 637 nghìn dữ liệu không gian” (seeds/002, 2023).",
    classification="shared",
    frequency="daily",
    primary_key=("ma_doi_tuong",),
    indexes=("ma_thua", "ma_xa"),
    tags=("dat-dai", "ban-do", "wkt"),
    generate=_spatial,
    fields=[
        field("ma_doi_tuong", "string", "Mã đối tượng không gian"),
        field("lop_du_lieu", "string", "Lớp dữ liệu", enum=LAYERS),
        field("ma_thua", "string", "Mã thửa đất liên quan"),
        commune_field(),
        field(
            "hinh_hoc_wkt",
            "string",
            "Hình học (WKT, WGS 84)",
            "POLYGON, LINESTRING hoặc POINT",
            required=True,
        ),
        field("ngay_cap_nhat", "date", "Ngày cập nhật"),
    ],
)

TABLES = (PARCELS, SPATIAL)
