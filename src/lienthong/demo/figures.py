"""The figures the source articles report, each with its period, date and source article.

These are reported values, not synthetic ones: each carries the article it comes from (the
file in ``shared/seeds/``, its title, outlet, author and date where the text gives them) and
the words it was read from (`quote`, verbatim, checked by the tests against the articles).
Where the text gives a day without a year, the year is inferred from the content and
`Article.date_note` says so.

>>> FIGURES_BY_KEY["dti_2022_rank"].value, FIGURES_BY_KEY["dti_2022_rank"].article.file
(14.0, '002_5dd4cc9ddfb69367.txt')
"""

from __future__ import annotations

from dataclasses import dataclass

from lienthong.demo.figures_table import TABLE


@dataclass(frozen=True)
class Article:
    key: str
    file: str
    title: str
    outlet: str | None
    author: str | None
    published: str  # ISO 8601, as precise as the text allows: 2023-08-31, or 2023
    date_note: str


A000 = Article(
    "000",
    "000_84940138fd8884e2.txt",
    "Hội nghị cán bộ thành phố quán triệt Nghị quyết số 03 về chuyển đổi số thành phố Hải "
    "Phòng (tiêu đề mô tả; bài không có tiêu đề)",
    None,
    "Duy Vũ (bài), Lê Anh Dũng (ảnh)",
    "2022-04-21",
    "bài ghi “Sáng 21/4”; năm 2022 suy ra từ nội dung (Nghị quyết 03 ngày 26/10/2021, "
    "“Năm 2022, Hải Phòng thực hiện 59 nhiệm vụ”)",
)
A001 = Article(
    "001",
    "001_6de7eb8e4d10b331.txt",
    "Hải Dương sẵn sàng mở cửa, chào đón các doanh nghiệp công nghệ số",
    "ĐCSVN (Báo điện tử Đảng Cộng sản Việt Nam)",
    None,
    "2023-03-31",
    "bài ghi “Chiều 31/3”; năm 2023 suy ra từ nội dung (DTI 2021 là kết quả mới nhất, kế "
    "hoạch “đến cuối năm 2023”)",
)
A002 = Article(
    "002",
    "002_5dd4cc9ddfb69367.txt",
    "Thúc đẩy chuyển đổi số tại thành phố Hải Phòng",
    "TCDN (như bài ghi)",
    "ThS. Trịnh Quang Trường, HĐND quận Ngô Quyền",
    "2023",
    "bài không ghi ngày; năm 2023 suy ra từ nội dung: sau tháng 7/2023 (thử nghiệm 5G tại "
    "Pegatron “Tháng 7-2023”), dẫn Kế hoạch 12/KH-UBND ngày 12/01/2023",
)
A003 = Article(
    "003",
    "003_2da698a6e68170f5.txt",
    "Diễn đàn Chuyển đổi số Hải Phòng 2024 (tiêu đề mô tả; bài không có tiêu đề)",
    None,
    None,
    "2024",
    "bài không ghi ngày; viết sau “ngày 21/11 vừa qua” (khai trương Dự án chính quyền số) "
    "của năm diễn đàn, 2024",
)
A004 = Article(
    "004",
    "004_87e2cecc2c9c106e.txt",
    "Điểm sáng của Hải Phòng, TP. Hồ Chí Minh trong phát triển kinh tế số",
    "Tạp chí Thông tin & Truyền thông",
    "Hoàng Linh",
    "2023-08-31",
    "ngày đăng ghi trong bài: 11:42 31/08/2023",
)
ARTICLES = (A000, A001, A002, A003, A004)

# area codes: the statistics office's province codes before 2025 (31 Hải Phòng, 30 Hải Dương,
# 79 Hồ Chí Minh City), or VN for the whole country
AREAS = {"31": "Hải Phòng", "30": "Hải Dương", "79": "TP. Hồ Chí Minh", "VN": "Cả nước"}
KINDS = ("thuc_te", "muc_tieu", "xep_hang", "cam_ket", "su_kien", "ke_hoach")


@dataclass(frozen=True)
class Figure:
    """One reported figure. `value` (and `upper`, for a range) in `unit`; `qualifier` is the
    article's hedge ("hơn", "gần", "khoảng", "trên"); `kind` one of KINDS."""

    key: str
    indicator: str
    indicator_en: str
    value: float
    unit: str
    period: str
    area: str
    article: Article
    quote: str
    qualifier: str = ""
    kind: str = "thuc_te"
    upper: float | None = None


RANK63 = "thứ hạng trên 63 tỉnh, thành phố"
_ARTICLE_BY_KEY = {a.key: a for a in ARTICLES}


def parse(table: str) -> list[Figure]:
    """Figures from the four-line records of `figures_table.TABLE`."""
    lines = table.strip().splitlines()
    if len(lines) % 4:
        raise ValueError("the figures table has an incomplete record")
    out = []
    for i in range(0, len(lines), 4):
        meta, vi, en, quote = lines[i : i + 4]
        key, kind, area, period, value, upper, qualifier, unit, article = (
            part.strip() for part in meta.split("|")
        )
        out.append(
            Figure(
                key, vi, en, float(value), RANK63 if unit == "RANK63" else unit, period, area,
                _ARTICLE_BY_KEY[article], quote, qualifier, kind, float(upper) if upper else None,
            )
        )  # fmt: skip
    return out


# Hải Dương's DTI 2021 component ranks (seeds/001): three sentences of "lần lượt là" lists
_L1, _L2, _L3 = "lần lượt là 22,10,10 và 37", "lần lượt là 38,8,20 và 9", "lần lượt là 13,18 và 18"
_HD_RANKS = (
    ("awareness", "nhận thức số", "digital awareness", 22, _L1),
    ("institutions", "thể chế số", "digital institutions", 10, _L1),
    ("infrastructure", "hạ tầng số", "digital infrastructure", 10, _L1),
    ("human", "nhân lực số", "digital human resources", 37, _L1),
    ("security", "an toàn thông tin mạng", "cyber security", 38, _L2),
    ("government_ops", "hoạt động chính quyền số", "digital government", 8, _L2),
    ("economy_ops", "hoạt động kinh tế số", "digital economy", 20, _L2),
    ("society_ops", "hoạt động xã hội số", "digital society", 9, _L2),
    ("government", "trụ cột chính quyền số", "digital government pillar", 13, _L3),
    ("economy", "trụ cột kinh tế số", "digital economy pillar", 18, _L3),
    ("society", "trụ cột xã hội số", "digital society pillar", 18, _L3),
)


def _hai_duong_ranks() -> list[Figure]:
    return [
        Figure(
            f"hd_dti_2021_{key}",
            f"Hải Dương: DTI 2021, {vi}",
            f"Hải Dương: DTI 2021, {en}",
            float(rank),
            RANK63,
            "2021",
            "30",
            A001,
            quote,
            kind="xep_hang",
        )
        for key, vi, en, rank, quote in _HD_RANKS
    ]


FIGURES: tuple[Figure, ...] = (*parse(TABLE), *_hai_duong_ranks())
FIGURES_BY_KEY = {f.key: f for f in FIGURES}
