"""Helpers for tests that need the administrative units loaded (units, indicators).

Loading takes a second or two, so a test module loads them once per back end:

    @pytest.fixture(scope="module", params=BACK_ENDS)
    def loaded(request, tmp_path_factory):
        yield from load_units(request, tmp_path_factory)
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import typer
from click.testing import Result
from sqlalchemy import func, select
from typer.testing import CliRunner

from lienthong.audit.chain import load_or_create_signer
from lienthong.audit.service import Auditor
from lienthong.bootstrap import register_parts
from lienthong.core.console import CliContext
from lienthong.core.db import Store
from lienthong.core.platform import Platform
from lienthong.core.settings import Settings
from lienthong.units import loader
from lienthong.units.cli import app as units_cli
from lienthong.units.schema import units
from tests.pgcluster import Cluster

BACK_ENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@dataclass
class Loaded:
    platform: Platform
    report: loader.LoadReport

    @property
    def store(self) -> Store:
        return self.platform.store


def load_units(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loaded]:
    """A migrated database of the requested back end with the units loaded; dropped after."""
    tmp = tmp_path_factory.mktemp("units")
    drop: Any = None
    if request.param == "sqlite":
        shutil.copy(request.getfixturevalue("sqlite_template"), tmp / "units.db")
        url = f"sqlite:///{tmp / 'units.db'}"
    else:
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        name = cluster.create_database(template=cluster.template)
        url, drop = cluster.url(name), lambda: cluster.drop_database(name)
    settings = Settings(database_url=url, data_dir=tmp / "data", instance="VN", log_json=False)
    register_parts()
    auditor = Auditor(load_or_create_signer(settings.signing_key_file), every=1000, seconds=3600)
    platform = Platform(settings=settings, store=Store(url), audit=auditor)
    yield Loaded(platform, loader.load_platform(platform))
    platform.store.dispose()
    if drop:
        drop()


def count(loaded: Loaded, *where: Any) -> int:
    """How many units match the conditions."""
    with loaded.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(units).where(*where)).scalar_one())


def audit_entries(loaded: Loaded, action: str) -> int:
    with loaded.store.read() as conn:
        rows = conn.exec_driver_sql("SELECT action FROM audit_log").scalars().all()
    return sum(a == action for a in rows)


def run_cli(loaded: Loaded, *args: str) -> Result:
    """Run `lienthong units ...` against the loaded platform (no settings from the env)."""
    root = typer.Typer()

    @root.callback()
    def _root(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
        ctx.obj = CliContext(factory=lambda: loaded.platform, as_json=as_json)

    root.add_typer(units_cli, name="units")
    return CliRunner().invoke(root, list(args))
