"""Port and logistics: ports with their terminal operating systems, and vessel calls.

From the articles: “100% số cảng tại Hải Phòng đã có hệ thống quản lý cảng TOS. Trong đó,
có 22 cảng (chiếm hơn 40% số cảng) đã ứng dụng các nền tảng cảng biển số chỉ trong thời gian
nhanh từ 2 - 4 tuần, với chi phí bằng 10 - 20% so với các sản phẩm cùng loại từ nước ngoài”
(seeds/003, 2024); 5G trials at Tân Vũ and Đình Vũ (seeds/002, seeds/004). 50 ports (22 of
them is 44%, “hơn 40%”) and 24,000 vessel calls in 2024 are our assumptions. Port names
are synthetic ("Bến cảng Đình Vũ số 3"), placed in the real port areas.

A vessel call's port and time are functions of its index, so that the container moves
of `logistics.py` land at the right port at the right time.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lienthong.demo import synth
from lienthong.demo.packs import firms, owners
from lienthong.demo.packs.base import Context, Table, commune_field, field, table_of
from lienthong.demo.packs.common import local_stamps

AREAS = [  # area, commune code (2025), ports
    ("Lạch Huyện", "11914", 6),
    ("Đình Vũ", "11411", 14),
    ("Tân Vũ", "11411", 4),
    ("Hải An", "11413", 4),
    ("Sông Cấm", "11311", 6),
    ("Hoàng Diệu", "11329", 2),
    ("Bạch Đằng", "11473", 5),
    ("Nam Triệu", "11542", 3),
    ("Kinh Môn", "10675", 4),
    ("Đồ Sơn", "11455", 2),
]
N_PORTS = sum(a[2] for a in AREAS)
DIGITAL_PORTS = 22
TOS_KINDS = ["tos_trong_nuoc", "tos_nuoc_ngoai", "tos_tu_phat_trien"]
SHIP_TYPES = ["container", "hang_tong_hop", "hang_roi", "tau_dau", "ro_ro"]
SHIP_SHARES = [55, 20, 15, 7, 3]
FLAGS = ["VN", "PA", "LR", "MH", "SG", "HK", "CN", "KR", "JP"]
NAME_A = [
    "PACIFIC",
    "ORIENT",
    "HAIAN",
    "GREEN",
    "OCEAN",
    "MEKONG",
    "JADE",
    "GOLDEN",
    "VICTORY",
    "SUNRISE",
]
NAME_B = ["EXPRESS", "STAR", "BRIDGE", "PEARL", "HARMONY", "GLORY", "PRIDE", "FORTUNE"]
YEAR_START = np.datetime64("2024-01-01T00:00:00", "s")


def ports(seed: int) -> dict[str, np.ndarray]:
    area = np.repeat(np.arange(len(AREAS)), [a[2] for a in AREAS])
    rng = synth.generator(seed, "ports")
    digital = np.zeros(N_PORTS, dtype=bool)
    digital[rng.permutation(N_PORTS)[:DIGITAL_PORTS]] = True
    capacity = np.round(np.exp(rng.normal(12.3, 0.8, N_PORTS)), -3)  # TEU a year
    capacity[area == 0] *= 4  # the deep-water terminals
    return {"area": area, "digital": digital, "capacity": capacity}


def port_codes() -> pa.Array:
    return synth.join("CB", synth.digits(np.arange(1, N_PORTS + 1), 3))


def _ports(ctx: Context, start: int, stop: int) -> pa.Table:
    rng = ctx.rng(PORTS.name, start)
    p = ports(ctx.seed)
    s, n = slice(start, stop), stop - start
    area = p["area"][s]
    number = np.arange(start, stop) - np.searchsorted(p["area"], area)
    digital = p["digital"][s]
    first_of_area = number == 0
    five_g = first_of_area & np.isin(area, [1, 2])  # Đình Vũ and Tân Vũ
    tos = np.where(digital, 0, synth.weighted(rng.random(n), [0, 60, 40]))
    return table_of(
        PORTS,
        {
            "ma_cang": port_codes()[start:stop],
            "ten_cang": synth.join(
                "Bến cảng ", synth.pick([a[0] for a in AREAS], area), " số ", synth.text(number + 1)
            ),
            "khu_vuc": synth.pick([a[0] for a in AREAS], area),
            "ma_xa": synth.pick([a[1] for a in AREAS], area),
            "he_thong_tos": synth.pick(TOS_KINDS, tos),
            "co_he_thong_tos": pa.array(np.ones(n, dtype=bool)),
            "nen_tang_cang_so": pa.array(digital),
            "thoi_gian_trien_khai_tuan": synth.where(digital, rng.integers(2, 5, n)),
            "chi_phi_so_voi_nuoc_ngoai_pct": synth.where(digital, rng.integers(10, 21, n)),
            "so_cau_ben": pa.array(rng.integers(1, 7, n)),
            "cong_suat_teu_nam": pa.array(p["capacity"][s].astype(np.int64)),
            "song_5g_thu_nghiem": pa.array(five_g),
        },
    )


def call_port(ctx: Context, c: np.ndarray) -> np.ndarray:
    return synth.weighted(synth.unit(ctx.seed, "call-port", c), ports(ctx.seed)["capacity"])


def call_arrival(ctx: Context, c: np.ndarray) -> np.ndarray:
    """Arrival times (datetime64[s]) over 2024."""
    seconds = (synth.unit(ctx.seed, "call-time", c) * 366 * 86_400).astype(np.int64)
    return YEAR_START + seconds.astype("timedelta64[s]")


def ship(ctx: Context, c: np.ndarray) -> np.ndarray:
    """The ship of each call, from a fleet about an eighth the size of the calls."""
    fleet = max(50, ctx.counts[CALLS.name] // 8)
    return synth.below(ctx.seed, "call-ship", c, fleet)


def _calls(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(CALLS.name, start), stop - start
    c = np.arange(start, stop)
    j = ship(ctx, c)
    kind = synth.weighted(synth.unit(ctx.seed, "ship-type", j), SHIP_SHARES)
    gt = np.round(
        np.exp(
            np.log(np.array([22_000, 6_000, 18_000, 9_000, 12_000])[kind])
            + 0.5 * (synth.unit(ctx.seed, "ship-gt", j) - 0.5) * 2
        )
    )
    arrive = call_arrival(ctx, c)
    stay = (rng.uniform(10, 70, n) * 3600).astype(np.int64)
    teu = np.where(kind == 0, (gt / 25 * rng.uniform(0.2, 0.7, n)).astype(np.int64), 0)
    name = synth.join(
        synth.pick(NAME_A, j % len(NAME_A)),
        " ",
        synth.pick(NAME_B, (j // len(NAME_A)) % len(NAME_B)),
        " ",
        synth.digits(j // 80 + 1, 2),
    )
    agents = max(1, ctx.counts["thue-doanh-nghiep-logistics"])
    return table_of(
        CALLS,
        {
            "ma_luot_tau": synth.join("LT24-", synth.digits(c, 6)),
            "so_imo": synth.imo_numbers(910_000 + j),
            "ten_tau": name,
            "quoc_tich": synth.pick(
                FLAGS,
                synth.weighted(synth.unit(ctx.seed, "ship-flag", j), [45, 12, 9, 8, 7, 6, 6, 4, 3]),
            ),
            "loai_tau": synth.pick(SHIP_TYPES, kind),
            "tong_dung_tich_gt": pa.array(gt.astype(np.int64)),
            "ma_cang": port_codes().take(pa.array(call_port(ctx, c))),
            "thoi_diem_den": local_stamps(arrive),
            "thoi_diem_roi": local_stamps(arrive + stay.astype("timedelta64[s]")),
            "so_teu_do": pa.array(teu),
            "so_teu_xep": pa.array((teu * rng.uniform(0.6, 1.1, n)).astype(np.int64)),
            "dai_ly_tau_ma_so_thue": firms.tax_codes(rng.integers(0, agents, n)),
            "khai_bao_dien_tu": pa.array(rng.random(n) < 0.985),
        },
    )


PORTS = Table(
    name="cang-bien",
    title="Cảng biển và hệ thống quản lý cảng (TOS)",
    title_en="Ports and their terminal operating systems",
    about="Cảng trên địa bàn: khu vực, loại TOS, đã dùng nền tảng cảng biển số (thời gian "
    "triển khai 2–4 tuần, chi phí 10–20% sản phẩm nước ngoài), công suất, 5G thử nghiệm.",
    owner=owners.MARITIME,
    rows=N_PORTS,
    fixed=True,
    basis="“100% số cảng … đã có hệ thống quản lý cảng TOS … 22 cảng (chiếm hơn 40% số cảng) "
    "đã ứng dụng các nền tảng cảng biển số” (seeds/003, 2024); 50 cảng là giả định.",
    classification="public",
    frequency="annual",
    primary_key=("ma_cang",),
    tags=("cang-bien", "logistics", "tos"),
    generate=_ports,
    fields=[
        field("ma_cang", "string", "Mã cảng"),
        field("ten_cang", "string", "Tên cảng (mô phỏng)", required=True),
        field("khu_vuc", "string", "Khu vực cảng"),
        commune_field(),
        field("he_thong_tos", "string", "Hệ thống quản lý cảng (TOS)", enum=TOS_KINDS),
        field("co_he_thong_tos", "boolean", "Có hệ thống TOS"),
        field("nen_tang_cang_so", "boolean", "Ứng dụng nền tảng cảng biển số (Make in Vietnam)"),
        field("thoi_gian_trien_khai_tuan", "integer", "Thời gian triển khai nền tảng (tuần)"),
        field("chi_phi_so_voi_nuoc_ngoai_pct", "integer", "Chi phí so với sản phẩm nước ngoài (%)"),
        field("so_cau_ben", "integer", "Số cầu bến"),
        field("cong_suat_teu_nam", "integer", "Công suất thiết kế (TEU/năm)"),
        field("song_5g_thu_nghiem", "boolean", "Có sóng 5G thử nghiệm"),
    ],
)

CALLS = Table(
    name="cang-luot-tau",
    title="Lượt tàu đến, rời cảng",
    title_en="Vessel calls",
    about="Lượt tàu năm 2024: số IMO, tên tàu, quốc tịch, loại tàu, dung tích, cảng, thời điểm "
    "đến và rời, sản lượng TEU dỡ và xếp, đại lý tàu (mã số thuế).",
    owner=owners.MARITIME,
    rows=24_000,
    basis="giả định của bản trình diễn (bài báo không nêu số lượt tàu).",
    classification="shared",
    frequency="daily",
    primary_key=("ma_luot_tau",),
    indexes=("ma_cang", "so_imo"),
    tags=("cang-bien", "logistics"),
    temporal=("2024-01-01", "2024-12-31"),
    generate=_calls,
    fields=[
        field("ma_luot_tau", "string", "Mã lượt tàu"),
        field("so_imo", "string", "Số IMO", pattern=r"IMO \d{7}"),
        field("ten_tau", "string", "Tên tàu (mô phỏng)"),
        field("quoc_tich", "string", "Quốc tịch tàu (mã ISO)"),
        field("loai_tau", "string", "Loại tàu", enum=SHIP_TYPES),
        field("tong_dung_tich_gt", "integer", "Tổng dung tích (GT)"),
        field("ma_cang", "string", "Mã cảng", required=True),
        field("thoi_diem_den", "datetime", "Thời điểm đến"),
        field("thoi_diem_roi", "datetime", "Thời điểm rời"),
        field("so_teu_do", "integer", "Số TEU dỡ"),
        field("so_teu_xep", "integer", "Số TEU xếp"),
        field(
            "dai_ly_tau_ma_so_thue",
            "string",
            "Mã số thuế đại lý tàu",
            subject="tax_code",
            pattern=r"\d{10}",
        ),
        field("khai_bao_dien_tu", "boolean", "Thủ tục tàu biển điện tử"),
    ],
)

TABLES = (PORTS, CALLS)
