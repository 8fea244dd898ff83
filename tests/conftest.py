"""Fixtures: one `store` that runs every storage test on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lienthong.app import create_app
from lienthong.audit.chain import load_or_create_signer
from lienthong.audit.service import Auditor
from lienthong.bootstrap import register_parts
from lienthong.core import migrate
from lienthong.core.db import Store
from lienthong.core.platform import Platform
from lienthong.core.settings import Settings
from lienthong.registry.auth import init_platform
from tests.pgcluster import Cluster, find_bin_dir

_RAN: dict[str, int] = {"sqlite": 0, "postgresql": 0}
_PG_INFO: list[str] = []


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A throwaway cluster for the session, or a clear skip (a failure under CI)."""
    bin_dir = find_bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        message = (
            "PostgreSQL server binaries not found (install Debian's postgresql-15 or set "
            "LIENTHONG_PG_BIN): the PostgreSQL variant of storage tests is skipped"
        )
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: " + message)
        pytest.skip(message)
    cluster = Cluster(bin_dir, port=55000 + os.getpid() % 1000).start()
    _PG_INFO.append(f"PostgreSQL {cluster.server_version()} at {cluster.socket_dir}")
    template = cluster.create_database()
    template_store = Store(cluster.url(template))
    migrate.upgrade(template_store)
    template_store.dispose()
    cluster.template = template
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    store = Store(f"sqlite:///{path}")
    migrate.upgrade(store)
    store.dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated, empty database: SQLite file or a fresh PostgreSQL database."""
    dropper: Any = None
    if request.param == "sqlite":
        path = tmp_path / "lienthong.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        name = cluster.create_database(template=cluster.template)
        url = cluster.url(name)
        dropper = lambda: cluster.drop_database(name)  # noqa: E731
    s = Store(url)
    _RAN[request.param] += 1
    yield s
    s.dispose()
    if dropper:
        dropper()


@pytest.fixture
def settings(tmp_path: Path, store: Store) -> Settings:
    return Settings(
        database_url=store.url,
        data_dir=tmp_path / "data",
        instance="VN",
        checkpoint_every=1000,
        checkpoint_seconds=3600,
        log_json=False,
    )


@pytest.fixture
def platform(settings: Settings, store: Store) -> Platform:
    register_parts()
    signer = load_or_create_signer(settings.signing_key_file)
    auditor = Auditor(signer, every=settings.checkpoint_every, seconds=settings.checkpoint_seconds)
    return Platform(settings=settings, store=store, audit=auditor)


@pytest.fixture
def admin_token(platform: Platform) -> str:
    with platform.store.write() as conn:
        result = init_platform(conn, platform.audit, "VN", "admin", "Quản trị", "test")
    return str(result["key"]["token"])


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    """The app in process, driven through an httpx client."""
    with TestClient(create_app(platform=platform), raise_server_exceptions=False) as c:
        yield c


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    terminalreporter.write_sep("-", "storage back ends exercised")
    terminalreporter.write_line(
        f"storage tests run on sqlite: {_RAN['sqlite']}, on postgresql: {_RAN['postgresql']}"
    )
    for line in _PG_INFO:
        terminalreporter.write_line(line)


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's headless Chromium, driven by Playwright (the browser tests skip without it)."""
    from playwright.sync_api import sync_playwright

    from tests.web_support import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def ckan_catalog(client: TestClient, admin_token: str) -> TestClient:
    """The CKAN tests' catalog: two organizations and four datasets of different
    classifications, tags and dates (tests/ckan_support.py)."""
    from tests.ckan_support import seed_catalog

    return seed_catalog(client, admin_token)


@pytest.fixture
def web(platform: Platform, admin_token: str) -> Iterator[TestClient]:
    """The platform's app with the web part and a small seeded catalog, logged out."""
    from tests.web_support import build_app, seed_catalog

    with TestClient(build_app(platform), raise_server_exceptions=False) as c:
        seed_catalog(c, admin_token)
        c.cookies.clear()
        yield c
