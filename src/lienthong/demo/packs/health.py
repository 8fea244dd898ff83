"""Health: insurance cards linked to citizen IDs, and the facilities that look them up.

Scale from the article (seeds/002, 2023): “gần 958 nghìn trường hợp đồng bộ xác thực căn
cước công dân từ cơ sở dữ liệu quốc gia về dân cư với thẻ Bảo hiểm y tế có hiệu lực; 139 cơ
sở khám chữa bệnh Bảo hiểm y tế thực hiện tra cứu thông tin thẻ Bảo hiểm y tế bằng căn cước
công dân. 100% các bệnh viện triển khai phần mềm quản lý bệnh viện.”
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa

from lienthong.demo import names, synth
from lienthong.demo.geo import Commune
from lienthong.demo.packs import owners
from lienthong.demo.packs.base import Context, Table, commune_field, field, table_of
from lienthong.demo.packs.common import dates

FACILITY_KINDS = {  # kind: (name pattern, count)
    "benh_vien": ("Bệnh viện Đa khoa {}", 14),
    "trung_tam_y_te": ("Trung tâm Y tế khu vực {}", 24),
    "tram_y_te": ("Trạm Y tế {}", 79),
    "phong_kham": ("Phòng khám Đa khoa {}", 22),
}
GROUPS = ["TE", "HS", "SV", "DN", "HC", "GD", "HT", "CN", "NO"]
GROUP_LEVEL = [1, 4, 4, 4, 4, 4, 2, 1, 3]


@cache
def facilities(seed: int, communes: tuple[Commune, ...]) -> dict[str, np.ndarray]:
    """The 139 facilities: kind, commune, name; hospitals in the most urban wards."""
    rng = synth.generator(seed, "facilities")
    kinds = np.repeat(np.arange(len(FACILITY_KINDS)), [v[1] for v in FACILITY_KINDS.values()])
    wards = [i for i, c in enumerate(communes) if c.kind == "phuong"]
    place = np.empty(len(kinds), dtype=np.int64)
    for k in range(len(FACILITY_KINDS)):
        pool = np.array(wards if k in (0, 3) else range(len(communes)))
        at = np.flatnonzero(kinds == k)
        place[at] = (
            rng.permutation(pool)[: len(at)] if len(pool) >= len(at) else rng.choice(pool, len(at))
        )
    pairs = names.firm_word_pairs()
    labels = []
    for k, c in zip(kinds.tolist(), place.tolist(), strict=True):
        pattern = list(FACILITY_KINDS.values())[k][0]
        subject = pairs[c % len(pairs)] if k == 3 else communes[c].short_name
        labels.append(pattern.format(subject))
    return {"kind": kinds, "commune": place, "name": np.array(labels)}


def facility_codes(n: int) -> pa.Array:
    return synth.join("31", synth.digits(np.arange(1, n + 1) * 7 % 1000, 3))


def _facilities(ctx: Context, start: int, stop: int) -> pa.Table:
    f = facilities(ctx.seed, tuple(ctx.communes))
    s = slice(start, stop)
    kind = f["kind"][s]
    return table_of(
        FACILITIES,
        {
            "ma_co_so": facility_codes(len(f["kind"]))[start:stop],
            "ten_co_so": pa.array(f["name"][s]),
            "loai_co_so": synth.pick(list(FACILITY_KINDS), kind),
            "ma_xa": ctx.people.commune_codes(f["commune"][s]),
            "tra_cuu_the_bang_cccd": pa.array(np.ones(stop - start, dtype=bool)),
            "phan_mem_quan_ly_benh_vien": synth.where(kind == 0, np.ones(len(kind), dtype=bool)),
        },
    )


def groups(age: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The insured's group code by age (children, pupils, students, workers, retirees…)."""
    adult = synth.weighted(u, [0, 0, 0, 45, 8, 35, 0, 5, 7])
    old = np.where(u < 0.45, 6, adult)
    return np.select(
        [age < 6, age <= 18, (age <= 22) & (u < 0.35), age >= 60], [0, 1, 2, old], adult
    )


def _cards(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(CARDS.name, start), stop - start
    people = ctx.people
    i = np.arange(start, stop)
    group = groups(2024 - people.birth_year(i), synth.unit(ctx.seed, "bhyt-group", i))
    a, b = synth.affine_permutation(ctx.seed, "bhxh", 100_000_000)
    bhxh = synth.join("31", synth.digits((i * a + b) % 100_000_000, 8))
    code = synth.join(
        synth.pick(GROUPS, group), synth.text(np.array(GROUP_LEVEL)[group]), "31", bhxh
    )
    home = people.commune(i)
    f = facilities(ctx.seed, tuple(ctx.communes))
    local = _local_facility(f, home, rng.random(n))
    verified = np.datetime64("2022-06-01") + (rng.random(n) ** 1.4 * 480).astype("timedelta64[D]")
    return table_of(
        CARDS,
        {
            "ma_the_bhyt": code,
            "ma_so_bhxh": bhxh,
            "so_cccd": people.citizen_id(i),
            "ho_ten": people.full_name(i),
            "ngay_sinh": dates(people.birth_date(i)),
            "gioi_tinh": pa.array(np.where(people.male(i), "nam", "nu")),
            "ma_xa": people.commune_codes(home),
            "ma_doi_tuong": synth.pick(GROUPS, group),
            "muc_huong": pa.array(np.array(GROUP_LEVEL)[group]),
            "ma_co_so_kcb_ban_dau": facility_codes(len(f["kind"])).take(pa.array(local)),
            "gia_tri_tu": dates(np.full(n, np.datetime64("2024-01-01"))),
            "gia_tri_den": dates(np.full(n, np.datetime64("2024-12-31"))),
            "ngay_xac_thuc_cccd": dates(verified),
        },
    )


def _local_facility(f: dict[str, np.ndarray], home: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The commune's health station when it has one (70%), else any hospital or centre."""
    station = np.full(int(f["commune"].max()) + 1 + int(home.max()) + 1, -1)
    at = np.flatnonzero(f["kind"] == 2)
    station[f["commune"][at]] = at
    larger = np.flatnonzero(f["kind"] <= 1)
    fallback = larger[(u * len(larger)).astype(np.int64) % len(larger)]
    own = station[home]
    return np.where((own >= 0) & (u < 0.7), own, fallback)


FACILITIES = Table(
    name="y-te-co-so-kcb-bhyt",
    title="Cơ sở khám chữa bệnh BHYT tra cứu thẻ bằng CCCD",
    title_en="Health-insurance facilities looking cards up by citizen ID",
    about="139 cơ sở khám chữa bệnh bảo hiểm y tế tra cứu thẻ BHYT bằng căn cước công dân.",
    owner=owners.HEALTH,
    rows=sum(v[1] for v in FACILITY_KINDS.values()),
    fixed=True,
    basis="“139 cơ sở khám chữa bệnh Bảo hiểm y tế thực hiện tra cứu … bằng căn cước công "
    "dân” (seeds/002, 2023).",
    classification="public",
    frequency="quarterly",
    primary_key=("ma_co_so",),
    tags=("y-te", "bhyt"),
    generate=_facilities,
    fields=[
        field("ma_co_so", "string", "Mã cơ sở khám chữa bệnh"),
        field("ten_co_so", "string", "Tên cơ sở", required=True),
        field("loai_co_so", "string", "Loại cơ sở", enum=list(FACILITY_KINDS)),
        commune_field(),
        field("tra_cuu_the_bang_cccd", "boolean", "Tra cứu thẻ BHYT bằng CCCD"),
        field("phan_mem_quan_ly_benh_vien", "boolean", "Có phần mềm quản lý bệnh viện (bệnh viện)"),
    ],
)

CARDS = Table(
    name="y-te-the-bhyt-xac-thuc-cccd",
    title="Thẻ bảo hiểm y tế đã xác thực căn cước công dân",
    title_en="Health-insurance cards matched to citizen IDs",
    about="Thẻ BHYT còn hiệu lực đã đồng bộ, xác thực với số CCCD từ Cơ sở dữ liệu quốc gia "
    "về dân cư; mỗi số CCCD một thẻ.",
    owner=owners.HEALTH,
    rows=958_000,
    basis="“gần 958 nghìn trường hợp đồng bộ xác thực căn cước công dân … với thẻ Bảo hiểm y "
    "tế có hiệu lực” (seeds/002, 2023).",
    classification="restricted",
    frequency="daily",
    primary_key=("ma_the_bhyt",),
    indexes=("so_cccd", "ma_xa"),
    tags=("y-te", "bhyt", "cccd"),
    generate=_cards,
    fields=[
        field(
            "ma_the_bhyt",
            "string",
            "Mã thẻ BHYT",
            "nhóm (2) + mức hưởng (1) + tỉnh (2) + mã số BHXH (10)",
            personal=True,
            pattern=r"[A-Z]{2}\d{13}",
        ),
        field("ma_so_bhxh", "string", "Mã số BHXH", personal=True, pattern=r"\d{10}"),
        field(
            "so_cccd",
            "string",
            "Số căn cước công dân",
            personal=True,
            subject="citizen_id",
            required=True,
            pattern=r"\d{12}",
        ),
        field("ho_ten", "string", "Họ và tên", personal=True),
        field("ngay_sinh", "date", "Ngày sinh", personal=True),
        field("gioi_tinh", "string", "Giới tính", enum=["nam", "nu"]),
        commune_field("Xã nơi cư trú (mã thống kê, từ 01/7/2025)"),
        field("ma_doi_tuong", "string", "Mã đối tượng tham gia", enum=GROUPS),
        field("muc_huong", "integer", "Mức hưởng", minimum=1, maximum=5),
        field("ma_co_so_kcb_ban_dau", "string", "Nơi đăng ký khám chữa bệnh ban đầu"),
        field("gia_tri_tu", "date", "Giá trị sử dụng từ ngày"),
        field("gia_tri_den", "date", "Giá trị sử dụng đến ngày"),
        field("ngay_xac_thuc_cccd", "date", "Ngày xác thực với CSDL quốc gia về dân cư"),
    ],
)

TABLES = (FACILITIES, CARDS)
