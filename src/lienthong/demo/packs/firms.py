"""Synthetic firms: firm `f` has one tax code and one name, whichever pack mentions it.

Index ranges keep the populations apart: logistics firms and customs declarants take
0…19,999 (the first `firms` of them are the registered logistics firms, so some
declarants are forwarders), the SMEs of the survey 100,000 upwards, the new
registrations of the business register 300,000 upwards, VCCI 499,999.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from lienthong.demo import names, synth

SME_BASE = 100_000
REGISTER_BASE = 300_000
LOGISTICS_TRADES = [
    "Logistics",
    "Vận tải biển",
    "Giao nhận vận tải",
    "Kho vận",
    "Đại lý tàu biển",
    "Dịch vụ hàng hải",
]
TRADER_TRADES = [
    "Xuất nhập khẩu",
    "Sản xuất và Thương mại",
    "Điện tử",
    "Dệt may",
    "Cơ khí",
    "Thương mại Dịch vụ",
]
SUFFIXES = [
    "",
    " Hải Phòng",
    " Việt Nam",
    " Quốc tế",
    " Miền Bắc",
    " Đông Dương",
    " Toàn Cầu",
    " Châu Á",
]


def tax_codes(f: np.ndarray) -> pa.Array:
    return synth.tax_codes(f)


def firm_names(seed: int, f: np.ndarray, trades: list[str]) -> pa.Array:
    """Names like "Công ty TNHH Logistics Hải An Quốc tế", a pure function of the index."""
    form = synth.weighted(synth.unit(seed, "firm-form", f), names.FIRM_FORM_WEIGHTS)
    pairs = names.firm_word_pairs()
    return synth.join(
        synth.pick(names.FIRM_FORMS, form),
        " ",
        synth.pick(trades, trade_index(seed, f, trades)),
        " ",
        synth.pick(pairs, synth.below(seed, "firm-pair", f, len(pairs))),
        synth.pick(SUFFIXES, synth.below(seed, "firm-suffix", f, len(SUFFIXES))),
    )


def trade_index(seed: int, f: np.ndarray, trades: list[str]) -> np.ndarray:
    """Which of `trades` firm `f`'s name carries."""
    return synth.below(seed, "firm-trade", f, len(trades))


def legal_form(seed: int, f: np.ndarray) -> pa.Array:
    form = synth.weighted(synth.unit(seed, "firm-form", f), names.FIRM_FORM_WEIGHTS)
    return synth.pick(["tnhh", "co_phan", "tu_nhan"], form)
