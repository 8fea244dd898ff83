"""The articles' reported figures as a dataset: real values with their sources, not synthetic."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyarrow as pa

from lienthong.demo.figures import AREAS, FIGURES, KINDS, Figure
from lienthong.demo.packs import owners
from lienthong.demo.packs.base import Context, Table, field, table_of


def _column(rows: Sequence[Figure], get: Callable[[Figure], str | None]) -> pa.Array:
    return pa.array([get(f) for f in rows], pa.string())


def _figures(ctx: Context, start: int, stop: int) -> pa.Table:
    rows = FIGURES[start:stop]

    def col(get: Callable[[Figure], str | None]) -> pa.Array:
        return _column(rows, get)

    return table_of(
        REPORTED,
        {
            "ma_so_lieu": col(lambda f: f.key),
            "chi_tieu": col(lambda f: f.indicator),
            "chi_tieu_en": col(lambda f: f.indicator_en),
            "gia_tri": pa.array([f.value for f in rows], pa.float64()),
            "gia_tri_den": pa.array([f.upper for f in rows], pa.float64()),
            "dinh_tinh": col(lambda f: f.qualifier or None),
            "don_vi": col(lambda f: f.unit),
            "loai": col(lambda f: f.kind),
            "ky": col(lambda f: f.period),
            "dia_ban": col(lambda f: f.area),
            "ten_dia_ban": col(lambda f: AREAS[f.area]),
            "trich_dan": col(lambda f: f.quote),
            "nguon_tep": col(lambda f: f"shared/seeds/{f.article.file}"),
            "nguon_bai": col(lambda f: f.article.title),
            "nguon_bao": col(lambda f: f.article.outlet),
            "tac_gia": col(lambda f: f.article.author),
            "ngay_dang": col(lambda f: f.article.published),
            "ghi_chu_ngay": col(lambda f: f.article.date_note),
        },
    )


REPORTED = Table(
    name="so-lieu-bao-cao-chuyen-doi-so",
    title="Số liệu chuyển đổi số đã công bố trên báo chí (Hải Phòng, 2022–2024)",
    title_en="Reported digital-transformation figures from the press (Hai Phong, 2022–2024)",
    about="Số liệu thật, trích từ các bài báo nguồn: mỗi số liệu kèm kỳ, địa bàn, câu trích "
    "nguyên văn, tệp bài báo, tên bài, cơ quan báo chí, tác giả và ngày đăng (khi bài ghi). "
    "Reported figures, each with its source article and the words it was read from.",
    owner=owners.CITY,
    rows=len(FIGURES),
    fixed=True,
    synthetic=False,
    basis="Nguồn: shared/seeds/000–004 (bài báo 2022–2024).",
    classification="public",
    frequency="irregular",
    primary_key=("ma_so_lieu",),
    tags=("so-lieu-bao-cao", "nguon-bao-chi", "chuyen-doi-so"),
    generate=_figures,
    fields=[
        field("ma_so_lieu", "string", "Mã số liệu"),
        field("chi_tieu", "string", "Chỉ tiêu", required=True),
        field("chi_tieu_en", "string", "Chỉ tiêu (tiếng Anh)"),
        field("gia_tri", "number", "Giá trị", required=True),
        field("gia_tri_den", "number", "Giá trị đến (khoảng)"),
        field("dinh_tinh", "string", "Từ định tính của bài (hơn, gần, khoảng, trên)"),
        field("don_vi", "string", "Đơn vị"),
        field("loai", "string", "Loại số liệu", enum=list(KINDS)),
        field("ky", "string", "Kỳ"),
        field("dia_ban", "string", "Mã địa bàn (tỉnh trước 2025, hoặc VN)", enum=list(AREAS)),
        field("ten_dia_ban", "string", "Địa bàn"),
        field("trich_dan", "string", "Trích dẫn nguyên văn"),
        field("nguon_tep", "string", "Tệp bài báo nguồn"),
        field("nguon_bai", "string", "Tên bài báo"),
        field("nguon_bao", "string", "Cơ quan báo chí"),
        field("tac_gia", "string", "Tác giả"),
        field("ngay_dang", "string", "Ngày đăng (ISO 8601, chính xác đến mức bài cho phép)"),
        field("ghi_chu_ngay", "string", "Ghi chú về ngày đăng"),
    ],
)

TABLES = (REPORTED,)
