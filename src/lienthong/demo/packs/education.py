"""Education: institutions, teachers and pupils with their identifiers (school year 2023–24).

Scale from the article (seeds/002, 2023): “có hơn 800 cơ sở giáo dục, 32.000 giáo viên và
521.000 học sinh có mã định danh riêng”; “toàn ngành triển khai chữ ký số”. Pupils are the
population's children (born 2006–2020), placed in a school of their level in their own
commune when it has one.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa

from lienthong.demo import synth
from lienthong.demo.geo import Commune
from lienthong.demo.packs import owners
from lienthong.demo.packs.base import Context, Table, commune_field, field, share_split, table_of
from lienthong.demo.packs.common import dates

LEVELS = ["mam_non", "tieu_hoc", "thcs", "thpt", "gdtx"]
LEVEL_NAMES = [
    "Trường Mầm non",
    "Trường Tiểu học",
    "Trường THCS",
    "Trường THPT",
    "Trung tâm GDNN-GDTX",
]
LEVEL_COUNTS = [300, 225, 195, 65, 15]  # 800 institutions
SUBJECTS = [
    ["Giáo dục mầm non"],
    [
        "Giáo viên chủ nhiệm tiểu học",
        "Tiếng Anh",
        "Tin học",
        "Giáo dục thể chất",
        "Âm nhạc",
        "Mĩ thuật",
    ],
    [
        "Ngữ văn",
        "Toán",
        "Tiếng Anh",
        "Khoa học tự nhiên",
        "Lịch sử và Địa lí",
        "Tin học",
        "Giáo dục công dân",
        "Giáo dục thể chất",
    ],
    [
        "Ngữ văn",
        "Toán",
        "Tiếng Anh",
        "Vật lí",
        "Hoá học",
        "Sinh học",
        "Lịch sử",
        "Địa lí",
        "Tin học",
    ],
    ["Ngữ văn", "Toán", "Tin học", "Kĩ năng nghề"],
]
DEGREES = ["trung_cap", "cao_dang", "dai_hoc", "thac_si", "tien_si"]
SCHOOL_YEAR = "2023-2024"


@cache
def institutions(seed: int, communes: tuple[Commune, ...]) -> dict[str, np.ndarray]:
    """Level, commune and public/private of the 800 institutions, spread by commune size."""
    rng = synth.generator(seed, "institutions")
    level = np.repeat(np.arange(len(LEVELS)), LEVEL_COUNTS)
    weight = np.array([2.0 if c.kind == "phuong" else 1.0 for c in communes])
    weight[[i for i, c in enumerate(communes) if c.name.endswith("Bạch Long Vĩ")]] = 0.05
    place = np.concatenate(
        [_spread(rng, n, weight if lvl < 3 else weight**2) for lvl, n in enumerate(LEVEL_COUNTS)]
    )
    private = rng.random(len(level)) < np.array([0.25, 0.05, 0.03, 0.15, 0.0])[level]
    return {"level": level, "commune": place, "private": private}


def _spread(rng: np.random.Generator, n: int, weight: np.ndarray) -> np.ndarray:
    """n schools over the communes, in proportion to `weight`, in a seeded order."""
    counts = share_split(n, list(weight))
    return rng.permutation(np.repeat(np.arange(len(weight)), counts))


def school_codes(n: int) -> pa.Array:
    return synth.join("31", synth.digits(np.arange(n) * 37 % 100_000 + 100_000, 6))


def _institutions(ctx: Context, start: int, stop: int) -> pa.Table:
    inst = institutions(ctx.seed, tuple(ctx.communes))
    s = slice(start, stop)
    level, place = inst["level"][s], inst["commune"][s]
    number = np.arange(start, stop)
    rank = _rank_in_commune(inst)[s]
    title = [
        f"{LEVEL_NAMES[lv]} {ctx.communes[c].short_name}" + (f" số {r + 1}" if r else "")
        for lv, c, r in zip(level, place, rank, strict=True)
    ]
    return table_of(
        INSTITUTIONS,
        {
            "ma_truong": school_codes(len(inst["level"]))[start:stop],
            "ten_truong": pa.array(title, pa.string()),
            "cap_hoc": synth.pick(LEVELS, level),
            "loai_hinh": pa.array(np.where(inst["private"][s], "tu_thuc", "cong_lap")),
            "ma_xa": ctx.people.commune_codes(place),
            "chu_ky_so": pa.array(np.ones(len(number), dtype=bool)),
            "hoc_ba_so": pa.array(synth.unit(ctx.seed, "e-record", number) < 0.86),
        },
    )


def _rank_in_commune(inst: dict[str, np.ndarray]) -> np.ndarray:
    """0 for a commune's first school of a level, 1 for its second…"""
    key = inst["level"] * 100_000 + inst["commune"]
    rank = np.zeros(len(key), dtype=np.int64)
    seen: dict[int, int] = {}
    for i, k in enumerate(key.tolist()):
        rank[i] = seen.get(k, 0)
        seen[k] = rank[i] + 1
    return rank


def grade_of(birth_year: np.ndarray) -> np.ndarray:
    """Grade in 2023–24 (0 = kindergarten): grade 1 is born 2017."""
    return np.asarray(np.clip(2018 - birth_year, 0, 12))


def level_of(grade: np.ndarray) -> np.ndarray:
    return np.select([grade == 0, grade <= 5, grade <= 9], [0, 1, 2], 3)


def choose_school(
    inst: dict[str, np.ndarray], level: np.ndarray, home: np.ndarray, u: np.ndarray
) -> np.ndarray:
    """A school of `level` in the pupil's commune when there is one, else any of that level."""
    key = inst["level"] * 1000 + inst["commune"]
    order = np.argsort(key, kind="stable")
    want = level * 1000 + home
    lo = np.searchsorted(key[order], want, side="left")
    hi = np.searchsorted(key[order], want, side="right")
    local = order[np.minimum(lo + (u * np.maximum(hi - lo, 1)).astype(np.int64), len(order) - 1)]
    by_level = np.argsort(inst["level"], kind="stable")
    first = np.searchsorted(inst["level"][by_level], level, side="left")
    count = np.bincount(inst["level"], minlength=len(LEVELS))[level]
    anywhere = by_level[first + (u * count).astype(np.int64)]
    return np.asarray(np.where(hi > lo, local, anywhere))


def _pupils(ctx: Context, start: int, stop: int) -> pa.Table:
    people = ctx.people
    k = np.arange(start, stop)
    i = people.among(people.slots_born(2006, 2020), k)
    grade = grade_of(people.birth_year(i))
    level = level_of(grade)
    inst = institutions(ctx.seed, tuple(ctx.communes))
    school = choose_school(inst, level, people.commune(i), synth.unit(ctx.seed, "school", i))
    a, b = synth.affine_permutation(ctx.seed, "pupil-id", 100_000_000)
    return table_of(
        PUPILS,
        {
            "ma_dinh_danh_hoc_sinh": synth.join("31", synth.digits((k * a + b) % 100_000_000, 8)),
            "so_dinh_danh_ca_nhan": people.citizen_id(i),
            "ho_ten": people.full_name(i),
            "ngay_sinh": dates(people.birth_date(i)),
            "gioi_tinh": pa.array(np.where(people.male(i), "nam", "nu")),
            "ma_truong": school_codes(len(inst["level"])).take(pa.array(school)),
            "cap_hoc": synth.pick(LEVELS, level),
            "khoi_lop": pa.array(grade),
            "nam_hoc": pa.array([SCHOOL_YEAR] * len(k)),
        },
    )


def _teachers(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(TEACHERS.name, start), stop - start
    people = ctx.people
    k = np.arange(start, stop)
    inst = institutions(ctx.seed, tuple(ctx.communes))
    # kindergartens and primary schools have more teachers per school
    school = synth.weighted(rng.random(n), np.array([1.2, 1.6, 1.6, 2.2, 0.6])[inst["level"]])
    level = inst["level"][school]
    female = rng.random(n) < np.array([0.99, 0.85, 0.72, 0.62, 0.5])[level]
    adults = people.slots_born(1965, 2000)
    women, men = adults[~people.slots.male[adults]], adults[people.slots.male[adults]]
    # the k-th woman and the k-th man differ, so teachers never share a person
    i = np.where(female, people.among(women, k), people.among(men, k))
    subject_idx = (rng.random(n) * np.array([len(s) for s in SUBJECTS])[level]).astype(np.int64)
    subject = [SUBJECTS[lv][s] for lv, s in zip(level, subject_idx, strict=True)]
    a, b = synth.affine_permutation(ctx.seed, "teacher-id", 100_000_000)
    return table_of(
        TEACHERS,
        {
            "ma_dinh_danh_giao_vien": synth.join(
                "GV31", synth.digits((k * a + b) % 100_000_000, 8)
            ),
            "so_cccd": people.citizen_id(i),
            "ho_ten": people.full_name(i),
            "ngay_sinh": dates(people.birth_date(i)),
            "gioi_tinh": pa.array(np.where(people.male(i), "nam", "nu")),
            "ma_truong": school_codes(len(inst["level"])).take(pa.array(school)),
            "mon_day": pa.array(subject, pa.string()),
            "trinh_do": synth.pick(DEGREES, synth.weighted(rng.random(n), [3, 12, 72, 12, 1])),
            "chu_ky_so_ca_nhan": pa.array(rng.random(n) < 0.97),
        },
    )


INSTITUTIONS = Table(
    name="gd-co-so-giao-duc",
    title="Cơ sở giáo dục",
    title_en="Education institutions",
    about="Cơ sở giáo dục có mã định danh: cấp học, loại hình, xã, chữ ký số, học bạ số.",
    owner=owners.EDUCATION,
    rows=sum(LEVEL_COUNTS),
    fixed=True,
    basis="“hơn 800 cơ sở giáo dục … có mã định danh riêng” (seeds/002, 2023).",
    classification="public",
    frequency="annual",
    primary_key=("ma_truong",),
    indexes=("ma_xa",),
    tags=("giao-duc",),
    generate=_institutions,
    fields=[
        field("ma_truong", "string", "Mã định danh cơ sở giáo dục"),
        field("ten_truong", "string", "Tên cơ sở giáo dục", required=True),
        field("cap_hoc", "string", "Cấp học", enum=LEVELS),
        field("loai_hinh", "string", "Loại hình", enum=["cong_lap", "tu_thuc"]),
        commune_field(),
        field("chu_ky_so", "boolean", "Đã triển khai chữ ký số"),
        field("hoc_ba_so", "boolean", "Dùng học bạ số"),
    ],
)

TEACHERS = Table(
    name="gd-giao-vien",
    title="Giáo viên có mã định danh",
    title_en="Teachers with identifiers",
    about="Giáo viên: mã định danh ngành, số CCCD, trường, môn dạy, trình độ đào tạo.",
    owner=owners.EDUCATION,
    rows=32_000,
    basis="“32.000 giáo viên … có mã định danh riêng” (seeds/002, 2023).",
    classification="shared",
    frequency="annual",
    primary_key=("ma_dinh_danh_giao_vien",),
    indexes=("ma_truong", "so_cccd"),
    tags=("giao-duc",),
    temporal=("2023-09-01", "2024-05-31"),
    generate=_teachers,
    fields=[
        field("ma_dinh_danh_giao_vien", "string", "Mã định danh giáo viên"),
        field(
            "so_cccd", "string", "Số CCCD", personal=True, subject="citizen_id", pattern=r"\d{12}"
        ),
        field("ho_ten", "string", "Họ và tên", personal=True),
        field("ngay_sinh", "date", "Ngày sinh", personal=True),
        field("gioi_tinh", "string", "Giới tính", enum=["nam", "nu"]),
        field("ma_truong", "string", "Mã trường", required=True),
        field("mon_day", "string", "Môn dạy, chuyên môn"),
        field("trinh_do", "string", "Trình độ đào tạo", enum=DEGREES),
        field("chu_ky_so_ca_nhan", "boolean", "Có chữ ký số cá nhân"),
    ],
)

PUPILS = Table(
    name="gd-hoc-sinh",
    title="Học sinh có mã định danh",
    title_en="Pupils with identifiers",
    about="Học sinh năm học 2023–2024: mã định danh ngành, số định danh cá nhân, trường, "
    "cấp học, khối lớp (0 = mầm non).",
    owner=owners.EDUCATION,
    rows=521_000,
    basis="“521.000 học sinh có mã định danh riêng” (seeds/002, 2023).",
    classification="restricted",
    frequency="annual",
    primary_key=("ma_dinh_danh_hoc_sinh",),
    indexes=("ma_truong", "so_dinh_danh_ca_nhan"),
    tags=("giao-duc", "hoc-sinh"),
    temporal=("2023-09-01", "2024-05-31"),
    generate=_pupils,
    fields=[
        field("ma_dinh_danh_hoc_sinh", "string", "Mã định danh học sinh (ngành giáo dục)"),
        field(
            "so_dinh_danh_ca_nhan",
            "string",
            "Số định danh cá nhân",
            personal=True,
            subject="citizen_id",
            pattern=r"\d{12}",
        ),
        field("ho_ten", "string", "Họ và tên", personal=True),
        field("ngay_sinh", "date", "Ngày sinh", personal=True),
        field("gioi_tinh", "string", "Giới tính", enum=["nam", "nu"]),
        field("ma_truong", "string", "Mã trường", required=True),
        field("cap_hoc", "string", "Cấp học", enum=LEVELS),
        field("khoi_lop", "integer", "Khối lớp", minimum=0, maximum=12),
        field("nam_hoc", "string", "Năm học"),
    ],
)

TABLES = (INSTITUTIONS, TEACHERS, PUPILS)
