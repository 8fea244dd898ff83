"""Public-service dossiers: the service catalogue and the dossiers, by procedure and commune.

Scales from the articles: about 1,580 online public services integrated with the national
portal, 81.51% (Diễn đàn Chuyển đổi số Hải Phòng 2024, seed 003): 1,578 of 1,936 is
81.51%. Online dossiers: 18% in 2021, over 90% since (seed 002, 2023), and the
whole-process online share over 90% (seed 003). Land takes 45% of dossiers so that its
online dossiers come to about the "110 thousand in nearly a year" of seed 002.
The dossier volume itself (1.2 million over 2021 – mid-2025) is our assumption.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa

from lienthong.demo import synth
from lienthong.demo.packs import owners
from lienthong.demo.packs.base import Context, Table, commune_field, field, table_of
from lienthong.demo.packs.common import dates, day, days_between, local_times, office_seconds

SERVICES, SERVICES_INTEGRATED = 1_936, 1_578
FIRST_DAY, LAST_DAY = "2021-01-01", "2025-06-30"
CHANNELS = ["truc_tiep", "truc_tuyen_mot_phan", "truc_tuyen_toan_trinh"]
STATES = ["da_tra_ket_qua", "dang_xu_ly", "tu_choi", "rut_ho_so"]


def _items(text: str) -> list[str]:
    return [part.strip() for part in text.split(";")]


# sector (lĩnh vực) → its share of dossiers (%) and the objects of its procedures
SECTORS: dict[str, tuple[float, list[str]]] = {
    "Đất đai": (
        45,
        _items(
            "Giấy chứng nhận quyền sử dụng đất; đăng ký biến động đất đai; "
            "chuyển mục đích sử dụng đất; tách thửa, hợp thửa đất; "
            "đăng ký thế chấp quyền sử dụng đất; trích lục bản đồ địa chính"
        ),
    ),
    "Hộ tịch": (
        14,
        _items(
            "Giấy khai sinh; Giấy chứng nhận kết hôn; trích lục khai tử; "
            "Giấy xác nhận tình trạng hôn nhân; đăng ký giám hộ; "
            "thay đổi, cải chính hộ tịch"
        ),
    ),
    "Chứng thực": (
        9,
        _items(
            "chứng thực bản sao từ bản chính; chứng thực chữ ký; "
            "chứng thực hợp đồng, giao dịch; chứng thực di chúc; "
            "chứng thực văn bản thoả thuận; chứng thực việc sửa đổi hợp đồng"
        ),
    ),
    "Xây dựng": (
        5,
        _items(
            "Giấy phép xây dựng nhà ở riêng lẻ; Giấy phép xây dựng công trình; "
            "thông báo khởi công; thẩm định thiết kế cơ sở; chứng chỉ hành nghề xây dựng; "
            "Giấy phép di dời công trình"
        ),
    ),
    "Đường bộ": (
        6,
        _items(
            "Giấy phép lái xe; đăng ký xe máy chuyên dùng; Giấy phép kinh doanh vận tải; "
            "phù hiệu xe kinh doanh vận tải; Giấy phép thi công trên đường bộ; "
            "chấp thuận đấu nối đường bộ"
        ),
    ),
    "Thành lập doanh nghiệp": (
        4,
        _items(
            "đăng ký thành lập doanh nghiệp; đăng ký thay đổi nội dung doanh nghiệp; "
            "đăng ký hộ kinh doanh; tạm ngừng kinh doanh; giải thể doanh nghiệp; "
            "đăng ký chi nhánh, văn phòng đại diện"
        ),
    ),
    "Đầu tư": (
        1,
        _items(
            "chủ trương đầu tư; Giấy chứng nhận đăng ký đầu tư; điều chỉnh dự án đầu tư; "
            "giám sát đầu tư; ưu đãi đầu tư; chuyển nhượng dự án đầu tư"
        ),
    ),
    "Lao động": (
        3,
        _items(
            "Giấy phép lao động cho người nước ngoài; đăng ký nội quy lao động; "
            "trợ cấp thất nghiệp; đăng ký thang lương; giấy phép dịch vụ việc làm; "
            "khai trình sử dụng lao động"
        ),
    ),
    "Bảo trợ xã hội": (
        3,
        _items(
            "trợ cấp xã hội hằng tháng; hỗ trợ chi phí mai táng; "
            "xác định mức độ khuyết tật; trợ giúp xã hội khẩn cấp; "
            "tiếp nhận đối tượng bảo trợ; hỗ trợ người có công"
        ),
    ),
    "Y tế": (
        2,
        _items(
            "chứng chỉ hành nghề khám bệnh, chữa bệnh; "
            "Giấy phép hoạt động khám bệnh, chữa bệnh; "
            "công bố đủ điều kiện sản xuất trang thiết bị y tế; "
            "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm; "
            "đủ điều kiện kinh doanh dược; tiêm chủng"
        ),
    ),
    "Giáo dục và Đào tạo": (
        2,
        _items(
            "bản sao văn bằng, chứng chỉ; chuyển trường; công nhận trường đạt chuẩn; "
            "cho phép thành lập trung tâm ngoại ngữ; xét tuyển sinh; cấp phép dạy thêm"
        ),
    ),
    "Công Thương": (
        2,
        _items(
            "Giấy phép bán lẻ rượu; Giấy phép kinh doanh xăng dầu; "
            "Giấy chứng nhận đủ điều kiện kinh doanh khí; "
            "đăng ký hoạt động thương mại điện tử; Giấy phép bán lẻ sản phẩm thuốc lá; "
            "xác nhận khuyến mại"
        ),
    ),
    "Môi trường": (
        1.5,
        _items(
            "Giấy phép môi trường; đăng ký môi trường; "
            "thẩm định báo cáo đánh giá tác động môi trường; Giấy phép khai thác nước; "
            "Giấy phép xả thải; xác nhận hoàn thành công trình bảo vệ môi trường"
        ),
    ),
    "Văn hoá, Thể thao và Du lịch": (
        1,
        _items(
            "Giấy phép kinh doanh karaoke; công nhận hạng cơ sở lưu trú du lịch; "
            "Giấy phép tổ chức biểu diễn nghệ thuật; thẻ hướng dẫn viên du lịch; "
            "Giấy phép kinh doanh lữ hành; Giấy phép quảng cáo"
        ),
    ),
    "Nông nghiệp": (
        1,
        _items(
            "Giấy chứng nhận cơ sở an toàn dịch bệnh; kiểm dịch động vật; đăng ký tàu cá; "
            "Giấy phép khai thác thuỷ sản; chứng nhận VietGAP; "
            "hỗ trợ sản xuất nông nghiệp"
        ),
    ),
    "Tư pháp": (
        0.5,
        _items(
            "lý lịch tư pháp; đăng ký hoạt động văn phòng công chứng; thẻ công chứng viên; "
            "đăng ký hoạt động tổ chức hành nghề luật sư; trợ giúp pháp lý; "
            "bồi thường nhà nước"
        ),
    ),
}
ACTIONS = [
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Điều chỉnh",
    "Gia hạn",
    "Thu hồi",
    "Xác nhận",
    "Đăng ký",
    "Thẩm định",
    "Công nhận",
    "Giải quyết",
]
SECTOR_NAMES = list(SECTORS)


@cache
def catalogue(seed: int) -> dict[str, np.ndarray]:
    """The 1,936 procedures: sector, level, whole-process or not, integrated or not."""
    n_obj = [len(v[1]) for v in SECTORS.values()]
    combos = [
        (s, o, a, lvl)
        for s, k in enumerate(n_obj)
        for o in range(k)
        for a in range(len(ACTIONS))
        for lvl in range(2)
    ]
    rng = synth.generator(seed, "procedures")
    chosen = np.sort(rng.permutation(len(combos))[:SERVICES])
    arr = np.array(combos)[chosen]
    whole = rng.random(SERVICES) < 0.58
    integrated = np.zeros(SERVICES, dtype=bool)
    integrated[rng.permutation(SERVICES)[:SERVICES_INTEGRATED]] = True
    days = rng.choice([1, 3, 5, 7, 10, 15, 20, 30], SERVICES)
    fee = rng.choice([0, 0, 0, 20_000, 50_000, 100_000, 200_000, 500_000], SERVICES)
    return {
        "sector": arr[:, 0],
        "object": arr[:, 1],
        "action": arr[:, 2],
        "level": arr[:, 3],
        "whole": whole,
        "integrated": integrated,
        "days": days,
        "fee": fee,
    }


def procedure_codes(n: int) -> pa.Array:
    """National-database style codes, e.g. 1.004227.000.00.00.H31."""
    return synth.join("1.", synth.digits(4000 + np.arange(n) * 3, 6), ".000.00.00.H31")


def _services(ctx: Context, start: int, stop: int) -> pa.Table:
    c = catalogue(ctx.seed)
    s = slice(start, stop)
    sector, obj, action, level = c["sector"][s], c["object"][s], c["action"][s], c["level"][s]
    titles = [
        f"{ACTIONS[a]} {SECTORS[SECTOR_NAMES[sec]][1][o]}"
        for sec, o, a in zip(sector, obj, action, strict=True)
    ]
    agency = np.where(level == 0, "Sở, ngành thành phố", "UBND cấp xã")
    return table_of(
        SERVICES_TABLE,
        {
            "ma_thu_tuc": procedure_codes(SERVICES)[start:stop],
            "ten_thu_tuc": pa.array(titles, pa.string()),
            "linh_vuc": synth.pick(SECTOR_NAMES, sector),
            "cap_thuc_hien": pa.array(np.where(level == 0, "tinh", "xa")),
            "co_quan_thuc_hien": pa.array(agency),
            "muc_do": pa.array(np.where(c["whole"][s], "toan_trinh", "mot_phan")),
            "tich_hop_cong_dvc_quoc_gia": pa.array(c["integrated"][s]),
            "thoi_han_ngay": pa.array(c["days"][s]),
            "le_phi_vnd": pa.array(c["fee"][s]),
        },
    )


def online_share(days_since_2021: np.ndarray) -> np.ndarray:
    """18% through 2021; rising through 2022 to 90.5%; 93% by mid-2025."""
    y = days_since_2021 / 365.25
    return np.interp(y, [0, 1, 2, 4.5], [0.18, 0.18, 0.905, 0.93])


def digitised_share(days_since_2021: np.ndarray) -> np.ndarray:
    """Results digitised (Decree 45/2020): 30% in early 2021, 85% by the end of 2025.

    Our assumption: the articles give no figure.
    """
    y = days_since_2021 / 365.25
    return np.interp(y, [0, 5], [0.30, 0.85])


def _dossiers(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(DOSSIERS.name, start), stop - start
    c = catalogue(ctx.seed)
    sector = synth.weighted(rng.random(n), [w for w, _ in SECTORS.values()])
    order = np.argsort(c["sector"], kind="stable")
    first = np.searchsorted(c["sector"][order], np.arange(len(SECTORS)))
    size = np.bincount(c["sector"], minlength=len(SECTORS))
    proc = order[first[sector] + (rng.random(n) * size[sector]).astype(np.int64)]
    span = days_between(FIRST_DAY, LAST_DAY)
    offset = (span * rng.random(n) ** 0.85).astype(np.int64)  # volume grows over time
    filed = day(FIRST_DAY) + offset.astype("timedelta64[D]")
    online = rng.random(n) < online_share(offset)
    channel = np.where(online, np.where(c["whole"][proc], 2, 1), 0)
    due = filed + np.ceil(c["days"][proc] * 1.4).astype("timedelta64[D]")
    took = np.ceil(c["days"][proc] * 1.4 * rng.beta(2.2, 1.6, n) * 1.08).astype("timedelta64[D]")
    state = synth.weighted(rng.random(n), [0.955, 0.0, 0.03, 0.015])
    pending = (filed + took > day(LAST_DAY)) & (state == 0)
    state = np.where(pending, 1, state)
    done = filed + took
    people = ctx.people
    person = people.among(
        people.slots_born(1940, 2005), (rng.random(n) * 1_600_000).astype(np.int64)
    )
    ids = np.arange(start, stop)
    paid_online = online & (c["fee"][proc] > 0) & (rng.random(n) < 0.7)
    digitised = rng.random(n) < digitised_share(offset)
    return table_of(
        DOSSIERS,
        {
            "ma_ho_so": synth.join(
                "H31-",
                pa.array(filed.astype("datetime64[D]").astype(str)),
                "-",
                synth.digits(ids, 7),
            ),
            "ma_thu_tuc": procedure_codes(SERVICES).take(pa.array(proc)),
            "linh_vuc": synth.pick(SECTOR_NAMES, sector),
            "ma_xa": people.commune_codes(people.commune(person)),
            "kenh_nop": synth.pick(CHANNELS, channel),
            "thoi_diem_nop": local_times(filed, office_seconds(rng, n)),
            "ngay_hen_tra": dates(due),
            "ngay_tra_ket_qua": dates(np.where(state == 1, np.datetime64("NaT"), done)),
            # derived, for the indicators' average processing time: result day − filing day
            "so_ngay": pa.array(took.astype(np.int64), pa.int64(), mask=state == 1),
            "trang_thai": synth.pick(STATES, state),
            "dung_han": pa.array(np.where(state == 1, None, done <= due), pa.bool_()),
            "thanh_toan_truc_tuyen": pa.array(paid_online),
            "so_hoa_ket_qua": pa.array(digitised, pa.bool_(), mask=state == 1),
            "nguoi_nop_ho_ten": people.full_name(person),
            "nguoi_nop_so_cccd": people.citizen_id(person),
        },
    )


SERVICES_TABLE = Table(
    name="dvc-thu-tuc-hanh-chinh",
    title="Danh mục thủ tục hành chính, dịch vụ công trực tuyến",
    title_en="Administrative procedures and online public services",
    about="Danh mục thủ tục hành chính thành phố; cờ tích hợp Cổng Dịch vụ công quốc gia "
    "(1.578/1.936 = 81,51%).",
    owner=owners.CITY_OFFICE,
    rows=SERVICES,
    fixed=True,
    basis="“tích hợp gần 1.580 dịch vụ công trực tuyến lên cổng quốc gia, đạt tỷ lệ 81,51%” "
    "(Diễn đàn Chuyển đổi số Hải Phòng 2024, seeds/003): 1.578/1.936.",
    classification="public",
    frequency="monthly",
    primary_key=("ma_thu_tuc",),
    indexes=("linh_vuc",),
    tags=("dich-vu-cong", "thu-tuc-hanh-chinh"),
    generate=_services,
    fields=[
        field(
            "ma_thu_tuc",
            "string",
            "Mã thủ tục",
            "Mã theo Cơ sở dữ liệu quốc gia về TTHC (mô phỏng)",
        ),
        field("ten_thu_tuc", "string", "Tên thủ tục", required=True),
        field("linh_vuc", "string", "Lĩnh vực", enum=SECTOR_NAMES),
        field(
            "cap_thuc_hien",
            "string",
            "Cấp thực hiện",
            "tinh: cấp thành phố; xa: cấp xã",
            enum=["tinh", "xa"],
        ),
        field("co_quan_thuc_hien", "string", "Cơ quan thực hiện"),
        field(
            "muc_do",
            "string",
            "Mức độ dịch vụ công trực tuyến",
            "toan_trinh: toàn trình; mot_phan: một phần",
            enum=["toan_trinh", "mot_phan"],
        ),
        field("tich_hop_cong_dvc_quoc_gia", "boolean", "Đã tích hợp Cổng Dịch vụ công quốc gia"),
        field("thoi_han_ngay", "integer", "Thời hạn giải quyết (ngày làm việc)", minimum=1),
        field("le_phi_vnd", "integer", "Phí, lệ phí (đồng)", minimum=0),
    ],
)

DOSSIERS = Table(
    name="dvc-ho-so-thu-tuc-hanh-chinh",
    title="Hồ sơ thủ tục hành chính theo thủ tục và xã",
    title_en="Administrative procedure dossiers by procedure and commune",
    about="Từng hồ sơ: thủ tục, xã, kênh nộp (trực tiếp, trực tuyến một phần, trực tuyến "
    "toàn trình), hạn và ngày trả kết quả, người nộp. Tỷ lệ trực tuyến 18% năm 2021, trên "
    "90% từ 2023 như bài báo.",
    owner=owners.CITY_OFFICE,
    rows=1_200_000,
    basis="giả định của bản trình diễn (bài báo không nêu tổng số hồ sơ); lĩnh vực đất đai "
    "chiếm 45% để khớp “hơn 110 nghìn hồ sơ trực tuyến” đất đai/năm (seeds/002).",
    classification="shared",
    frequency="daily",
    primary_key=("ma_ho_so",),
    indexes=("ma_thu_tuc", "ma_xa", "kenh_nop", "linh_vuc"),
    tags=("dich-vu-cong", "ho-so", "thu-tuc-hanh-chinh"),
    temporal=(FIRST_DAY, LAST_DAY),
    generate=_dossiers,
    fields=[
        field("ma_ho_so", "string", "Mã hồ sơ"),
        field("ma_thu_tuc", "string", "Mã thủ tục", required=True),
        field("linh_vuc", "string", "Lĩnh vực", enum=SECTOR_NAMES),
        commune_field("Xã nơi cư trú của người nộp (mã thống kê, từ 01/7/2025)"),
        field("kenh_nop", "string", "Kênh nộp hồ sơ", enum=CHANNELS),
        field("thoi_diem_nop", "datetime", "Thời điểm nộp", required=True),
        field("ngay_hen_tra", "date", "Ngày hẹn trả kết quả"),
        field("ngay_tra_ket_qua", "date", "Ngày trả kết quả"),
        field(
            "so_ngay",
            "integer",
            "Số ngày giải quyết",
            "Ngày trả kết quả − ngày nộp (ngày lịch); trống khi đang xử lý",
            minimum=0,
        ),
        field("trang_thai", "string", "Trạng thái", enum=STATES),
        field("dung_han", "boolean", "Trả đúng hạn"),
        field("thanh_toan_truc_tuyen", "boolean", "Thanh toán phí trực tuyến"),
        field(
            "so_hoa_ket_qua",
            "boolean",
            "Kết quả giải quyết đã được số hoá",
            "Theo Nghị định 45/2020/NĐ-CP; trống khi đang xử lý",
        ),
        field("nguoi_nop_ho_ten", "string", "Họ và tên người nộp", personal=True),
        field(
            "nguoi_nop_so_cccd",
            "string",
            "Số CCCD người nộp",
            personal=True,
            subject="citizen_id",
            pattern=r"\d{12}",
        ),
    ],
)

TABLES = (SERVICES_TABLE, DOSSIERS)
