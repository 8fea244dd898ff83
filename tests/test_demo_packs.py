"""The Hải Phòng demo packs: deterministic generators, valid identifiers, schemas that load
on both back ends, flagged personal fields, and the articles' figures with their sources."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from importlib import metadata
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest
from sqlalchemy import select

from lienthong.bootstrap import build_platform
from lienthong.catalog.models import DatasetIn
from lienthong.catalog.schema import datasets
from lienthong.catalog.service import create_dataset
from lienthong.catalog.tableschema import parse_schema
from lienthong.core import migrate
from lienthong.core.auth import local_operator
from lienthong.core.db import Store
from lienthong.core.errors import Conflict, ValidationFailed
from lienthong.core.platform import Platform
from lienthong.core.settings import Settings
from lienthong.demo import geo, load, plans, synth
from lienthong.demo.figures import ARTICLES, FIGURES, FIGURES_BY_KEY
from lienthong.demo.packs import PACKS, TABLES, owners, table
from lienthong.demo.packs.base import SYNTHETIC_TAGS
from lienthong.demo.people import BIRTH_PROVINCES, People
from lienthong.indicators.loader import load_shipped
from lienthong.registry.identifiers import agency_code_valid, tax_code_valid

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SMALL = 0.01
PERSONAL = re.compile(
    r"^(.*_)?(ho_ten|so_cccd|ngay_sinh|bien_so|ma_the_bhyt|ma_so_bhxh|so_dinh_danh_ca_nhan)$"
)


def read(directory: Path, name: str) -> pa.Table:
    columns = pacsv.read_csv(directory / f"{name}.csv").column_names
    types = dict.fromkeys(columns, pa.string())
    return pacsv.read_csv(
        directory / f"{name}.csv", convert_options=pacsv.ConvertOptions(column_types=types)
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every table at 0.01× as CSV, seed 7."""
    out = tmp_path_factory.mktemp("packs")
    load.generate_files(out, seed=7, scale=SMALL)
    return out


# -- identifiers ------------------------------------------------------------------------


def test_tax_codes_are_valid_and_distinct() -> None:
    codes = synth.tax_codes(np.arange(0, 500_000, 7)).to_pylist()
    assert all(tax_code_valid(c) for c in codes)
    assert len(set(codes)) == len(codes)
    assert all(c.startswith("029") for c in codes)  # Hải Phòng's 02, then 9 to stay clear


def test_owner_codes_have_real_formats() -> None:
    for o in owners.ALL:
        if o.member_class == "GOV":
            assert agency_code_valid(o.member_code), o
        else:
            assert tax_code_valid(o.member_code), o


def test_citizen_ids_are_well_formed_and_unique() -> None:
    people = People(11, geo.communes())
    i = np.arange(300_000)
    ids = people.citizen_id(i).to_pylist()
    assert len(set(ids)) == len(ids)
    year, male = people.birth_year(i), people.male(i)
    for cid, y, m in zip(ids[:5000], year[:5000], male[:5000], strict=True):
        assert len(cid) == 12
        assert cid.isdigit()
        assert int(cid[:3]) in BIRTH_PROVINCES
        assert int(cid[3]) == (y - 1900) // 100 * 2 + (0 if m else 1)
        assert cid[4:6] == f"{y % 100:02d}"


def test_check_digits_of_ships_and_containers() -> None:
    assert synth.imo_check(907472) == 9  # IMO 9074729
    assert synth.container_check("CSQU305438") == 3  # CSQU 305438 3
    boxes = synth.container_numbers(["CSQ", "MSK"], np.array([0, 1]), np.array([305438, 1]))
    for box in boxes.to_pylist():
        assert synth.container_check(box[:10]) == int(box[10])
    assert boxes.to_pylist()[0] == "CSQU3054383"


# -- determinism and scale ---------------------------------------------------------------


def _digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def test_same_seed_same_bytes(files: Path, tmp_path: Path) -> None:
    load.generate_files(tmp_path / "again", seed=7, scale=SMALL)
    assert _digests(tmp_path / "again") == _digests(files)
    assert len(_digests(files)) == len(TABLES)


def test_another_seed_other_rows(files: Path, tmp_path: Path) -> None:
    ctx = load.context(8, SMALL, geo.communes())
    t = table("y-te-the-bhyt-xac-thuc-cccd")
    load.write_table(ctx, t, tmp_path / "cards.csv")
    assert (tmp_path / "cards.csv").read_bytes() != (files / f"{t.name}.csv").read_bytes()


def test_scales_and_catalogues() -> None:
    small, full = load.row_counts(SMALL), load.row_counts(1.0)
    assert full["dat-dai-thua-dat"] == 224_000
    assert small["dat-dai-thua-dat"] == 2_240
    assert full["dat-dai-du-lieu-khong-gian"] == 637_000
    assert full["gd-hoc-sinh"] == 521_000
    assert full["gd-giao-vien"] == 32_000
    assert full["vt-tram-bts"] == 2_362
    assert full["xd-ban-do-quy-hoach"] == 5_000
    # catalogues keep their size; per-firm tables follow their firms
    for name in ("gt-nut-giao-camera-phat-nguoi", "gd-co-so-giao-duc", "cang-bien"):
        assert small[name] == full[name]
    assert (
        small["thue-nop-thue-doanh-nghiep-logistics"] == small["thue-doanh-nghiep-logistics"] * 24
    )
    assert load.row_counts(10.0)["y-te-the-bhyt-xac-thuc-cccd"] == 9_580_000
    for bad in (0.001, 11.0):
        with pytest.raises(ValidationFailed):
            load.row_counts(bad)


def test_every_file_has_its_rows(files: Path) -> None:
    counts = load.row_counts(SMALL)
    for t in TABLES:
        got = read(files, t.name)
        assert got.num_rows == counts[t.name], t.name
        assert got.column_names == t.field_names
        for key in t.primary_key[:1]:
            if len(t.primary_key) == 1:
                assert pc.count_distinct(got[key]).as_py() == got.num_rows, t.name


# -- schemas, labels, personal fields ----------------------------------------------------


def test_every_schema_is_valid_and_labelled() -> None:
    names = [t.name for t in TABLES]
    assert len(set(names)) == len(names)
    for t in TABLES:
        entry = DatasetIn.model_validate(t.dataset())
        parse_schema(t.schema())
        if t.synthetic:
            assert "(dữ liệu mô phỏng)" in entry.title
            assert "(dữ liệu mô phỏng)" in entry.description
            assert set(SYNTHETIC_TAGS) <= set(entry.tags)
        else:
            assert "synthetic" not in entry.tags
        for f in t.fields:
            assert f.get("title"), (t.name, f["name"])


def test_personal_fields_are_flagged() -> None:
    for t in TABLES:
        for f in t.fields:
            if f.get("subject") == "citizen_id" or PERSONAL.match(f["name"]):
                assert f.get("personal") is True, (t.name, f["name"])
            if f.get("subject") == "tax_code":
                assert "personal" not in f, (t.name, f["name"])
    flagged = {t.name for t in TABLES if any(f.get("personal") for f in t.fields)}
    assert {"y-te-the-bhyt-xac-thuc-cccd", "gd-hoc-sinh", "dat-dai-thua-dat"} <= flagged


def test_generated_ids_are_valid(files: Path) -> None:
    for name, column in (
        ("dat-dai-thua-dat", "to_chuc_ma_so_thue"),
        ("hq-to-khai-hai-quan", "ma_so_thue_doanh_nghiep"),
        ("vcci-khao-sat-chuyen-doi-so-dnnvv", "ma_so_thue"),
        ("thue-doanh-nghiep-logistics", "ma_so_thue"),
    ):
        codes = [c for c in read(files, name)[column].to_pylist() if c]
        assert codes, name
        assert all(tax_code_valid(c) for c in codes), name
    for name, column in (
        ("y-te-the-bhyt-xac-thuc-cccd", "so_cccd"),
        ("gd-hoc-sinh", "so_dinh_danh_ca_nhan"),
    ):
        ids = read(files, name)[column].to_pylist()
        assert all(len(i) == 12 and i.isdigit() for i in ids)


def test_references_hold(files: Path) -> None:
    def values(name: str, column: str) -> set[str]:
        return {v for v in read(files, name)[column].to_pylist() if v}

    communes = {c.code for c in geo.communes()}
    for t in TABLES:
        if "ma_xa" in t.field_names:
            assert values(t.name, "ma_xa") <= communes, t.name
    pairs = [
        ("gd-hoc-sinh", "ma_truong", "gd-co-so-giao-duc", "ma_truong"),
        ("gd-giao-vien", "ma_truong", "gd-co-so-giao-duc", "ma_truong"),
        ("y-te-the-bhyt-xac-thuc-cccd", "ma_co_so_kcb_ban_dau", "y-te-co-so-kcb-bhyt", "ma_co_so"),
        ("dvc-ho-so-thu-tuc-hanh-chinh", "ma_thu_tuc", "dvc-thu-tuc-hanh-chinh", "ma_thu_tuc"),
        ("dat-dai-du-lieu-khong-gian", "ma_thua", "dat-dai-thua-dat", "ma_thua"),
        ("cang-tac-nghiep-container", "ma_luot_tau", "cang-luot-tau", "ma_luot_tau"),
        ("cang-tac-nghiep-container", "so_to_khai", "hq-to-khai-hai-quan", "so_to_khai"),
        ("cang-thu-tuc", "ma_luot_tau", "cang-luot-tau", "ma_luot_tau"),
        ("cang-thu-tuc", "ma_cang", "cang-bien", "ma_cang"),
        (
            "thue-nop-thue-doanh-nghiep-logistics",
            "ma_so_thue",
            "thue-doanh-nghiep-logistics",
            "ma_so_thue",
        ),
        ("gt-vi-pham-phat-nguoi", "ma_nut_giao", "gt-nut-giao-camera-phat-nguoi", "ma_nut_giao"),
    ]
    for child, column, parent, key in pairs:
        assert values(child, column) <= values(parent, key), (child, column)


def test_one_person_is_the_same_everywhere(files: Path) -> None:
    cards = read(files, "y-te-the-bhyt-xac-thuc-cccd")
    pupils = read(files, "gd-hoc-sinh")
    by_id = dict(zip(cards["so_cccd"].to_pylist(), cards["ho_ten"].to_pylist(), strict=True))
    both = [
        (by_id[i], name)
        for i, name in zip(
            pupils["so_dinh_danh_ca_nhan"].to_pylist(), pupils["ho_ten"].to_pylist(), strict=True
        )
        if i in by_id
    ]
    assert both
    assert all(a == b for a, b in both)


def test_names_and_places_look_vietnamese(files: Path) -> None:
    names = read(files, "y-te-the-bhyt-xac-thuc-cccd")["ho_ten"].to_pylist()[:500]
    assert all(2 <= len(n.split()) <= 4 for n in names)
    assert sum(n.startswith("Nguyễn ") for n in names) > 100
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    places = geo.communes()
    assert (len(places), {p.kind for p in places}) == (114, {"xa", "phuong", "dac_khu"})
    assert sum(p.former_province == "30" for p in places) > 0


def _units_package() -> bool:
    try:
        metadata.distribution("vietnamadminunits")
    except metadata.PackageNotFoundError:
        return False
    return True


@pytest.mark.skipif(not _units_package(), reason="the units part's data package is absent")
def test_units_part_and_fallback_agree(tmp_path: Path) -> None:
    from lienthong.units import loader

    store = Store(f"sqlite:///{tmp_path / 'units.db'}")
    migrate.upgrade(store)
    assert geo.communes_and_source(store)[1] == "fallback"  # nothing loaded yet
    settings = Settings(database_url=store.url, data_dir=tmp_path / "data", instance="VN")
    loader.load_platform(build_platform(settings))
    got, source = geo.communes_and_source(store)
    assert source == "lienthong.units"
    assert got == geo.fallback()
    store.dispose()


# -- the articles' figures, reproduced --------------------------------------------------


def test_synthetic_data_keeps_the_articles_shares(files: Path) -> None:
    services = read(files, "dvc-thu-tuc-hanh-chinh")
    integrated = services["tich_hop_cong_dvc_quoc_gia"].to_pylist().count("true")
    assert round(100 * integrated / services.num_rows, 2) == 81.51
    dossiers = read(files, "dvc-ho-so-thu-tuc-hanh-chinh")
    year = pc.utf8_slice_codeunits(dossiers["thoi_diem_nop"], 0, 4).to_pylist()
    online = [k != "truc_tiep" for k in dossiers["kenh_nop"].to_pylist()]
    share = {
        y: np.mean([o for o, yy in zip(online, year, strict=True) if yy == y])
        for y in ("2021", "2024")
    }
    assert 0.15 < share["2021"] < 0.21
    assert share["2024"] > 0.9
    # results digitised: rising from about 30% (2021) towards 85% (2025); empty while pending
    digitised = dossiers["so_hoa_ket_qua"].to_pylist()
    settled = dossiers["ngay_tra_ket_qua"].to_pylist()
    assert all(d == "" or d is None for d, s in zip(digitised, settled, strict=True) if not s)
    rate = {
        y: np.mean([d == "true" for d, yy, s in zip(digitised, year, settled, strict=True)
                    if yy == y and s])
        for y in ("2021", "2025")
    }  # fmt: skip
    assert 0.25 < rate["2021"] < 0.45 < 0.7 < rate["2025"] < 0.9
    # port procedures: each call's four, the digital share rising through 2024
    procedures = read(files, "cang-thu-tuc")
    calls = read(files, "cang-luot-tau")
    assert procedures.num_rows == 4 * calls.num_rows
    month = pc.utf8_slice_codeunits(procedures["thoi_diem"], 0, 7).to_pylist()
    assert min(month) == "2024-01"
    assert max(month) == "2024-12"  # within the dataset's temporal coverage
    digital = [k != "giay" for k in procedures["kenh"].to_pylist()]
    early = np.mean([d for d, m in zip(digital, month, strict=True) if m <= "2024-03"])
    late = np.mean([d for d, m in zip(digital, month, strict=True) if "2024-10" <= m <= "2024-12"])
    assert 0.6 < early < 0.85 < late
    assert set(procedures["ma_thong_diep_xroad"].to_pylist()) <= {None, ""}  # live traffic adds
    bts = read(files, "vt-tram-bts")
    assert bts["cong_nghe_5g"].to_pylist().count("true") == 7
    ports = read(files, "cang-bien")
    assert ports["nen_tang_cang_so"].to_pylist().count("true") == 22


def test_sme_survey_reproduces_vcci_shares_at_full_scale() -> None:
    from lienthong.demo.packs.sme import CATEGORIES, answers

    got = np.bincount(answers(7, 2_295), minlength=4) / 2_295 * 100
    assert [round(x, 2) for x in got] == [v[1] for v in CATEGORIES.values()]


def test_figures_carry_dates_and_sources() -> None:
    assert len({f.key for f in FIGURES}) == len(FIGURES)
    for f in FIGURES:
        assert f.article.file
        assert f.article.published
        assert f.article.date_note
        assert f.quote
        assert f.period
    expected = {
        "dti_2022_rank": 14, "online_dossier_share": 90, "services_integrated_share": 81.51,
        "warehouse_fields": 2_000, "warehouse_records": 437_000,
        "digital_economy_share_2021": 6, "digital_economy_target_2022": 10,
        "digital_economy_target_2025": 25, "hcm_digital_economy_2021": 15.48,
        "hcm_digital_economy_2022": 18.66, "programme_tasks": 147, "tasks_2024": 81,
    }  # fmt: skip
    for key, value in expected.items():
        assert FIGURES_BY_KEY[key].value == value, key


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source articles (shared/seeds) are absent")
def test_every_quote_is_in_its_article() -> None:
    texts = {
        a.key: unicodedata.normalize("NFC", (SEEDS / a.file).read_text(encoding="utf-8"))
        for a in ARTICLES
    }
    for f in FIGURES:
        assert unicodedata.normalize("NFC", f.quote) in texts[f.article.key], f.key


# -- loading, on SQLite and PostgreSQL ---------------------------------------------------


def test_load_creates_members_and_datasets_and_reloads(platform: Platform) -> None:
    actor = local_operator("tester")
    report = load.load(platform, actor, scale=SMALL, seed=3)
    counts = load.row_counts(SMALL)
    assert len(report.members_created) == len(owners.ALL)
    assert [t.name for t in report.tables] == [t.name for t in TABLES]
    with platform.store.read() as conn:
        stored = dict(conn.execute(select(datasets.c.name, datasets.c.record_count)).all())
    assert stored == counts
    again = load.load(platform, actor, scale=SMALL, seed=3, only=["gt-vi-pham-phat-nguoi"])
    assert again.members_created == []
    assert [t.mode for t in again.tables] == ["replace"]
    with platform.store.read() as conn:
        n = conn.execute(
            select(datasets.c.record_count).where(datasets.c.name == "gt-vi-pham-phat-nguoi")
        ).scalar_one()
    assert n == counts["gt-vi-pham-phat-nguoi"]


def test_load_never_replaces_a_dataset_it_did_not_make(platform: Platform) -> None:
    actor = local_operator("tester")
    load.ensure_members(platform, actor)
    theirs = {
        "name": "gt-vi-pham-phat-nguoi",
        "owner": owners.CITY.ref,
        "title": "Someone else's dataset",
        "schema": {"fields": [{"name": "ghi_chu", "type": "string"}]},
    }
    with platform.store.write() as conn:
        create_dataset(conn, platform.audit, actor, "VN", DatasetIn.model_validate(theirs))
    with pytest.raises(Conflict):
        load.load(platform, actor, scale=SMALL, only=["gt-vi-pham-phat-nguoi"])


def test_packs_cover_the_issue() -> None:
    keys = {p.key for p in PACKS}
    assert {"dich-vu-cong", "dat-dai", "y-te", "giao-duc", "quy-hoach", "giao-thong"} <= keys
    assert {"vien-thong", "cang-logistics", "dnnvv-vcci", "tmdt-thanh-toan"} <= keys


def test_every_plan_group_links_indicators_the_shipped_frameworks_define() -> None:
    known = load_shipped().indicators
    linked = [codes for _, codes in plans.THEMES if codes]
    assert len(linked) == 8  # all but smart cities, which the 922 DTI does not score
    for codes in linked:
        assert set(codes) <= known.keys(), set(codes) - known.keys()
