"""The same plans on SQLite, PostgreSQL and local PySpark (over Parquet snapshots) give
identical values: one SYNTHETIC data set, loaded into both databases, computed three ways."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from lienthong.audit.chain import load_or_create_signer
from lienthong.audit.service import Auditor
from lienthong.bootstrap import register_parts
from lienthong.core.db import Store
from lienthong.core.platform import Platform
from lienthong.core.settings import Settings
from lienthong.indicators import compute
from lienthong.indicators.engines import spark_session
from lienthong.indicators.schema import ind_facts, ind_values
from tests.pgcluster import Cluster
from tests.test_indicators_support import (
    DOANH_NGHIEP_SCHEMA,
    DOSSIERS,
    HO_SO_SCHEMA,
    SPLIT_LEGACY,
    communes,
    doanh_nghiep,
    ho_so,
    load,
    make_dataset,
    months,
    setup_member,
)
from tests.test_indicators_support import (
    units_pg as units_pg,
)
from tests.test_indicators_support import (
    units_sqlite as units_sqlite,
)

pytestmark = [pytest.mark.spark, pytest.mark.postgres]


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local session for the whole run: starting Spark takes seconds."""
    pytest.importorskip("pyspark", reason="pip install 'lienthong[spark]'")
    session = spark_session("lienthong-tests")
    yield session
    session.stop()


def _platform(url: str, tmp: Path) -> Platform:
    register_parts()
    settings = Settings(
        database_url=url,
        data_dir=tmp / "data",
        instance="VN",
        checkpoint_every=1000,
        checkpoint_seconds=3600,
        log_json=False,
    )
    auditor = Auditor(load_or_create_signer(settings.signing_key_file), every=1000, seconds=3600)
    return Platform(settings=settings, store=Store(url), audit=auditor)


def _fill(platform: Platform) -> None:
    setup_member(platform)
    make_dataset(platform, DOSSIERS, HO_SO_SCHEMA)
    make_dataset(platform, "doanh-nghiep", DOANH_NGHIEP_SCHEMA)
    xa = communes(platform.store, 8)
    span = months(date(2024, 11, 1), 14)  # across the merger: legacy codes before July 2025
    load(platform, DOSSIERS, ho_so(0, 4000, [*xa, SPLIT_LEGACY], span))
    load(platform, "doanh-nghiep", doanh_nghiep(0, 900, xa, span))


def _dump(store: Store) -> tuple[dict[Any, Any], dict[Any, Any]]:
    with store.read() as conn:
        facts = {tuple(r[:3]): tuple(r[3:]) for r in conn.execute(select(ind_facts))}
        v = ind_values.c
        cols = (v.dx, v.ou, v.pe, v.source, v.value, v.numerator, v.denominator, v.estimated)
        values = {tuple(r[:4]): (r[4], r[5], r[6], bool(r[7])) for r in conn.execute(select(*cols))}
    return facts, values


def test_sqlite_postgresql_and_spark_agree(
    spark: Any, tmp_path: Path, units_sqlite: Path, units_pg: str, pg_cluster: Cluster
) -> None:
    shutil.copy(units_sqlite, tmp_path / "a.db")
    lite = _platform(f"sqlite:///{tmp_path / 'a.db'}", tmp_path)
    pg_name = pg_cluster.create_database(template=units_pg)
    pg = _platform(pg_cluster.url(pg_name), tmp_path)
    try:
        _fill(lite)
        _fill(pg)
        compute.compute_all(lite.store)
        on_sqlite = _dump(lite.store)
        compute.compute_all(pg.store)
        on_pg = _dump(pg.store)
        summary = compute.compute_all(
            lite.store, engine="spark", spark=spark, workdir=tmp_path / "snapshots"
        )
        assert summary.engine == "spark"
        assert (tmp_path / "snapshots").glob("ds_*.parquet")
        on_spark = _dump(lite.store)
    finally:
        lite.store.dispose()
        pg.store.dispose()
        pg_cluster.drop_database(pg_name)
    assert len(on_sqlite[1]) > 1000
    assert any(v[3] for v in on_sqlite[1].values())
    assert on_pg == on_sqlite
    assert on_spark == on_sqlite
