"""Administrative units from the offline source, on SQLite and PostgreSQL.

The units are loaded once per back end (the load is what several tests examine); the
tests that change the tables put them back as they were. The API and the commands are in
test_units_api.py.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

from lienthong.core.errors import NotFound, ValidationFailed
from lienthong.units import loader, service, source
from lienthong.units.schema import unit_loads, unit_successors, units
from lienthong.units.service import Successor
from tests.units_support import BACK_ENDS, Loaded, audit_entries, count, load_units
from tests.units_support import run_cli as run


@pytest.fixture(scope="module", params=BACK_ENDS)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loaded]:
    yield from load_units(request, tmp_path_factory)


# --- the source and the counts ---------------------------------------------------------


def test_source_is_mit_and_read_without_importing_the_package_code() -> None:
    snap = source.read()
    assert (snap.package, snap.license) == ("vietnamadminunits", "MIT License")
    assert "Permission is hereby granted, free of charge" in source.license_text()
    # its code imports geopy, an online geocoder: we read its data files only
    assert not {"vietnamadminunits", "geopy", "unidecode"} & set(sys.modules)


def test_counts_since_1_july_2025(loaded: Loaded) -> None:
    now = units.c.hierarchy == "2025"
    assert count(loaded, now, units.c.level == 1) == 34
    assert count(loaded, now, units.c.level == 3) == 3_321
    assert count(loaded, now, units.c.level == 2) == 0  # no district level any more
    kinds = {k: count(loaded, now, units.c.kind == k) for k in ("xa", "phuong", "dac_khu")}
    assert kinds == {"xa": 2_621, "phuong": 687, "dac_khu": 13}


def test_hai_phong_has_114_units_with_former_hai_duong(loaded: Loaded) -> None:
    with loaded.store.read() as conn:
        communes = service.descendants(conn, "31", 3)
        legacy = service.successors(conn, "30")
    assert len(communes) == 114
    kinds = {k: sum(u.kind == k for u in communes) for k in ("xa", "phuong", "dac_khu")}
    assert kinds == {"xa": 67, "phuong": 45, "dac_khu": 2}
    assert {u.name for u in communes if u.kind == "dac_khu"} == {
        "Đặc khu Cát Hải", "Đặc khu Bạch Long Vĩ"
    }  # fmt: skip
    assert legacy == [Successor("31", partial=False)]  # Hải Dương went into Hải Phòng whole


def test_counts_before_the_merger(loaded: Loaded) -> None:
    old = units.c.hierarchy == "legacy"
    assert count(loaded, old, units.c.level == 1) == 63
    assert count(loaded, old, units.c.level == 2) == 696
    # The source lists 10,035 communes, the official count on 30 June 2025 (10,035 → 3,321
    # is the reported 66.91% cut). CONVENTIONS.md's 10,051 is not in this source.
    assert count(loaded, old, units.c.level == 3) == 10_035
    kinds = {k: count(loaded, old, units.c.kind == k) for k in ("xa", "phuong", "thi_tran")}
    assert kinds == {"xa": 7_695, "phuong": 1_724, "thi_tran": 616}
    assert loaded.report.counts["legacy.level3"] == 10_035


def test_mapping_covers_every_old_commune(loaded: Loaded) -> None:
    with loaded.store.read() as conn:
        rows = conn.execute(select(unit_successors).where(unit_successors.c.direct)).all()
    communes = [r for r in rows if len(r.legacy_code) == 5]
    mapped = {r.legacy_code for r in communes}
    split = {r.legacy_code for r in communes if r.partial}
    assert len(mapped) == 10_035  # every old commune (CONVENTIONS.md: ~10,033)
    # the five island districts that had no communes map straight to their đặc khu
    islands = {r.legacy_code: r.code for r in rows if len(r.legacy_code) == 3}
    assert islands == {
        "318": "11948", "471": "19742", "498": "20333", "536": "21548", "755": "26732"
    }  # fmt: skip
    assert len(split) == 471  # split across 2 to 5 new units (no split weights published)
    receiving = {r.code for r in communes if r.partial}
    assert len(receiving) == 441  # new units holding part of a split commune
    assert len({r.code for r in rows if len(r.code) == 5}) == 3_321  # every new one has a past
    assert all(sum(r.preferred for r in rows if r.legacy_code == c) == 1 for c in list(split)[:50])


def test_every_unit_has_a_centroid_and_communes_an_area(loaded: Loaded) -> None:
    assert count(loaded, units.c.lat.is_(None)) == 0
    now = (units.c.hierarchy == "2025", units.c.level == 3)
    # two communes of Quảng Trị have no area in the source, so neither has the province
    assert count(loaded, *now, units.c.area_km2.is_(None)) == 2
    with loaded.store.read() as conn:
        hai_phong = service.get(conn, "31")
        quang_tri = service.get(conn, "44")
    assert hai_phong.area_km2 is not None
    assert 3_000 < hai_phong.area_km2 < 3_300
    assert quang_tri.area_km2 is None


# --- loading -----------------------------------------------------------------------------


def test_first_load_is_audited_and_quick(loaded: Loaded) -> None:
    assert loaded.report.changed
    assert loaded.report.updated == 0
    assert loaded.report.seconds < 30  # the requirement: well under a minute
    assert audit_entries(loaded, "units.load") == 1
    with loaded.store.read() as conn:
        row = conn.execute(select(unit_loads)).one()
    assert (row.source, row.version, row.license) == ("vietnamadminunits", "1.0.4", "MIT License")
    assert len(row.digest) == 64


def test_second_load_writes_nothing(loaded: Loaded) -> None:
    again = run(loaded, "units", "load")  # the command, as an operator runs it
    assert again.exit_code == 0, again.output
    assert "34 provinces, 3,321 communes" in again.output
    assert "already up to date: nothing written" in again.output
    assert audit_entries(loaded, "units.load") == 1
    with loaded.store.read() as conn:
        assert conn.execute(select(func.count()).select_from(unit_loads)).scalar_one() == 1


def test_load_repairs_what_drifted(loaded: Loaded) -> None:
    with loaded.store.write() as conn:
        at = (units.c.hierarchy == "2025", units.c.code == "11914")
        conn.execute(update(units).where(*at).values(name="Đặc khu Cát Bà"))
        conn.execute(delete(unit_successors).where(unit_successors.c.legacy_code == "30"))
        bogus = {c.name: None for c in units.columns} | {
            "hierarchy": "2025", "code": "99999", "name": "X", "short_name": "X", "type_vi": "Xã",
            "kind": "xa", "level": 3, "province": "31", "valid_from": date(2025, 7, 1),
            "search_key": "|x|",
        }  # fmt: skip
        conn.execute(units.insert().values(bogus))
    fixed = loader.load_platform(loaded.platform)
    assert (fixed.inserted, fixed.updated, fixed.deleted) == (1, 1, 1)
    with loaded.store.read() as conn:
        assert service.get(conn, "11914").name == "Đặc khu Cát Hải"
        assert service.successors(conn, "30") == [Successor("31", False)]
        with pytest.raises(NotFound):
            service.get(conn, "99999")
    assert audit_entries(loaded, "units.load") == 2


def test_source_refuses_what_it_does_not_understand(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="is missing"):
        source.read(tmp_path)
    for name in ("dataset.db", "converter_2025.json"):
        shutil.copy(source.data_dir() / name, tmp_path / name)
    with sqlite3.connect(tmp_path / "dataset.db") as db:
        db.execute("UPDATE admin_units SET wardType = 'Làng' WHERE wardCode = '11914'")
    with pytest.raises(ValidationFailed, match="unknown unit type 'Làng'"):
        source.read(tmp_path)


# --- the service -------------------------------------------------------------------------


def test_get_children_descendants_and_province_of(loaded: Loaded) -> None:
    with loaded.store.read() as conn:
        hp = service.get(conn, "31")
        assert (hp.name, hp.short_name, hp.kind, hp.level, hp.parent) == (
            "Thành phố Hải Phòng", "Hải Phòng", "province", 1, None
        )  # fmt: skip
        assert (hp.valid_from, hp.valid_to) == (date(2025, 7, 1), None)
        blv = service.get(conn, "11948")
        assert (blv.name, blv.kind, blv.level, blv.parent) == (
            "Đặc khu Bạch Long Vĩ", "dac_khu", 3, "31"
        )  # fmt: skip
        assert blv.lat is not None
        assert 19.9 < blv.lat < 20.3
        old = service.get(conn, "30", "legacy")
        assert (old.name, old.valid_to) == ("Tỉnh Hải Dương", date(2025, 6, 30))
        assert len(service.children(conn, "31")) == 114
        assert len(service.children(conn, "31", "legacy")) == 15  # its old districts
        assert len(service.descendants(conn, "31", 3, "legacy")) == 167
        assert len(service.descendants(conn, "30", 3, "legacy")) == 207
        an_lao = service.descendants(conn, "313", 3, "legacy")  # Huyện An Lão
        assert an_lao
        assert all(u.parent == "313" for u in an_lao)
        assert service.descendants(conn, "31", 1) == [hp]
        assert service.province_of(conn, "11948") == "31"
        assert service.province_of(conn, "11296", "legacy") == "31"
        assert service.province_of(conn, "31") == "31"


@pytest.mark.parametrize(
    ("call", "error", "says"),
    [
        (lambda c: service.get(c, "99"), NotFound, "no unit with code 99 in the 2025"),
        (lambda c: service.get(c, "30"), NotFound, "no unit with code 30 in the 2025"),
        (lambda c: service.get(c, "abc"), ValidationFailed, "'abc' is not a unit code"),
        (lambda c: service.get(c, "1234"), ValidationFailed, "2 digits (province)"),
        (lambda c: service.get(c, "'; DROP TABLE units; --"), ValidationFailed, "not a unit code"),
        (lambda c: service.get(c, "٣١"), ValidationFailed, "not a unit code"),
        (lambda c: service.get(c, "31", "1999"), ValidationFailed, "'1999' is not a hierarchy"),
        (lambda c: service.children(c, "00000"), NotFound, "no unit with code 00000"),
        (lambda c: service.descendants(c, "31", 2), ValidationFailed, "it has no district level"),
        (lambda c: service.descendants(c, "11948", 1), ValidationFailed, "level 1 is not below"),
        (lambda c: service.successors(c, "11948"), NotFound, "in the legacy hierarchy"),
        (lambda c: service.predecessors(c, "30"), NotFound, "in the 2025 hierarchy"),
        (lambda c: service.province_of(c, "31", "legacy "), ValidationFailed, "not a hierarchy"),
    ],
)
def test_service_errors_are_precise(loaded: Loaded, call: Any, error: type, says: str) -> None:
    with loaded.store.read() as conn, pytest.raises(error, match=re.escape(says)):
        call(conn)


def test_valid_at(loaded: Loaded) -> None:
    with loaded.store.read() as conn:
        assert service.valid_at(conn, "30", date(2025, 6, 30))
        assert not service.valid_at(conn, "30", date(2025, 7, 1))
        assert service.valid_at(conn, "31", date(2020, 1, 1))  # old Hải Phòng
        assert service.valid_at(conn, "31", date(2025, 7, 1))  # new Hải Phòng
        assert service.valid_at(conn, "11948", date(2025, 7, 1))
        assert not service.valid_at(conn, "11948", date(2025, 6, 30))  # the đặc khu is new
        assert not service.valid_at(conn, "30", date(2008, 7, 31))  # see docs/units.md
        assert not service.valid_at(conn, "nonsense", date(2025, 7, 1))


@pytest.mark.parametrize("q", ["hai phong", "Hải Phòng", "HẢI PHÒNG", "haiphong", "Hai  Phong!"])
def test_search_ignores_diacritics_case_and_spacing(loaded: Loaded, q: str) -> None:
    with loaded.store.read() as conn:
        found = service.search(conn, q)
    assert (found[0].hierarchy, found[0].code) == ("2025", "31")  # exact names, today's first
    assert {u.name for u in found} >= {"Thành phố Hải Phòng", "Xã Hải Phong"}  # an old commune


def test_search_pages_and_filters(loaded: Loaded) -> None:
    with loaded.store.read() as conn:
        total, first = service.find(conn, q="cat hai", limit=2)
        _, rest = service.find(conn, q="cat hai", limit=10, offset=2)
        assert total == len(first) + len(rest) >= 3
        assert {u.hierarchy for u in first + rest} == {"2025", "legacy"}
        assert [u.code for u in service.search(conn, "cat hai", "legacy")][:1] == ["317"]
        total, page = service.find(conn, hierarchy="2025", level=3, parent="31", limit=10)
        assert total == 114
        assert len(page) == 10
        assert [u.code for u in page] == sorted(u.code for u in page)
        with pytest.raises(ValidationFailed, match="no letters or digits"):
            service.search(conn, " -- ")
        with pytest.raises(ValidationFailed, match="at most 100 are allowed"):
            service.search(conn, "x" * 101)


def test_successors_predecessors_and_partial_flags(loaded: Loaded) -> None:
    with loaded.store.read() as conn:
        # Thị trấn Trường Sơn (An Lão) was split; the source prefers Xã An Lão
        assert service.successors(conn, "11656") == [
            Successor("11629", partial=True), Successor("11446", partial=True)
        ]  # fmt: skip
        assert service.successors(conn, "11296") == [Successor("11602", partial=False)]
        back = service.predecessors(conn, "11914")  # Đặc khu Cát Hải ← 12 old communes
        assert len(back) == 12
        assert not any(p.partial for p in back)
        assert {p.code for p in service.predecessors(conn, "31")} == {"30", "31"}
        assert [p.code for p in service.predecessors(conn, "11948")] == ["318"]
        everything = service.successor_map(conn)
    assert everything["11656"] == [Successor("11629", True), Successor("11446", True)]
    assert len(everything) == 63 + 696 + 10_035  # every legacy unit goes somewhere


@pytest.mark.parametrize(
    ("q", "when", "expected"),
    [
        ("30", None, [Successor("31", False)]),
        ("Hải Dương", None, [Successor("31", False)]),  # the province, not its city
        ("tinh hai duong", None, [Successor("31", False)]),
        ("Hải Dương", date(2025, 7, 1), [Successor("10525", False)]),  # Phường Hải Dương
        ("Xã Lê Ninh, Kinh Môn, Hải Dương", None, [Successor("10678", False)]),
        ("xa le ninh, kinh mon", None, [Successor("10678", False)]),
        ("Thị trấn Trường Sơn, An Lão, Hải Phòng", None, [
            Successor("11629", True), Successor("11446", True)
        ]),
        ("An Lão", date(2025, 8, 1), None),  # two communes of today: still ambiguous
        ("Xã An Lão, Hải Phòng", None, [Successor("11629", False)]),
        ("11296", None, [Successor("11602", False)]),
        ("00004", None, [Successor("00004", False)]),  # a code both use: today's unit
        ("00004", date(2025, 1, 1), [Successor("00004", False)]),
        ("tp.hcm", None, [Successor("79", False)]),
        ("TP HCM", None, [Successor("79", False)]),
        ("P. 15, Q.11, TP.HCM", None, [Successor("27226", False)]),
        ("Bạch Long Vĩ", None, [Successor("11948", False)]),
        ("  31 ", None, [Successor("31", False)]),
    ],
)  # fmt: skip
def test_resolve(
    loaded: Loaded, q: str, when: date | None, expected: list[Successor] | None
) -> None:
    with loaded.store.read() as conn:
        if expected is None:
            with pytest.raises(ValidationFailed, match="names 2 units"):
                service.resolve(conn, q, when)
        else:
            assert service.resolve(conn, q, when) == expected


def test_resolve_a_split_city_flags_every_successor_partial(loaded: Loaded) -> None:
    with loaded.store.read() as conn:
        found = service.resolve_detail(conn, "Thành phố Hải Dương")
    assert [(u.hierarchy, u.code) for u in found.matched] == [("legacy", "288")]
    assert len(found.successors) == 9
    assert all(s.partial for s in found.successors)


@pytest.mark.parametrize(
    ("q", "when", "error", "says"),
    [
        ("An Lão", None, ValidationFailed, "Huyện An Lão (legacy 313, Thành phố Hải Phòng)"),
        ("30", date(2025, 7, 1), NotFound, "no unit with code 30 on 2025-07-01"),
        ("Tỉnh Hải Dương", date(2025, 7, 1), NotFound, "named 'Tỉnh Hải Dương' on 2025-07-01"),
        ("Atlantis", None, NotFound, "no unit named 'Atlantis'"),
        ("'; DROP TABLE units; --", None, NotFound, "no unit named"),
        ("%", None, ValidationFailed, "no letters or digits"),
        ("1", None, ValidationFailed, "not a unit code"),
        ("ha noi" * 50, None, ValidationFailed, "at most 100"),
    ],
)
def test_resolve_errors(loaded: Loaded, q: str, when: date | None, error: type, says: str) -> None:
    with (
        loaded.store.read() as conn,
        pytest.raises(error, match=re.escape(says)),
    ):
        service.resolve(conn, q, when)
