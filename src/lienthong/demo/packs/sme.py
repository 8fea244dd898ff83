"""The SME digital-transformation survey, in VCCI Hải Phòng's four categories.

From the article (seeds/002, 2023), VCCI Hải Phòng's first-quarter survey: 17.17% of SMEs
have no need of support for digital-transformation solutions; 20.92% do not know the
policies; 47.28% need or are implementing digital transformation without support; 14.64%
are implementing it with support. Difficulties: investment cost, habits, skills,
infrastructure, information. The sample size is not given: 2,295 is the smallest that
reproduces all four shares to two decimals, so 1× is 2,295 answers (exact shares); other
scales keep the shares as closely as whole answers allow. The quarter is read as 2023-Q1.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa

from lienthong.demo import synth
from lienthong.demo.packs import firms, owners
from lienthong.demo.packs.base import Context, Table, commune_field, field, share_split, table_of
from lienthong.demo.packs.common import place

CATEGORIES = {  # code: (VCCI's wording, share %)
    "chua_co_nhu_cau": ("Chưa có nhu cầu về hỗ trợ triển khai các giải pháp chuyển đổi số", 17.17),
    "khong_biet_chinh_sach": (
        "Không biết về các cơ chế, chính sách liên quan đến chuyển đổi số",
        20.92,
    ),
    "co_nhu_cau_chua_duoc_ho_tro": (
        "Đang có nhu cầu hoặc đang triển khai chuyển đổi số nhưng chưa nhận được hỗ trợ",
        47.28,
    ),
    "dang_trien_khai_duoc_ho_tro": ("Đang triển khai chuyển đổi số, nhận được hỗ trợ", 14.64),
}
SIZES = ["sieu_nho", "nho", "vua"]
SECTORS = {  # VSIC section: name
    "C": "Công nghiệp chế biến, chế tạo",
    "F": "Xây dựng",
    "G": "Bán buôn và bán lẻ",
    "H": "Vận tải kho bãi",
    "I": "Dịch vụ lưu trú và ăn uống",
    "J": "Thông tin và truyền thông",
    "M": "Hoạt động chuyên môn, khoa học và công nghệ",
}
DIFFICULTIES = {  # field: (title, how often cited)
    "kho_khan_chi_phi": ("Khó khăn về chi phí đầu tư, ứng dụng công nghệ", 0.62),
    "kho_khan_thoi_quen": ("Khó khăn thay đổi thói quen, tập quán kinh doanh", 0.41),
    "kho_khan_nhan_luc": ("Thiếu nhân lực", 0.47),
    "kho_khan_ha_tang": ("Thiếu cơ sở hạ tầng công nghệ số", 0.28),
    "kho_khan_thong_tin": ("Thiếu thông tin về công nghệ số", 0.36),
}
PERIOD = "2023-Q1"


@cache
def answers(seed: int, n: int) -> np.ndarray:
    """Each answer's category: exact counts by share (largest remainder), seeded order."""
    counts = share_split(n, [v[1] for v in CATEGORIES.values()])
    rng = synth.generator(seed, "vcci-order", n)
    return rng.permutation(np.repeat(np.arange(len(CATEGORIES)), counts))


def _survey(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(SURVEY.name, start), stop - start
    r = np.arange(start, stop)
    category = answers(ctx.seed, ctx.counts[SURVEY.name])[start:stop]
    f = firms.SME_BASE + r
    size = synth.weighted(rng.random(n), [68, 26, 6])
    staff = np.array([5, 40, 150])[size] * rng.uniform(0.3, 1.0, n)
    # firms that are transforming feel the cost; the unaware lack information
    cited = {
        k: rng.random(n)
        < p
        * np.where(category >= 2, 1.2, 0.8)
        * np.where((k == "kho_khan_thong_tin") & (category == 1), 1.8, 1.0)
        for k, (_, p) in DIFFICULTIES.items()
    }
    return table_of(
        SURVEY,
        {
            "ma_phieu": synth.join("VCCI-HP-2023Q1-", synth.digits(r + 1, 5)),
            "ky_khao_sat": pa.array([PERIOD] * n),
            "ma_so_thue": firms.tax_codes(f),
            "ten_doanh_nghiep": firms.firm_names(ctx.seed, f, firms.TRADER_TRADES),
            "quy_mo": synth.pick(SIZES, size),
            "nganh": synth.pick(
                list(SECTORS), synth.weighted(rng.random(n), [28, 14, 30, 10, 8, 4, 6])
            ),
            "ma_xa": ctx.people.commune_codes(place(ctx, rng.random(n))),
            "so_lao_dong": pa.array(np.maximum(1, staff).astype(np.int64)),
            "nhom_chuyen_doi_so": synth.pick(list(CATEGORIES), category),
        }
        | {k: pa.array(v) for k, v in cited.items()},
    )


SURVEY = Table(
    name="vcci-khao-sat-chuyen-doi-so-dnnvv",
    title="Khảo sát chuyển đổi số doanh nghiệp nhỏ và vừa (VCCI Hải Phòng)",
    title_en="SME digital-transformation survey (VCCI Hai Phong)",
    about="Từng phiếu trả lời: doanh nghiệp (mã số thuế), quy mô, ngành (VSIC), xã, số lao động, "
    "nhóm theo phân loại của VCCI và các khó khăn gặp phải. Nhóm: "
    + "; ".join(f"{k} = {v[0]} ({v[1]}%)" for k, v in CATEGORIES.items()),
    owner=owners.VCCI,
    rows=2_295,
    basis="tỷ lệ 17,17% / 20,92% / 47,28% / 14,64% (seeds/002, 2023); 2.295 là cỡ mẫu nhỏ nhất "
    "tái tạo đúng cả bốn tỷ lệ (bài không nêu cỡ mẫu).",
    classification="shared",
    frequency="quarterly",
    primary_key=("ma_phieu",),
    indexes=("nhom_chuyen_doi_so",),
    tags=("doanh-nghiep", "dnnvv", "vcci", "kinh-te-so"),
    temporal=("2023-01-01", "2023-03-31"),
    generate=_survey,
    fields=[
        field("ma_phieu", "string", "Mã phiếu khảo sát"),
        field("ky_khao_sat", "string", "Kỳ khảo sát", pattern=r"\d{4}-Q[1-4]"),
        field(
            "ma_so_thue", "string", "Mã số thuế doanh nghiệp", subject="tax_code", pattern=r"\d{10}"
        ),
        field("ten_doanh_nghiep", "string", "Tên doanh nghiệp (mô phỏng)"),
        field("quy_mo", "string", "Quy mô", enum=SIZES),
        field("nganh", "string", "Ngành (mã phần VSIC)", enum=list(SECTORS)),
        commune_field("Xã nơi đặt trụ sở (mã thống kê, từ 01/7/2025)"),
        field("so_lao_dong", "integer", "Số lao động", minimum=1),
        field("nhom_chuyen_doi_so", "string", "Nhóm (phân loại của VCCI)", enum=list(CATEGORIES)),
        *(field(k, "boolean", title) for k, (title, _) in DIFFICULTIES.items()),
    ],
)

TABLES = (SURVEY,)
