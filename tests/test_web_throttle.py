"""The login throttle on the platform's database, on both back ends: the allowance,
Retry-After, clearing, the address limit, pruning, two workers sharing counts, hostile
usernames, and the migration that makes its table."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select

from lienthong.core import migrate
from lienthong.core.db import Store, metadata
from lienthong.core.platform import Platform
from lienthong.registry.schema import login_failures
from lienthong.web.throttle import PER_ADDRESS, PER_USER, WINDOW_SECONDS, Throttle
from tests.test_web_pages import csrf_of
from tests.web_support import PASSWORD, build_app, seed_catalog

T0 = 1_800_000_000.0


class Clock:
    """Unix seconds that move only when told."""

    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> float:
        return self.t


def rows(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(login_failures)).scalar_one())


def test_the_allowance_then_retry_after_until_the_oldest_failure_leaves(store: Store) -> None:
    clock = Clock()
    t = Throttle(store, now=clock)
    for _ in range(PER_USER):
        assert t.retry_after("lan", "10.0.0.1") is None
        t.failed("lan", "10.0.0.1")
        clock.t += 60  # failures at T0, T0+60, ... T0+240
    # now T0+300: the first failure leaves at T0+900
    assert t.retry_after("lan", "10.0.0.1") == WINDOW_SECONDS - 300
    clock.t = T0 + WINDOW_SECONDS - 0.5
    assert t.retry_after("lan", "10.0.0.1") == 1
    clock.t = T0 + WINDOW_SECONDS  # the first has left: one attempt again
    assert t.retry_after("lan", "10.0.0.1") is None
    t.failed("lan", "10.0.0.1")
    # the next to leave is the one at T0+60
    assert t.retry_after("lan", "10.0.0.1") == 60


def test_usernames_are_normalised_and_success_clears_only_that_username(store: Store) -> None:
    t = Throttle(store, per_user=2, per_address=100)
    t.failed("Lan", "10.0.0.1")
    t.failed("  LAN ", "10.0.0.2")
    t.failed("minh", "10.0.0.1")
    t.failed("minh", "10.0.0.1")
    wait = t.retry_after("lan", "10.0.0.9")
    assert wait is not None
    assert 0 < wait <= WINDOW_SECONDS
    t.succeeded("LAN")
    assert t.retry_after("lan", "10.0.0.9") is None
    assert t.retry_after("minh", "10.0.0.9") is not None


def test_the_address_limit_spans_usernames_and_is_not_cleared_by_a_success(store: Store) -> None:
    t = Throttle(store, per_user=100, per_address=3)
    for i in range(3):
        t.failed(f"khach-{i}", "10.0.0.7")
    assert t.retry_after("someone-else", "10.0.0.7") is not None
    assert t.retry_after("someone-else", "10.0.0.8") is None
    t.succeeded("khach-0")
    assert t.retry_after("someone-else", "10.0.0.7") is not None


def test_old_rows_are_pruned_on_writing(store: Store) -> None:
    clock = Clock()
    t = Throttle(store, now=clock)
    for i in range(50):
        t.failed(f"u{i}", f"10.0.1.{i}")
    assert rows(store) == 100
    clock.t += WINDOW_SECONDS + 1
    t.failed("late", "10.0.2.1")
    assert rows(store) == 2
    clock.t += WINDOW_SECONDS + 1
    t.succeeded("nobody")
    assert rows(store) == 0


def test_two_throttles_on_one_database_share_the_counts(store: Store) -> None:
    """Two server processes: each its own Throttle and engine, one database."""
    other = Store(store.url)
    try:
        a, b = Throttle(store), Throttle(other)
        for i in range(PER_USER):
            (a if i % 2 else b).failed("lan", f"10.0.3.{i}")
        assert a.retry_after("lan", "10.0.4.1") is not None
        assert b.retry_after("lan", "10.0.4.1") is not None
        b.succeeded("lan")
        assert a.retry_after("lan", "10.0.4.1") is None
        # and a fresh one (a restarted process) still sees the address counts
        for i in range(PER_ADDRESS):
            (a if i % 2 else b).failed(f"k{i}", "10.0.5.5")
        assert Throttle(Store(store.url)).retry_after("x", "10.0.5.5") is not None
    finally:
        other.dispose()


@pytest.mark.parametrize(
    "username", ["a\x00b", "\x00", "lan\udcff", "ǅ\u200bǆ\ufeff", "ß" * 64, "İ" * 64, ""]
)
def test_odd_keys_are_counted_without_error(store: Store, username: str) -> None:
    t = Throttle(store, per_user=1, per_address=100)
    assert t.retry_after(username, "::ffff:10.0.0.1\x00" + "x" * 500) is None
    t.failed(username, "::ffff:10.0.0.1\x00" + "x" * 500)
    assert t.retry_after(username, "10.0.0.2") is not None
    t.succeeded(username)
    assert t.retry_after(username, "10.0.0.2") is None


@pytest.mark.parametrize(
    ("username", "status"),
    [("x" * 10_000, 422), ("lan\x00", 401), ("\x00", 401), ("ǅ\u200b\ufeff", 401), ("", 422)],
)
def test_hostile_usernames_get_a_clear_page_and_break_nothing(
    web: TestClient, username: str, status: int
) -> None:
    token = csrf_of(web.get("/login").text)
    form = {"username": username, "password": "x", "csrf_token": token, "next": "/"}
    r = web.post("/login", data=form, follow_redirects=False)
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    ok = form | {"username": "minh", "password": PASSWORD}
    assert web.post("/login", data=ok, follow_redirects=False).status_code == 303


def test_the_web_login_counts_survive_a_new_app_on_the_same_database(
    platform: Platform, admin_token: str
) -> None:
    """A restart (or another worker): a new app on the same database refuses at once."""
    with TestClient(build_app(platform), raise_server_exceptions=False) as c:
        seed_catalog(c, admin_token)
        c.cookies.clear()
        token = csrf_of(c.get("/login").text)
        wrong = {"username": "lan", "password": "sai", "csrf_token": token, "next": "/"}
        for _ in range(PER_USER):
            assert c.post("/login", data=wrong, follow_redirects=False).status_code == 401
    with TestClient(build_app(platform), raise_server_exceptions=False) as c:
        token = csrf_of(c.get("/login").text)
        right = {"username": "lan", "password": PASSWORD, "csrf_token": token, "next": "/"}
        r = c.post("/login", data=right, follow_redirects=False)
        assert r.status_code == 429
        assert 0 < int(r.headers["Retry-After"]) <= WINDOW_SECONDS


def test_the_migrations_make_the_table_as_the_schema_declares(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if "auth_login_failures" in repr(d)] == []
    assert migrate.is_current(store)
    assert rows(store) == 0


def test_migration_0008_goes_down_and_up_again(store: Store) -> None:
    def run(step: Callable[[Config, str], None], revision: str) -> None:
        with store.engine.begin() as conn:
            cfg = Config()
            cfg.set_main_option("script_location", str(migrate.SCRIPTS))
            cfg.attributes["connection"] = conn
            step(cfg, revision)

    run(command.downgrade, "0007")
    assert migrate.current(store) == "0007"
    assert "auth_login_failures" not in inspect(store.engine).get_table_names()
    run(command.upgrade, "0008")
    assert migrate.is_current(store)
    Throttle(store).failed("lan", "10.0.0.1")
    assert rows(store) == 2
