"""Shared by the indicator tests: a `store` with the administrative units loaded (on SQLite
and PostgreSQL), the datasets the shipped frameworks read, and deterministic SYNTHETIC
records for them. Other test_indicators_* files import the fixtures from here.

Loading the units takes seconds, so it is done once per back end into a template that each
test copies.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lienthong.audit.chain import load_or_create_signer
from lienthong.audit.service import Auditor
from lienthong.catalog.models import DatasetIn
from lienthong.catalog.service import create_dataset
from lienthong.core import migrate
from lienthong.core.auth import local_operator
from lienthong.core.db import Store
from lienthong.core.platform import Platform
from lienthong.registry.auth import init_platform
from lienthong.registry.members import create_member
from lienthong.registry.models import MemberIn
from lienthong.units import loader as units_loader
from lienthong.units import service as units
from lienthong.warehouse.ingest import Source, ingest
from lienthong.warehouse.writer import Mode
from tests.pgcluster import Cluster

OPERATOR = local_operator("tester")
HAIPHONG = "31"
DANANG = "48"
# a legacy Hải Dương commune split between two 2025 communes (partial): values on it are estimated
SPLIT_LEGACY = "10528"

# the dossiers the dti-province-922 framework reads: the demo's dataset, in its shape
DOSSIERS = "dvc-ho-so-thu-tuc-hanh-chinh"
HO_SO_SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "ma_ho_so", "type": "string"},
        {"name": "ma_xa", "type": "string"},
        {"name": "thoi_diem_nop", "type": "datetime"},
        {"name": "kenh_nop", "type": "string"},
        {"name": "dung_han", "type": "boolean"},
        {"name": "thanh_toan_truc_tuyen", "type": "boolean"},
        {"name": "so_ngay", "type": "number"},
        {"name": "so_hoa_ket_qua", "type": "boolean"},
    ],
    "primaryKey": ["ma_ho_so"],
}
DOANH_NGHIEP_SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "ma_so_thue", "type": "string"},
        {"name": "ma_xa", "type": "string"},
        {"name": "ngay_dang_ky", "type": "date"},
        {"name": "nganh_ict", "type": "boolean"},
        {"name": "hoa_don_dien_tu", "type": "boolean"},
        {"name": "von_dang_ky", "type": "number"},
    ],
    "primaryKey": ["ma_so_thue"],
}


def _load_units(store: Store, key_dir: Path) -> None:
    auditor = Auditor(load_or_create_signer(key_dir / "units.key"), every=1000, seconds=3600)
    with store.write() as conn:
        units_loader.load(conn, auditor, "test")


@pytest.fixture(scope="session")
def units_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("units")
    path = folder / "units.db"
    s = Store(f"sqlite:///{path}")
    migrate.upgrade(s)
    _load_units(s, folder)
    s.dispose()
    return path


@pytest.fixture(scope="session")
def units_pg(pg_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> str:
    name = pg_cluster.create_database(template=pg_cluster.template)
    s = Store(pg_cluster.url(name))
    _load_units(s, tmp_path_factory.mktemp("units-pg"))
    s.dispose()
    return name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated database with the units loaded: SQLite file or a fresh PostgreSQL one."""
    if request.param == "sqlite":
        path = tmp_path / "lienthong.db"
        shutil.copy(request.getfixturevalue("units_sqlite"), path)
        s = Store(f"sqlite:///{path}")
        yield s
        s.dispose()
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = cluster.create_database(template=request.getfixturevalue("units_pg"))
    s = Store(cluster.url(name))
    yield s
    s.dispose()
    cluster.drop_database(name)


def communes(store: Store, n: int) -> list[str]:
    """The first `n` communes of Hải Phòng (2025 hierarchy), by code."""
    with store.read() as conn:
        return [u.code for u in units.descendants(conn, HAIPHONG, 3)][:n]


def setup_member(platform: Platform) -> str:
    """The platform's first admin and Hải Phòng's member; the admin's API key."""
    with platform.store.write() as conn:
        result = init_platform(conn, platform.audit, "VN", "admin", "Quản trị", "test")
        body = MemberIn(member_class="GOV", member_code="H31", name="UBND thành phố Hải Phòng")
        create_member(conn, platform.audit, OPERATOR, "VN", body)
    return str(result["key"]["token"])


def make_dataset(platform: Platform, name: str, schema: dict[str, Any]) -> None:
    data = DatasetIn.model_validate(
        {"name": name, "owner": "GOV/H31", "title": name, "schema": schema}
    )
    with platform.store.write() as conn:
        create_dataset(conn, platform.audit, OPERATOR, "VN", data)


def ho_so(start: int, n: int, units_: list[str], months: list[date]) -> list[dict[str, Any]]:
    """SYNTHETIC administrative-procedure files: deterministic, exact in binary (sums agree
    to the last bit whatever order an engine adds them in)."""
    rows = []
    for i in range(start, start + n):
        h = (i * 2654435761) % 2**32  # Knuth's multiplicative hash: spread, deterministic
        rows.append(
            {
                "ma_ho_so": f"HS{i:08d}",
                "ma_xa": units_[h % len(units_)],
                # office hours in local time (UTC+7): the same day in UTC
                "thoi_diem_nop": months[(h >> 8) % len(months)]
                .replace(day=1 + (h >> 4) % 28)
                .isoformat()
                + f"T{8 + h % 9:02d}:30:00+07:00",
                "kenh_nop": "truc_tiep"
                if h % 10 >= 7
                else ("truc_tuyen_toan_trinh" if h % 5 < 2 else "truc_tuyen_mot_phan"),
                "dung_han": h % 20 != 0,
                "thanh_toan_truc_tuyen": h % 3 == 0,
                "so_ngay": float(1 + (h >> 12) % 15) / 2,
                "so_hoa_ket_qua": h % 7 < 4,
            }
        )
    return rows


def doanh_nghiep(start: int, n: int, units_: list[str], months: list[date]) -> list[dict[str, Any]]:
    """SYNTHETIC business registrations."""
    rows = []
    for i in range(start, start + n):
        h = (i * 40503 + 7) % 65521
        rows.append(
            {
                "ma_so_thue": f"02{i:08d}",
                "ma_xa": units_[h % len(units_)],
                "ngay_dang_ky": months[(h >> 3) % len(months)].replace(day=1 + h % 28).isoformat(),
                "nganh_ict": h % 9 == 0,
                "hoa_don_dien_tu": h % 3 != 0,
                "von_dang_ky": float(h % 50) / 4,
            }
        )
    return rows


def load(platform: Platform, name: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return ingest(platform, OPERATOR, name, Source.json_records(rows), Mode.INSERT)


def months(first: date, count: int) -> list[date]:
    out, y, m = [], first.year, first.month
    for _ in range(count):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def test_synthetic_records_are_deterministic() -> None:
    a = ho_so(0, 50, ["31001", "31002"], months(date(2025, 7, 1), 3))
    b = ho_so(0, 50, ["31001", "31002"], months(date(2025, 7, 1), 3))
    assert a == b
    assert {r["ma_xa"] for r in a} == {"31001", "31002"}
    assert {r["thoi_diem_nop"][:7] for r in a} == {"2025-07", "2025-08", "2025-09"}
