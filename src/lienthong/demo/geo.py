"""The communes the generators place records in: Hải Phòng's 114 units since 1 July 2025.

One place to change the source. `communes(conn)` asks `lienthong.units` first (the
statistics office's codes, loaded by `lienthong units load`); while that part is absent or
not loaded it falls back to the table below, the same 114 units (67 xã, 45 phường and
2 đặc khu) with their codes and approximate centres.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from lienthong.core import vntext
from lienthong.core.db import Store

PROVINCE = "31"
PROVINCE_NAME = "thành phố Hải Phòng"
# commune codes below this were Hải Dương's (province 30) before the 2025 merger
FIRST_FORMER_HAIPHONG = "11290"
KINDS = {"Xã": "xa", "Phường": "phuong", "Đặc khu": "dac_khu"}


@dataclass(frozen=True)
class Commune:
    """A commune-level unit: code, full name ("Phường Hồng Bàng"), kind and centre."""

    code: str
    name: str
    kind: str
    lat: float
    lon: float

    @property
    def short_name(self) -> str:
        for prefix in KINDS:
            if self.name.startswith(prefix + " "):
                return self.name[len(prefix) + 1 :]
        return self.name

    @property
    def former_province(self) -> str:
        """The province code before 1 July 2025: 31 (Hải Phòng) or 30 (Hải Dương)."""
        return PROVINCE if self.code >= FIRST_FORMER_HAIPHONG else "30"


def communes(store: Store | None = None) -> list[Commune]:
    """Hải Phòng's communes, ordered by code: from `lienthong.units` when it has them.

    >>> units = communes()
    >>> len(units), units[0].code, sum(u.kind == "phuong" for u in units)
    (114, '10507', 45)
    """
    return communes_and_source(store)[0]


def communes_and_source(store: Store | None = None) -> tuple[list[Commune], str]:
    """The communes and where they came from: "lienthong.units" or "fallback"."""
    found = _from_units(store) if store is not None else []
    # a partial answer (units still loading) would skew every pack: all 114 or none
    if len(found) == len(fallback()):
        return found, "lienthong.units"
    return fallback(), "fallback"


def _from_units(store: Store) -> list[Commune]:
    """The units part's answer, or [] while it is absent, not loaded or not migrated."""
    try:
        service: Any = importlib.import_module("lienthong.units.service")
        # a read transaction of its own: a failed query must not poison the caller's
        with store.read() as conn:
            rows = list(service.descendants(conn, PROVINCE, level=3))
    except Exception:
        return []
    out = [_commune(r) for r in rows]
    return sorted((c for c in out if c is not None), key=lambda c: c.code)


def _commune(row: Any) -> Commune | None:
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
    code, name = get("code"), get("name")
    lat, lon = get("lat"), get("lon")
    if not code or not name or lat is None or lon is None:
        return None
    name = vntext.clean(str(name))[0]
    # rounded as the fallback is, so that either source places records alike
    return Commune(str(code), name, _kind(name), round(float(lat), 4), round(float(lon), 4))


def _kind(name: str) -> str:
    for prefix, kind in KINDS.items():
        if name.startswith(prefix + " "):
            return kind
    return "xa"


def fallback() -> list[Commune]:
    """The embedded table: code, name, latitude and longitude of each unit."""
    out = []
    for line in _TABLE.strip().splitlines():
        code, name, lat, lon = line.split("|")
        name = vntext.clean(name)[0]
        out.append(Commune(code, name, _kind(name), float(lat), float(lon)))
    return out


# statistics office codes (2025 hierarchy); centres rounded to about 100 m
_TABLE = """
10507|Phường Thành Đông|20.9594|106.325
10525|Phường Hải Dương|20.941|106.344
10532|Phường Lê Thanh Nghị|20.9303|106.312
10537|Phường Tân Hưng|20.9056|106.336
10543|Phường Việt Hoà|20.948|106.254
10546|Phường Chí Linh|21.1031|106.319
10549|Phường Chu Văn An|21.0949|106.374
10552|Phường Nguyễn Trãi|21.1918|106.448
10570|Phường Trần Hưng Đạo|21.1515|106.371
10573|Phường Trần Nhân Tông|21.1313|106.469
10603|Phường Lê Đại Hành|21.0518|106.397
10606|Xã Nam Sách|20.9805|106.354
10615|Xã Hợp Tiến|21.0626|106.338
10633|Xã Trần Phú|21.0319|106.328
10642|Xã Thái Tân|20.9762|106.298
10645|Xã An Phú|21.007|106.374
10660|Phường Ái Quốc|20.9433|106.383
10675|Phường Kinh Môn|20.9806|106.543
10678|Phường Bắc An Phụ|21.0505|106.461
10705|Xã Nam An Phụ|21.0153|106.435
10714|Phường Nhị Chiểu|21.0346|106.557
10726|Phường Phạm Sư Mạnh|21.0179|106.512
10729|Phường Trần Liễu|20.9958|106.492
10744|Phường Nguyễn Đại Năng|20.9579|106.567
10750|Xã Phú Thái|20.9594|106.505
10756|Xã Lai Khê|20.978|106.433
10792|Xã An Thành|20.9292|106.502
10804|Xã Kim Thành|20.885|106.514
10813|Xã Thanh Hà|20.8854|106.439
10816|Xã Hà Bắc|20.942|106.414
10837|Phường Nam Đồng|20.9219|106.355
10843|Xã Hà Nam|20.921|106.463
10846|Xã Hà Tây|20.882|106.406
10882|Xã Hà Đông|20.8357|106.473
10888|Xã Cẩm Giang|20.9687|106.21
10891|Phường Tứ Minh|20.9254|106.268
10903|Xã Cẩm Giàng|20.9631|106.157
10909|Xã Tuệ Tĩnh|20.9738|106.262
10930|Xã Mao Điền|20.9312|106.213
10945|Xã Kẻ Sặt|20.9062|106.181
10966|Xã Bình Giang|20.884|106.222
10972|Xã Đường An|20.8725|106.171
10993|Xã Thượng Hồng|20.8367|106.188
10999|Xã Gia Lộc|20.8345|106.291
11002|Phường Thạch Khôi|20.901|106.297
11020|Xã Yết Kiêu|20.8746|106.262
11050|Xã Gia Phúc|20.8713|106.311
11065|Xã Trường Tân|20.8055|106.269
11074|Xã Tứ Kỳ|20.8088|106.391
11086|Xã Đại Sơn|20.8723|106.378
11113|Xã Tân Kỳ|20.8232|106.344
11131|Xã Chí Minh|20.8078|106.462
11140|Xã Lạc Phượng|20.7763|106.452
11146|Xã Nguyên Giáp|20.7507|106.423
11164|Xã Vĩnh Lại|20.7819|106.359
11167|Xã Tân An|20.7617|106.312
11203|Xã Ninh Giang|20.7388|106.382
11218|Xã Hồng Châu|20.7295|106.284
11224|Xã Khúc Thừa Dụ|20.7391|106.336
11239|Xã Thanh Miện|20.7742|106.24
11242|Xã Nguyễn Lương Bằng|20.8353|106.224
11254|Xã Bắc Thanh Miện|20.7974|106.205
11257|Xã Hải Hưng|20.8038|106.163
11284|Xã Nam Thanh Miện|20.7235|106.241
11311|Phường Hồng Bàng|20.8712|106.656
11329|Phường Ngô Quyền|20.866|106.704
11359|Phường Gia Viên|20.8476|106.697
11383|Phường Lê Chân|20.8429|106.684
11407|Phường An Biên|20.8256|106.677
11411|Phường Đông Hải|20.821|106.773
11413|Phường Hải An|20.8093|106.737
11443|Phường Kiến An|20.822|106.646
11446|Phường Phù Liễn|20.7916|106.636
11455|Phường Đồ Sơn|20.7133|106.778
11473|Phường Bạch Đằng|20.9698|106.725
11488|Phường Lưu Kiếm|20.979|106.656
11503|Xã Việt Khê|20.9951|106.592
11506|Phường Lê Ích Mộc|20.9523|106.616
11533|Phường Hoà Bình|20.9383|106.694
11542|Phường Nam Triệu|20.9136|106.747
11557|Phường Thiên Hương|20.9056|106.643
11560|Phường Thuỷ Nguyên|20.8897|106.695
11581|Phường An Dương|20.8615|106.596
11593|Phường An Phong|20.8915|106.565
11602|Phường Hồng An|20.9073|106.599
11617|Phường An Hải|20.8441|106.634
11629|Xã An Lão|20.8159|106.575
11635|Xã An Trường|20.8404|106.529
11647|Xã An Quang|20.8117|106.527
11668|Xã An Khánh|20.7756|106.599
11674|Xã An Hưng|20.7436|106.593
11680|Xã Kiến Thuỵ|20.7589|106.655
11689|Phường Hưng Đạo|20.8016|106.683
11692|Phường Dương Kinh|20.7735|106.718
11713|Xã Nghi Dương|20.7269|106.63
11725|Xã Kiến Minh|20.7682|106.689
11728|Xã Kiến Hưng|20.7167|106.671
11737|Phường Nam Đồ Sơn|20.7251|106.745
11749|Xã Kiến Hải|20.7107|106.714
11755|Xã Tiên Lãng|20.7349|106.542
11761|Xã Quyết Thắng|20.7754|106.517
11779|Xã Tân Minh|20.6914|106.547
11791|Xã Tiên Minh|20.6954|106.603
11806|Xã Chấn Hưng|20.646|106.635
11809|Xã Hùng Thắng|20.6621|106.676
11824|Xã Vĩnh Bảo|20.6796|106.487
11836|Xã Vĩnh Thịnh|20.7168|106.475
11842|Xã Vĩnh Thuận|20.7414|106.487
11848|Xã Vĩnh Hoà|20.6908|106.432
11875|Xã Vĩnh Hải|20.6361|106.475
11887|Xã Vĩnh Am|20.6348|106.519
11911|Xã Nguyễn Bỉnh Khiêm|20.6622|106.563
11914|Đặc khu Cát Hải|20.8087|106.869
11948|Đặc khu Bạch Long Vĩ|20.1346|107.7307
"""
