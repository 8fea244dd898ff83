"""The gateway as its own ASGI application, for `lienthong gateway serve`."""

from __future__ import annotations

import gc

from lienthong.bootstrap import build_platform
from lienthong.core.settings import get_settings
from lienthong.exchange.proxy import Gateway


def create_gateway() -> Gateway:
    """One per uvicorn worker: platform from LIENTHONG_*, gateway from LIENTHONG_GATEWAY_*."""
    gateway = Gateway(build_platform(get_settings()), standalone=True)
    tune_gc()
    return gateway


def tune_gc() -> None:
    """Keep the collector off the hot path: what exists at start-up (modules, metadata) is
    never scanned again, and young collections run less often. Each request allocates
    short-lived objects only; full scans of the long-lived ones showed as latency spikes."""
    gc.collect()
    gc.freeze()
    gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(max(gen0, 50_000), gen1, gen2)
