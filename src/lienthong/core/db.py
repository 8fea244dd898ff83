"""The database: one SQLAlchemy 2 Core engine and the shared metadata.

SQLite runs in WAL mode with foreign keys on; write transactions take the
write lock up front (BEGIN IMMEDIATE) so a read-then-write never dead-ends
in SQLITE_BUSY. PostgreSQL is reached through psycopg 3.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from lienthong.core.errors import ValidationFailed

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

_IMMEDIATE = "lienthong_immediate"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever driver the URL names.

    >>> normalise_url("postgresql://u@h/db")
    'postgresql+psycopg://u@h/db'
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **kwargs)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    memory = make_url(url).database in (None, "", ":memory:")
    if memory:
        kwargs.setdefault("poolclass", NullPool)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # let SQLAlchemy's begin event, not pysqlite, decide when a transaction starts
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(_IMMEDIATE, False):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:  # a deferred BEGIN takes no lock and cannot be busy: straight to the driver
            driver = conn.connection.driver_connection
            assert driver is not None  # a connection in a transaction has one
            driver.execute("BEGIN")

    return engine


class Store:
    """The platform's database: an engine and transaction scopes.

    >>> store = Store("sqlite://")
    >>> with store.write() as conn:
    ...     _ = conn.exec_driver_sql("select 1")
    """

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, **engine_kwargs)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: commits on success, rolls back on any error."""
        with self.engine.connect() as conn:
            if self.is_sqlite:
                conn = conn.execution_options(**{_IMMEDIATE: True})
            with conn.begin():
                try:
                    yield conn
                except Exception as exc:
                    _refuse_nul(exc)
                    raise

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot, never committed."""
        with self.engine.connect() as conn, conn.begin() as txn:
            try:
                yield conn
            except Exception as exc:
                _refuse_nul(exc)
                raise
            txn.rollback()

    def dispose(self) -> None:
        self.engine.dispose()


def _refuse_nul(exc: Exception) -> None:
    """PostgreSQL's text cannot hold NUL (SQLite's can): a value with one, bound to any query
    (a name looked up, a key), is the caller's bad input, refused as such rather than as a
    server error; the transaction rolls back as for any error. Other errors pass."""
    if "cannot contain NUL" in str(getattr(exc, "orig", None) or exc):  # psycopg's DataError
        raise ValidationFailed("a value holds a NUL character (U+0000)") from exc


def param_mark(conn: Connection) -> str:
    """The driver's own placeholder, for SQL sent with `executemany` or `fetchall`."""
    return "?" if conn.dialect.name == "sqlite" else "%s"


def fetchall(conn: Connection, sql: str, params: Sequence[object] = ()) -> list[Any]:
    """The rows of `sql` (placeholders: `param_mark`) as the driver's plain tuples, on
    `conn`'s transaction: for tens of thousands of rows, where SQLAlchemy's per-row
    processing would cost more than the query."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, tuple(params))
        return list(cursor.fetchall())
    finally:
        cursor.close()


def executemany(conn: Connection, sql: str, rows: Sequence[Sequence[object]]) -> None:
    """`sql` (in the driver's own parameter style) for each row, straight through the
    driver on `conn`'s transaction: SQLAlchemy's per-row parameter handling costs more."""
    if not rows:
        return
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()
