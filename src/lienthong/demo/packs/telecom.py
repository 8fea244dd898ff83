"""Telecommunications: base stations (BTS) with 4G and 5G, and coverage by commune.

From the article (seeds/002, 2023): “hoàn thành đưa vào khai thác mới 41 trạm BTS công nghệ
4G, nâng tổng số trạm BTS trên địa bàn thành phố lên 2.362 trạm. Cùng với đó, có 7 trạm BTS
công nghệ 5G được triển khai thử nghiệm tại Cảng Tân Vũ, Cảng Đình Vũ và khu vực trung tâm”.
Here the 7 trial 5G sites are among the 2,362 (rows 1–7, whatever the scale) and the 41
new 4G sites are the next 41. Coverage by commune and quarter follows the city's
trajectory: smartphones about 80% (seeds/002) to 90%, MobiFone's commitment of 5G for 95%
of residential areas within two years of licensing (seeds/000).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lienthong.demo import synth
from lienthong.demo.packs import owners
from lienthong.demo.packs.base import Context, Table, commune_field, field, table_of
from lienthong.demo.packs.common import dates, near, place

OPERATORS = ["Viettel", "VNPT-VinaPhone", "MobiFone", "Vietnamobile"]
OPERATOR_SHARES = [44, 28, 24, 4]
SITES = ["macro", "small_cell", "indoor"]
# the 5G trials: two ports and the centre (commune codes of 2025)
TRIALS_5G = [
    ("Cảng Tân Vũ", "11411", 20.8435, 106.7680),
    ("Cảng Tân Vũ", "11411", 20.8410, 106.7740),
    ("Cảng Đình Vũ", "11411", 20.8370, 106.7590),
    ("Cảng Đình Vũ", "11411", 20.8395, 106.7530),
    ("Khu vực trung tâm", "11311", 20.8625, 106.6830),
    ("Khu vực trung tâm", "11329", 20.8600, 106.6950),
    ("Khu vực trung tâm", "11383", 20.8520, 106.6850),
]
NEW_4G_2023 = 41
FIRST_QUARTER, QUARTERS = 2021, 20  # 2021-Q1 … 2025-Q4


def _stations(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(STATIONS.name, start), stop - start
    r = np.arange(start, stop)
    trial = r < len(TRIALS_5G)
    new4g = (r >= len(TRIALS_5G)) & (r < len(TRIALS_5G) + NEW_4G_2023)
    commune = place(ctx, rng.random(n))
    lat, lon = near(ctx, commune, rng, 3.0)
    codes = np.array(ctx.codes)[commune]
    for k in np.flatnonzero(trial):
        _, code, lat[k], lon[k] = TRIALS_5G[r[k]]
        codes[k] = code
    opened = np.datetime64("2008-01-01") + (rng.random(n) ** 0.8 * 5_300).astype("timedelta64[D]")
    opened = np.where(
        new4g,
        np.datetime64("2023-01-10") + rng.integers(0, 320, n).astype("timedelta64[D]"),
        opened,
    )
    opened = np.where(
        trial, np.datetime64("2023-06-15") + rng.integers(0, 60, n).astype("timedelta64[D]"), opened
    )
    operator = np.where(trial, r % 3, synth.weighted(rng.random(n), OPERATOR_SHARES))
    return table_of(
        STATIONS,
        {
            "ma_tram": synth.join("BTS-HP-", synth.digits(r + 1, 5)),
            "nha_mang": synth.pick(OPERATORS, operator),
            "ma_xa": pa.array(codes, pa.string()),
            "vi_do": synth.decimal(lat, 5).cast(pa.float64()),
            "kinh_do": synth.decimal(lon, 5).cast(pa.float64()),
            "loai_tram": synth.pick(SITES, synth.weighted(rng.random(n), [82, 13, 5])),
            "cong_nghe_2g": pa.array(~trial & (rng.random(n) < 0.55)),
            "cong_nghe_3g": pa.array(~trial & (rng.random(n) < 0.45)),
            "cong_nghe_4g": pa.array(trial | new4g | (rng.random(n) < 0.96)),
            "cong_nghe_5g": pa.array(trial),
            "thu_nghiem_5g": pa.array(trial),
            "ngay_phat_song": dates(opened),
            "chieu_cao_cot_m": pa.array(np.round(rng.uniform(18, 45, n), 1)),
        },
    )


def _coverage(ctx: Context, start: int, stop: int) -> pa.Table:
    r = np.arange(start, stop)
    commune, quarter = r // QUARTERS, r % QUARTERS
    t = quarter / (QUARTERS - 1)  # 0 in 2021-Q1, 1 in 2025-Q4
    urban = np.array([c.kind == "phuong" for c in ctx.communes])[commune]
    noise = synth.unit(ctx.seed, "coverage", commune) - 0.5
    q5 = np.clip((quarter - 13) / 6, 0, 1)  # 5G from 2024-Q2, two years to 95%
    values = {
        "ty_le_dan_cu_phu_4g_pct": np.clip(np.where(urban, 99.0, 93.5) + 5.5 * t + noise, 0, 100),
        "ty_le_dan_cu_phu_5g_pct": np.round(np.where(urban, 95, 80) * q5 * (1 + noise / 10), 1),
        "toc_do_di_dong_mbps": np.round(
            (32 + 55 * t) * np.where(urban, 1.1, 0.85) * (1 + noise / 5), 1
        ),
        "toc_do_bang_rong_co_dinh_mbps": np.round(
            (58 + 120 * t) * np.where(urban, 1.1, 0.8) * (1 + noise / 5), 1
        ),
        "ty_le_ho_co_cap_quang_pct": np.clip(np.where(urban, 82, 61) + 22 * t + 4 * noise, 0, 100),
        "ty_le_thue_bao_smartphone_pct": np.clip(
            np.where(urban, 84, 76) + 10 * t + 2 * noise, 0, 100
        ),
    }
    year = FIRST_QUARTER + quarter // 4
    period = synth.join(synth.text(year), "-Q", synth.text(quarter % 4 + 1))
    return table_of(
        COVERAGE,
        {"ma_xa": ctx.people.commune_codes(commune), "ky": period}
        | {k: pa.array(np.round(v, 1)) for k, v in values.items()},
    )


STATIONS = Table(
    name="vt-tram-bts",
    title="Trạm thu phát sóng di động (BTS)",
    title_en="Mobile base stations (BTS)",
    about="Trạm BTS: nhà mạng, xã, toạ độ, công nghệ 2G/3G/4G/5G, ngày phát sóng; 7 trạm 5G "
    "thử nghiệm (Cảng Tân Vũ, Cảng Đình Vũ, trung tâm) và 41 trạm 4G mới năm 2023.",
    owner=owners.SCIENCE_TECHNOLOGY,
    rows=2_362,
    basis="“nâng tổng số trạm BTS trên địa bàn thành phố lên 2.362 trạm” (seeds/002, 2023).",
    classification="shared",
    frequency="quarterly",
    primary_key=("ma_tram",),
    indexes=("ma_xa", "nha_mang"),
    tags=("vien-thong", "ha-tang-so", "5g"),
    generate=_stations,
    fields=[
        field("ma_tram", "string", "Mã trạm"),
        field("nha_mang", "string", "Doanh nghiệp viễn thông", enum=OPERATORS),
        commune_field(),
        field("vi_do", "number", "Vĩ độ"),
        field("kinh_do", "number", "Kinh độ"),
        field("loai_tram", "string", "Loại trạm", enum=SITES),
        field("cong_nghe_2g", "boolean", "Có 2G"),
        field("cong_nghe_3g", "boolean", "Có 3G"),
        field("cong_nghe_4g", "boolean", "Có 4G"),
        field("cong_nghe_5g", "boolean", "Có 5G"),
        field("thu_nghiem_5g", "boolean", "Trạm 5G thử nghiệm"),
        field("ngay_phat_song", "date", "Ngày phát sóng"),
        field("chieu_cao_cot_m", "number", "Chiều cao cột (m)"),
    ],
)

COVERAGE = Table(
    name="vt-phu-song-theo-xa",
    title="Vùng phủ sóng và tốc độ mạng theo xã, theo quý",
    title_en="Coverage and network speed by commune and quarter",
    about="Theo xã và quý (2021-Q1 đến 2025-Q4): tỷ lệ dân cư được phủ sóng 4G, 5G, tốc độ di "
    "động và băng rộng cố định, tỷ lệ hộ có cáp quang, tỷ lệ thuê bao smartphone.",
    owner=owners.SCIENCE_TECHNOLOGY,
    rows=114 * QUARTERS,
    fixed=True,
    basis="114 xã × 20 quý; mốc: ~80% người dân dùng smartphone (seeds/002), cam kết 5G phủ "
    "95% khu dân cư trong 2 năm (seeds/000).",
    classification="public",
    frequency="quarterly",
    primary_key=("ma_xa", "ky"),
    tags=("vien-thong", "ha-tang-so"),
    temporal=("2021-01-01", "2025-12-31"),
    generate=_coverage,
    fields=[
        commune_field(),
        field("ky", "string", "Kỳ (quý)", pattern=r"\d{4}-Q[1-4]"),
        field(
            "ty_le_dan_cu_phu_4g_pct",
            "number",
            "Tỷ lệ dân cư được phủ sóng 4G (%)",
            minimum=0,
            maximum=100,
        ),
        field(
            "ty_le_dan_cu_phu_5g_pct",
            "number",
            "Tỷ lệ dân cư được phủ sóng 5G (%)",
            minimum=0,
            maximum=100,
        ),
        field("toc_do_di_dong_mbps", "number", "Tốc độ tải xuống di động (Mbps)"),
        field("toc_do_bang_rong_co_dinh_mbps", "number", "Tốc độ băng rộng cố định (Mbps)"),
        field(
            "ty_le_ho_co_cap_quang_pct",
            "number",
            "Tỷ lệ hộ có cáp quang (%)",
            minimum=0,
            maximum=100,
        ),
        field(
            "ty_le_thue_bao_smartphone_pct",
            "number",
            "Tỷ lệ thuê bao dùng smartphone (%)",
            minimum=0,
            maximum=100,
        ),
    ],
)

TABLES = (STATIONS, COVERAGE)
