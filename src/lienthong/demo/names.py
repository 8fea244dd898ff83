"""Vietnamese name, street and firm-name lists for the generators (northern usage).

Weights are rough shares, good enough to look right in a demo; they are no statistic.
Every entry is passed through the platform's own text hygiene, so what is generated is
exactly what the warehouse would store (NFC, consistent tone marks).
"""

from __future__ import annotations

from lienthong.core import vntext


def _clean(items: list[str]) -> list[str]:
    return [vntext.clean(s)[0] for s in items]


def _words(text: str) -> list[str]:
    """Whitespace-separated entries, cleaned."""
    return _clean(text.split())


SURNAMES = _words(
    "Nguyễn Trần Phạm Lê Vũ Hoàng Đỗ Bùi Đặng Ngô Đinh Phan Dương Đào Lương Mai Trịnh Hà "
    "Lại Tô Đoàn Cao Lưu Phùng Tạ Lý Trương Hồ Nghiêm Khúc Vương Quách Đồng"
)
SURNAME_WEIGHTS = [
    31,
    10,
    8,
    7,
    6,
    5,
    4,
    4,
    3,
    3,
    2,
    2,
    2,
    2,
    1.2,
    1.2,
    1.2,
    1,
    0.8,
    0.8,
    1,
    1,
    0.8,
    0.6,
    0.6,
    0.5,
    0.6,
    0.5,
    0.4,
    0.3,
    0.3,
    0.3,
    0.4,
]

MIDDLE_MALE = _words(
    "Đức Minh Quang Hữu Công Xuân Thành Tiến Mạnh Ngọc Duy Trung Hoàng Bảo Gia Anh Đăng Tuấn Văn"
)
MIDDLE_FEMALE = _words(
    "Thu Ngọc Thanh Minh Hồng Phương Mai Khánh Hải Bảo Diệu Quỳnh Thuỳ Lan Kim Hà Thảo Thị"
)
# the traditional middle names, much rarer among the young
TRADITIONAL_MALE, TRADITIONAL_FEMALE = "Văn", "Thị"

GIVEN_MALE = _words(
    "Hùng Dũng Cường Tuấn Hải Nam Long Minh Quân Đức Thắng Sơn Phong Trung Hiếu Khánh Huy "
    "Bình Thành Tùng Vinh Hoàng Kiên Lâm Bảo Đạt Phúc An Khoa Hưng Tiến Toàn Thịnh Hào "
    "Việt Quý Lộc Tài Trí Nghĩa Khôi Bách Khang Duy Hoà Công Thuận Chiến Lực Tâm"
)
GIVEN_FEMALE = _words(
    "Lan Hương Hoa Mai Linh Trang Thảo Hằng Ngọc Huyền Yến Nhung Phương Thuỷ Hạnh Nga Loan "
    "Hà Vân Anh Chi Dung Giang Hiền Oanh Quỳnh Tâm Uyên Vy My Hồng Liên Nhàn Thu Trâm "
    "Ánh Diệp Hoài Khuê Lệ Ly Nhi Thơ Tuyết Xuân Hậu Duyên Châu Thanh"
)

# streets of the city (urban wards) and village name parts (communes)
STREETS = _clean(
    [
        "Lạch Tray",
        "Văn Cao",
        "Lê Hồng Phong",
        "Trần Nguyên Hãn",
        "Tô Hiệu",
        "Điện Biên Phủ",
        "Lê Lợi",
        "Hai Bà Trưng",
        "Trần Phú",
        "Cầu Đất",
        "Lê Lai",
        "Đà Nẵng",
        "Nguyễn Văn Linh",
        "Hồ Sen",
        "Trần Hưng Đạo",
        "Bạch Đằng",
        "Quang Trung",
        "Hoàng Văn Thụ",
        "Minh Khai",
        "Phạm Ngũ Lão",
        "Lê Thánh Tông",
        "Chùa Vẽ",
        "Ngô Quyền",
        "Lý Thường Kiệt",
        "Nguyễn Đức Cảnh",
        "Tôn Đức Thắng",
        "Thiên Lôi",
        "Hàng Kênh",
        "An Đà",
        "Đình Đông",
        "Nguyễn Lương Bằng",
        "Thống Nhất",
        "Lê Thanh Nghị",
        "Nguyễn Trãi",
        "Phạm Văn Đồng",
        "Võ Nguyên Giáp",
        "Lê Duẩn",
        "Mạc Đĩnh Chi",
        "Hùng Vương",
        "Nguyễn Bỉnh Khiêm",
    ]
)
VILLAGE_FIRST = _words("An Phú Đông Tây Nam Bắc Trung Thượng Hạ Tân Vĩnh Hoà Quang")
VILLAGE_SECOND = _words("Lạc Xá Lâm Hưng Thịnh Khê Trì Cầu Đoài Yên Lý Bình Sơn")

# firm names: legal form, trade, and a two-syllable name
FIRM_FORMS = _clean(["Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân"])
FIRM_FORM_WEIGHTS = [0.62, 0.3, 0.08]
FIRM_WORDS = _words(
    "Hải An Minh Phát Đông Á Thành Công Hoàng Long Tân Cảng Bảo Châu Việt Hưng Phú Thịnh "
    "Đại Dương Sao Biển Hồng Hà Kim Sơn Nam Triệu Lạch Huyện Đình Vũ Bạch Đằng Trường Giang "
    "Thái Bình Quốc Tế Hưng Thịnh Thuận Phong Vĩnh An"
)


def firm_word_pairs() -> list[str]:
    """Two-syllable trade names ("Hải An", "Minh Phát"…), from consecutive word pairs."""
    return [f"{a} {b}" for a, b in zip(FIRM_WORDS[0::2], FIRM_WORDS[1::2], strict=False)]
