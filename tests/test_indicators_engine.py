"""The engine on SQLite and PostgreSQL: the shipped frameworks computed from SYNTHETIC
records, checked against sums done here by hand; roll-ups commune → province and across
the 2025 merger; estimated values on split communes; rankings."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from lienthong.core.platform import Platform
from lienthong.indicators import compute, rank
from lienthong.indicators.loader import load_shipped
from lienthong.indicators.schema import ind_values
from lienthong.units import periods
from tests.test_indicators_support import (  # noqa: F401  (fixtures)
    DOANH_NGHIEP_SCHEMA,
    DOSSIERS,
    HAIPHONG,
    HO_SO_SCHEMA,
    SPLIT_LEGACY,
    communes,
    doanh_nghiep,
    ho_so,
    load,
    make_dataset,
    months,
    setup_member,
    store,
    units_pg,
    units_sqlite,
)

MONTHS = months(date(2025, 7, 1), 6)  # after the merger: 2025 codes


def values(platform: Platform, dx: str, source: str = "platform") -> dict[tuple[str, str], Any]:
    v = ind_values.c
    stmt = select(v.ou, v.pe, v.value, v.numerator, v.denominator, v.estimated).where(
        v.dx == dx, v.source == source
    )
    with platform.store.read() as conn:
        return {(r.ou, r.pe): r for r in conn.execute(stmt)}


@pytest.fixture
def loaded(platform: Platform) -> dict[str, Any]:
    setup_member(platform)
    make_dataset(platform, DOSSIERS, HO_SO_SCHEMA)
    make_dataset(platform, "doanh-nghiep", DOANH_NGHIEP_SCHEMA)
    xa = communes(platform.store, 6)
    rows = ho_so(0, 3000, xa, MONTHS)
    load(platform, DOSSIERS, rows)
    load(platform, "doanh-nghiep", doanh_nghiep(0, 800, xa, MONTHS))
    return {"communes": xa, "rows": rows}


def test_full_compute_matches_hand_counts(platform: Platform, loaded: dict[str, Any]) -> None:
    summary = compute.compute_all(platform.store)
    assert summary.engine == platform.store.dialect
    # every dataset the shipped frameworks read is absent, but the two loaded here
    wanted = {e.dataset for e in load_shipped().elements.values() if e.dataset}
    assert set(summary.missing_datasets) == wanted - {DOSSIERS, "doanh-nghiep"}
    assert summary.unresolved_units == []
    xa, rows = loaded["communes"][0], loaded["rows"]
    mine = [r for r in rows if r["ma_xa"] == xa and r["thoi_diem_nop"][:7] == "2025-08"]
    online = sum(r["kenh_nop"] != "truc_tiep" for r in mine)
    got = values(platform, "TTHC_TL_TRUC_TUYEN")[(xa, "2025-08")]
    assert (got.numerator, got.denominator) == (online, len(mine))
    assert got.value == pytest.approx(100 * online / len(mine))
    # the average rolls up as sum ÷ count, never as an average of averages
    q3 = [r for r in rows if r["thoi_diem_nop"][:7] in ("2025-07", "2025-08", "2025-09")]
    avg = values(platform, "TTHC_NGAY_XU_LY")[(HAIPHONG, "2025-Q3")]
    assert avg.value == pytest.approx(sum(r["so_ngay"] for r in q3) / len(q3))


def test_province_ratio_is_recomputed_from_sums(platform: Platform, loaded: dict[str, Any]) -> None:
    compute.compute_all(platform.store)
    rate = values(platform, "TTHC_TL_TOAN_TRINH")
    parts = [rate[(x, "2025")] for x in loaded["communes"]]
    whole = rate[(HAIPHONG, "2025")]
    assert whole.numerator == sum(p.numerator for p in parts)
    assert whole.denominator == sum(p.denominator for p in parts)
    assert whole.value == pytest.approx(100 * whole.numerator / whole.denominator)
    mean_of_rates = sum(p.value for p in parts) / len(parts)
    assert whole.value != pytest.approx(mean_of_rates, abs=1e-9)


def test_legacy_codes_roll_across_the_merger(platform: Platform) -> None:
    setup_member(platform)
    make_dataset(platform, DOSSIERS, HO_SO_SCHEMA)
    before = months(date(2025, 4, 1), 3)  # Q2 2025: the legacy hierarchy
    load(platform, DOSSIERS, ho_so(0, 300, [SPLIT_LEGACY], before))
    summary = compute.compute_all(platform.store)
    assert summary.unresolved_units == []
    with platform.store.read() as conn:
        from lienthong.units import service

        heirs = [s.code for s in service.successors(conn, SPLIT_LEGACY)]
    assert len(heirs) == 2
    files = values(platform, "TTHC_HO_SO")
    shares = [files[(h, "2025-Q2")] for h in heirs]
    assert all(s.estimated for s in shares)
    assert sum(s.value for s in shares) == pytest.approx(300)
    province = files[(HAIPHONG, "2025-Q2")]
    assert province.value == pytest.approx(300)
    assert province.estimated
    # a ratio of two estimated halves is the ratio of the whole, still flagged
    rate = values(platform, "TTHC_TL_TRUC_TUYEN")[(heirs[0], "2025-Q2")]
    assert rate.estimated
    assert rate.value == pytest.approx(
        values(platform, "TTHC_TL_TRUC_TUYEN")[(HAIPHONG, "2025-Q2")].value
    )


def test_rankings_per_period(platform: Platform, loaded: dict[str, Any]) -> None:
    compute.compute_all(platform.store)
    with platform.store.read() as conn:
        ranked = rank.ranking(conn, "TTHC_TL_TRUC_TUYEN", periods.parse("2025-Q3"), level=3)
    assert [r["unit"] for r in ranked]
    assert len(ranked) == len(loaded["communes"])
    assert [r["rank"] for r in ranked] == sorted(r["rank"] for r in ranked)
    vals = [r["value"] for r in ranked]
    assert vals == sorted(vals, reverse=True)
    # "less is better" ranks the other way round
    with platform.store.read() as conn:
        slow = rank.ranking(conn, "TTHC_THOI_GIAN", periods.parse("2025-Q3"), level=3)
    assert [r["value"] for r in slow] == sorted(r["value"] for r in slow)


def test_a_plan_split_by_unit_range_gives_the_same_cube(
    platform: Platform, loaded: dict[str, Any]
) -> None:
    """A rebuild over a stored cube splits each plan at its median unit (two connections on a
    SQLite file): the halves hold every row once, distinct counts included."""
    from lienthong.catalog.service import get_dataset
    from lienthong.indicators import cube, plan
    from lienthong.indicators.engines import SqlEngine

    first = compute.compute_all(platform.store)  # no cube stored yet: plans run whole
    before = {(k.ou, k.pe): k for k in values(platform, "TTHC_TL_TRUC_TUYEN").values()}
    scans = plan.scans(load_shipped().computed_elements())
    scan = next(s for s in scans if s.dataset == DOSSIERS)
    middle = sorted(loaded["communes"])[3]
    with platform.store.write() as conn:
        dataset = get_dataset(conn, DOSSIERS)
        eng = SqlEngine(conn)
        try:
            whole = cube.run_scan(eng, dataset, scan)
            halves = cube.run_scan(eng, dataset, scan, split=middle)
        finally:
            eng.close()
    assert whole.num_rows > 0
    assert halves.sort_by(
        [("element", "ascending"), ("unit", "ascending"), ("period", "ascending")]
    ).equals(
        whole.sort_by([("element", "ascending"), ("unit", "ascending"), ("period", "ascending")])
    )
    again = compute.compute_all(platform.store)  # the cube is stored: plans are split
    assert again.facts == first.facts
    assert again.changed == 0
    assert {(k.ou, k.pe): k for k in values(platform, "TTHC_TL_TRUC_TUYEN").values()} == before
