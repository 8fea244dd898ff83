"""Whether another part's tables exist yet: a part can be installed before its migration
has run, and a page must then show "no data yet", not fail."""

from __future__ import annotations

from sqlalchemy import Connection, inspect

# (database URL, table) pairs seen to exist: tables are not dropped while we run
_SEEN: set[tuple[str, str]] = set()


def has_tables(conn: Connection, *names: str) -> bool:
    url = str(conn.engine.url)
    missing = [n for n in names if (url, n) not in _SEEN]
    if not missing:
        return True
    inspector = inspect(conn)
    for name in missing:
        if not inspector.has_table(name):
            return False
        _SEEN.add((url, name))
    return True
