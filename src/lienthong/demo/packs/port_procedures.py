"""Port procedures: the declarations and confirmations each vessel call goes through.

Every call of `port.CALLS` has four procedures: arrival and departure declarations, the
customs clearance confirmation sent to the terminal (TOS), and the delivery order. Each is
done on paper, electronically (the national single window, a port's own portal) or through
the platform's exchange gateway, where customs asks the port's TOS directly; the demo's
live traffic adds one such gateway procedure per exchange, with its X-Road message id, so
the share of port procedures done digitally moves while the demo runs.

The articles give no share of digital port procedures; the shares here (about 70% digital
early in 2024, rising to about 95% by its end, higher at the 22 ports on a digital platform)
are our assumption, set to be consistent with “100% số cảng … đã có hệ thống quản lý cảng
TOS” (seeds/003).

>>> PROCEDURES.count(1.0, {"cang-luot-tau": 24_000})
96000
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lienthong.demo import synth
from lienthong.demo.packs import owners, port
from lienthong.demo.packs.base import Context, Table, commune_field, field, table_of
from lienthong.demo.packs.common import local_stamps

KINDS = ["tau_den", "tau_roi", "xac_nhan_thong_quan", "lenh_giao_hang"]
CHANNELS = ["lien_thong_lgsp", "dien_tu_khac", "giay"]
GATEWAY = CHANNELS[0]  # through the platform's exchange gateway
PER_CALL = len(KINDS)
REQUESTERS = {  # who asks for each procedure (a registry member's reference)
    "tau_den": owners.MARITIME.ref,
    "tau_roi": owners.MARITIME.ref,
    "xac_nhan_thong_quan": owners.CUSTOMS.ref,
    "lenh_giao_hang": owners.MARITIME.ref,
}
# 2024 in Hải Phòng's time (UTC+7) whose UTC day is in 2024 too, as the indicators count it
FIRST_MOMENT = np.datetime64("2024-01-01T07:00:00", "s")
LAST_MOMENT = np.datetime64("2024-12-31T23:59:59", "s")
# hours after arrival at which each procedure happens (departure: after the stay)
OFFSETS_H = np.array([-6.0, 40.0, 12.0, 20.0])


def digital_share(year_fraction: np.ndarray, digital_port: np.ndarray) -> np.ndarray:
    """The chance a procedure is done digitally, over the year and by the port's platform.

    >>> digital_share(np.array([0.0, 1.0]), np.array([False, True])).round(2).tolist()
    [0.7, 1.0]
    """
    return np.clip(0.70 + 0.25 * year_fraction + np.where(digital_port, 0.05, 0.0), 0.0, 1.0)


def _procedures(ctx: Context, start: int, stop: int) -> pa.Table:
    rng, n = ctx.rng(PROCEDURES.name, start), stop - start
    i = np.arange(start, stop)
    call, kind = i // PER_CALL, i % PER_CALL
    at = port.call_port(ctx, call)
    p = port.ports(ctx.seed)
    arrive = port.call_arrival(ctx, call)
    when = arrive + (OFFSETS_H[kind] * 3600 + rng.uniform(0, 3600, n)).astype("timedelta64[s]")
    # the first calls' arrivals and the last calls' departures are declared within the year
    when = np.clip(when, FIRST_MOMENT, LAST_MOMENT)
    fraction = (arrive - port.YEAR_START).astype(np.float64) / (366 * 86_400)
    digital = rng.random(n) < digital_share(fraction, p["digital"][at])
    # clearance confirmations go to the TOS over the gateway once the port is connected
    via_gateway = digital & ((kind == 2) | (rng.random(n) < 0.35))
    channel = np.where(via_gateway, 0, np.where(digital, 1, 2))
    communes = [a[1] for a in port.AREAS]
    return table_of(
        PROCEDURES,
        {
            "ma_thu_tuc_cang": synth.join("TTC24-", synth.digits(i, 7)),
            "ma_luot_tau": synth.join("LT24-", synth.digits(call, 6)),
            "loai_thu_tuc": synth.pick(KINDS, kind),
            "ma_cang": port.port_codes().take(pa.array(at)),
            "ma_xa": synth.pick(communes, p["area"][at]),
            "thoi_diem": local_stamps(when),
            "kenh": synth.pick(CHANNELS, channel),
            "ma_thong_diep_xroad": pa.nulls(n, pa.string()),
            "don_vi_yeu_cau": synth.pick([REQUESTERS[k] for k in KINDS], kind),
        },
    )


PROCEDURES = Table(
    name="cang-thu-tuc",
    title="Thủ tục tại cảng: khai báo tàu đến, rời, xác nhận thông quan, lệnh giao hàng",
    title_en="Port procedures: arrival, departure, clearance confirmation, delivery order",
    about="Bốn thủ tục của mỗi lượt tàu, với kênh thực hiện: liên thông qua nền tảng (LGSP, "
    "kèm mã thông điệp X-Road), điện tử khác (Cơ chế một cửa quốc gia, cổng của cảng) hoặc "
    "giấy. Giao dịch liên thông trực tiếp của bản trình diễn được ghi thêm vào đây.",
    owner=owners.MARITIME,
    rows=4 * 24_000,
    per_parent=(port.CALLS.name, PER_CALL),
    basis="4 thủ tục cho mỗi lượt tàu (giả định); tỷ lệ điện tử là giả định của bản trình "
    "diễn (bài báo không nêu), nhất quán với “100% số cảng … đã có hệ thống quản lý cảng "
    "TOS” (seeds/003).",
    classification="shared",
    frequency="daily",
    primary_key=("ma_thu_tuc_cang",),
    indexes=("ma_luot_tau", "ma_cang"),
    tags=("cang-bien", "logistics", "thu-tuc-dien-tu"),
    temporal=("2024-01-01", "2024-12-31"),
    generate=_procedures,
    fields=[
        field("ma_thu_tuc_cang", "string", "Mã thủ tục"),
        field("ma_luot_tau", "string", "Mã lượt tàu"),
        field("loai_thu_tuc", "string", "Loại thủ tục", enum=KINDS),
        field("ma_cang", "string", "Mã cảng", required=True),
        commune_field("Xã nơi đặt cảng (mã thống kê, từ 01/7/2025)"),
        field("thoi_diem", "datetime", "Thời điểm thực hiện", required=True),
        field("kenh", "string", "Kênh thực hiện", enum=CHANNELS, required=True),
        field("ma_thong_diep_xroad", "string", "Mã thông điệp X-Road (X-Road-Id), nếu liên thông"),
        field("don_vi_yeu_cau", "string", "Đơn vị yêu cầu (mã thành viên)"),
    ],
)

TABLES = (PROCEDURES,)
