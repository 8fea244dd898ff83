"""The demo meets the indicator engine: after the units and a tiny demo load, the shipped
dti-province-922 framework computes the dossier indicators for Hải Phòng's communes and
for the province (unit "31") from the demo's own dossiers dataset."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from lienthong.core.auth import local_operator
from lienthong.core.platform import Platform
from lienthong.demo import load as demo
from lienthong.demo.packs.businesses import REGISTRATIONS
from lienthong.demo.packs.dossiers import DOSSIERS
from lienthong.indicators import compute
from lienthong.indicators.schema import ind_values
from lienthong.units import loader as units_loader
from lienthong.units import service as units_service

HAIPHONG = "31"
RATES = ("TTHC_TL_TRUC_TUYEN", "TTHC_TL_TOAN_TRINH", "TTHC_TL_DUNG_HAN", "TTHC_TL_THANH_TOAN")


def test_demo_dossiers_feed_the_dti_framework(platform: Platform) -> None:
    with platform.store.write() as conn:
        units_loader.load(conn, platform.audit, "test")
    report = demo.load(platform, local_operator("demo"), scale=0.01, only=[DOSSIERS.name])
    assert report.rows > 0
    summary = compute.compute_all(platform.store)
    assert DOSSIERS.name not in summary.missing_datasets
    assert summary.unresolved_units == []

    v = ind_values.c
    wanted = [*RATES, "TTHC_HO_SO", "TTHC_THOI_GIAN", "TTHC_TL_SO_HOA"]
    wanted += ["DTI922_CQS_R01", "DTI922_CQS_R05"]
    stmt = select(v.dx, v.ou, v.pe, v.value).where(v.dx.in_(wanted), v.source == "platform")
    units: dict[str, set[str]] = defaultdict(set)
    with platform.store.read() as conn:
        rows = conn.execute(stmt).all()
        communes = {u.code for u in units_service.descendants(conn, HAIPHONG, 3)}
    assert len(communes) == 114
    for dx, ou, pe, value in rows:
        units[dx].add(ou)
        if dx in RATES and value is not None:
            assert 0 <= value <= 100, (dx, ou, pe, value)  # the framework's unit is %
    for dx in wanted:
        assert HAIPHONG in units[dx], dx
        assert len(units[dx] & communes) > 100, (dx, len(units[dx] & communes))

    year = {r.dx: r.value for r in rows if r.ou == HAIPHONG and r.pe == "2024"}
    assert year["TTHC_HO_SO"] > 0
    assert year["TTHC_TL_TRUC_TUYEN"] > 80  # over 90% online since 2023 (the articles)
    assert year["TTHC_TL_TOAN_TRINH"] < year["TTHC_TL_TRUC_TUYEN"]
    assert 0 < year["TTHC_TL_DUNG_HAN"] <= 100
    assert year["TTHC_THOI_GIAN"] > 0
    # results digitised: the generator's 30% (2021) → 85% (2025) is about 69% in 2024
    assert 60 < year["TTHC_TL_SO_HOA"] < 78


def test_demo_business_register_feeds_the_digital_economy_framework(platform: Platform) -> None:
    with platform.store.write() as conn:
        units_loader.load(conn, platform.audit, "test")
    demo.load(platform, local_operator("demo"), scale=0.2, only=[REGISTRATIONS.name])
    summary = compute.compute_all(platform.store)
    assert REGISTRATIONS.name not in summary.missing_datasets
    v = ind_values.c
    wanted = ("DN_MOI", "DN_TL_HOA_DON_DT", "DN_TL_ICT", "DN_VON_BINH_QUAN")
    stmt = select(v.dx, v.pe, v.value).where(
        v.dx.in_(wanted), v.ou == HAIPHONG, v.source == "platform"
    )
    with platform.store.read() as conn:
        year = {(r.dx, r.pe): r.value for r in conn.execute(stmt) if len(r.pe) == 4}
    for y in ("2021", "2022", "2023", "2024", "2025"):
        assert 800 < year[("DN_MOI", y)] < 1000  # 4,500 a year at 0.2×
        assert 3 < year[("DN_TL_ICT", y)] < 9  # about 6%
        assert 2 < year[("DN_VON_BINH_QUAN", y)] < 15  # billion đồng, median about 3
    # e-invoices mandatory from 1 July 2022 (Decree 123/2020): about 60% before, 99% after
    assert 55 < year[("DN_TL_HOA_DON_DT", "2021")] < 65
    assert 75 < year[("DN_TL_HOA_DON_DT", "2022")] < 85
    assert year[("DN_TL_HOA_DON_DT", "2024")] > 97
