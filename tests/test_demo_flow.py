"""The demo end to end: the port community set up, one tick of live traffic through a real
server, and the indicators that follow from it; the articles' figures reported to the
engine. Every row here is synthetic (the packs') or an article's figure (with its source)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from lienthong.audit.schema import audit_log
from lienthong.catalog.service import get_dataset, table_name
from lienthong.core.auth import local_operator
from lienthong.core.platform import Platform
from lienthong.core.timeutil import utcnow
from lienthong.demo import load as demo
from lienthong.demo import port, reporting
from lienthong.demo.packs.dossiers import DOSSIERS
from lienthong.demo.packs.port import N_PORTS, port_codes
from lienthong.demo.packs.port_procedures import GATEWAY, PROCEDURES
from lienthong.demo.traffic import Traffic
from lienthong.indicators import compute
from lienthong.indicators.schema import ind_values
from lienthong.units import loader as units_loader
from lienthong.units import periods
from tests.web_support import build_app, live_server

HAIPHONG = "31"
PORT_TABLES = ["cang-bien", "cang-luot-tau", PROCEDURES.name, DOSSIERS.name]


@pytest.fixture
def base_url(platform: Platform) -> Iterator[str]:
    with platform.store.write() as conn:
        units_loader.load(conn, platform.audit, "test")
    demo.load(platform, local_operator("demo"), scale=0.01, only=PORT_TABLES)
    with live_server(build_app(platform)) as url:
        port.setup(platform, local_operator("demo"), url)
        yield url


def _gateway_rows(platform: Platform) -> list[dict[str, object]]:
    with platform.store.read() as conn:
        name = table_name(get_dataset(conn, PROCEDURES.name))
        sql = f"SELECT * FROM {name} WHERE ma_thong_diep_xroad IS NOT NULL"
        return [dict(r) for r in conn.execute(text(sql)).mappings()]


def _evidence_of(platform: Platform, message: str) -> dict[str, object]:
    """The exchange's evidence entry (written within the gateway's batch window)."""
    deadline = time.monotonic() + 5
    while True:
        with platform.store.read() as conn:
            rows = conn.execute(
                select(audit_log.c.details).where(audit_log.c.action == "exchange")
            ).scalars()
            found = [d for d in map(json.loads, rows) if d.get("x_road_id") == message]
        if found or time.monotonic() > deadline:
            assert len(found) == 1, message
            return dict(found[0])
        time.sleep(0.1)


def _values(platform: Platform, dx: str, pe: str) -> dict[str, float | None]:
    v = ind_values.c
    stmt = select(v.ou, v.value).where(v.dx == dx, v.pe == pe)
    with platform.store.read() as conn:
        return dict(conn.execute(stmt).all())


def test_a_tick_of_traffic_is_a_port_procedure_through_the_gateway(
    platform: Platform, base_url: str
) -> None:
    assert _gateway_rows(platform) == []  # the packs' procedures carry no message id
    traffic = Traffic(platform, base_url, rows=5)
    added = traffic.tick()
    assert added == 5  # five dossiers copied as new, submitted now
    rows = _gateway_rows(platform)
    assert len(rows) == 1
    row = rows[0]
    assert row["kenh"] == GATEWAY
    assert row["loai_thu_tuc"] == "xac_nhan_thong_quan"
    assert row["ma_cang"] == port_codes()[traffic.ticks % N_PORTS].as_py()
    # the message id is the gateway's own: its evidence in the audit chain holds it
    assert _evidence_of(platform, str(row["ma_thong_diep_xroad"]))["status"] == 200

    compute.compute_all(platform.store)
    quarter = periods.of("quarter", utcnow().date()).code
    share = _values(platform, "CANG_TL_THU_TUC_SO", quarter)
    via_gateway = _values(platform, "CANG_TL_THU_TUC_LGSP", quarter)
    # in the open quarter the live procedure is the commune's only one: all digital
    assert share[str(row["ma_xa"])] == 100
    assert via_gateway[str(row["ma_xa"])] == 100
    assert share[HAIPHONG] == 100
    # and the packs' 2024 keep their digital share, consistent with the generator's 70–95%
    year = _values(platform, "CANG_TL_THU_TUC_SO", "2024")
    assert 70 < (year[HAIPHONG] or 0) < 95


def test_a_refused_exchange_records_no_procedure(platform: Platform, base_url: str) -> None:
    traffic = Traffic(platform, base_url, rows=1)
    traffic._customs_key = "not-a-key"  # a caller the gateway does not know
    traffic.tick()
    assert _gateway_rows(platform) == []


def test_the_articles_shares_are_reported_values(platform: Platform) -> None:
    with platform.store.write() as conn:
        units_loader.load(conn, platform.audit, "test")
    first = reporting.report(platform, local_operator("demo"))
    again = reporting.report(platform, local_operator("demo"))
    assert first["inserted"] == len(reporting.REPORTED_AS)
    assert again["inserted"] == 0
    assert again["unchanged"] == len(reporting.REPORTED_AS)
    compute.compute_all(platform.store)
    assert _values(platform, "KTS_TY_TRONG", "2021")[HAIPHONG] == 6.0
    assert _values(platform, "DVC_TL_TICH_HOP", "2024")[HAIPHONG] == 81.51
