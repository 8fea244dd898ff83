"""Construction: the planning database's maps, each with its extent as WKT.

Scale from the article (seeds/002, 2023): “Ngành Xây dựng tập trung triển khai cơ sở dữ
liệu quy hoạch với 5.000 bản đồ quy hoạch, thử nghiệm cổng thông tin quy hoạch thành phố.”
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lienthong.demo import synth
from lienthong.demo.packs import owners
from lienthong.demo.packs.base import Context, Table, commune_field, field, table_of
from lienthong.demo.packs.common import dates, near, place, wkt_rectangle

KINDS = {  # kind: (title pattern, scales, typical hectares, weight)
    "chung": ("Quy hoạch chung {}", ["1/5000", "1/10000", "1/25000"], 3000, 3),
    "phan_khu": ("Quy hoạch phân khu khu vực {}", ["1/2000", "1/5000"], 600, 12),
    "chi_tiet": ("Quy hoạch chi tiết khu dân cư {}", ["1/500", "1/2000"], 25, 55),
    "nong_thon_moi": ("Quy hoạch chung xây dựng xã {}", ["1/5000", "1/10000"], 1800, 10),
    "khu_cong_nghiep": ("Quy hoạch chi tiết khu công nghiệp {}", ["1/2000"], 350, 6),
    "chuyen_nganh": ("Quy hoạch hạ tầng kỹ thuật {}", ["1/2000", "1/5000"], 900, 14),
}
STATES = ["con_hieu_luc", "da_dieu_chinh", "het_hieu_luc"]
FORMATS = ["DWG", "Shapefile", "GeoJSON", "PDF (bản quét)"]
APPROVERS = ["UBND thành phố Hải Phòng", "Sở Xây dựng", "UBND cấp huyện (trước 2025)"]
DECISION_SUFFIX = ["/QĐ-UBND", "/QĐ-SXD", "/QĐ-UBND"]


def _maps(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(MAPS.name, start), stop - start
    kind = synth.weighted(rng.random(n), [v[3] for v in KINDS.values()])
    spec = list(KINDS.values())
    commune = place(ctx, rng.random(n))
    scale = [
        spec[k][1][j % len(spec[k][1])] for k, j in zip(kind, rng.integers(0, 6, n), strict=True)
    ]
    title = [
        spec[k][0].format(ctx.communes[c].short_name) + f" (đợt {j})"
        for k, c, j in zip(kind, commune, rng.integers(1, 9, n), strict=True)
    ]
    hectares = np.round(np.array([spec[k][2] for k in kind]) * np.exp(rng.normal(0, 0.5, n)), 2)
    side = np.sqrt(hectares * 10_000)  # metres, as a square
    lat, lon = near(ctx, commune, rng, 2.0)
    approved = np.datetime64("2005-01-01") + (rng.random(n) ** 0.6 * 7_200).astype("timedelta64[D]")
    year = approved.astype("datetime64[Y]").astype(int) + 1970
    state = synth.weighted(rng.random(n), [70, 20, 10])
    ids = np.arange(start, stop)
    approver = synth.weighted(rng.random(n), [35, 25, 40])
    return table_of(
        MAPS,
        {
            "ma_ban_do": synth.join("QH-", synth.text(year), "-", synth.digits(ids, 5)),
            "ten_do_an": pa.array(title, pa.string()),
            "loai_quy_hoach": synth.pick(list(KINDS), kind),
            "ty_le": pa.array(scale, pa.string()),
            "ma_xa": ctx.people.commune_codes(commune),
            "co_quan_phe_duyet": synth.pick(APPROVERS, approver),
            "so_quyet_dinh": synth.join(
                synth.text(rng.integers(100, 4000, n)), synth.pick(DECISION_SUFFIX, approver)
            ),
            "ngay_phe_duyet": dates(approved),
            "dien_tich_ha": pa.array(hectares),
            "trang_thai": synth.pick(STATES, state),
            "dinh_dang_so": synth.pick(FORMATS, synth.weighted(rng.random(n), [45, 25, 15, 15])),
            "cong_bo_cong_thong_tin": pa.array(rng.random(n) < 0.62),
            "pham_vi_wkt": wkt_rectangle(lat, lon, side / 111_000, side / 104_000),
        },
    )


MAPS = Table(
    name="xd-ban-do-quy-hoach",
    title="Bản đồ quy hoạch xây dựng",
    title_en="Construction planning maps",
    about="Cơ sở dữ liệu quy hoạch: đồ án, loại, tỷ lệ, quyết định phê duyệt, trạng thái, "
    "định dạng số và phạm vi (WKT, WGS 84); cờ đã công bố trên cổng thông tin quy hoạch.",
    owner=owners.CONSTRUCTION,
    rows=5_000,
    basis="“cơ sở dữ liệu quy hoạch với 5.000 bản đồ quy hoạch” (seeds/002, 2023).",
    classification="public",
    frequency="monthly",
    primary_key=("ma_ban_do",),
    indexes=("ma_xa", "loai_quy_hoach"),
    tags=("quy-hoach", "xay-dung", "wkt"),
    generate=_maps,
    fields=[
        field("ma_ban_do", "string", "Mã bản đồ quy hoạch"),
        field("ten_do_an", "string", "Tên đồ án quy hoạch", required=True),
        field("loai_quy_hoach", "string", "Loại quy hoạch", enum=list(KINDS)),
        field("ty_le", "string", "Tỷ lệ bản đồ"),
        commune_field(),
        field("co_quan_phe_duyet", "string", "Cơ quan phê duyệt"),
        field("so_quyet_dinh", "string", "Số quyết định phê duyệt"),
        field("ngay_phe_duyet", "date", "Ngày phê duyệt"),
        field("dien_tich_ha", "number", "Diện tích (ha)", minimum=0),
        field("trang_thai", "string", "Trạng thái", enum=STATES),
        field("dinh_dang_so", "string", "Định dạng dữ liệu số", enum=FORMATS),
        field("cong_bo_cong_thong_tin", "boolean", "Đã công bố trên cổng thông tin quy hoạch"),
        field("pham_vi_wkt", "string", "Phạm vi quy hoạch (WKT, WGS 84)"),
    ],
)

TABLES = (MAPS,)
