"""Running the Alembic migrations shipped in the package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from lienthong.core.db import Store

SCRIPTS = Path(__file__).resolve().parent.parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    return cfg


def upgrade(store: Store, revision: str = "heads") -> None:
    """Bring the database to `revision` (every branch's newest by default)."""
    with store.engine.begin() as conn:
        cfg = _config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current(store: Store) -> str | None:
    """The applied revision(s), comma-separated when branches are applied side by side."""
    with store.engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(heads)) or None


def head() -> str | None:
    """The newest revision(s) the package ships."""
    return ",".join(sorted(ScriptDirectory.from_config(_config()).get_heads())) or None


def is_current(store: Store) -> bool:
    return current(store) == head()


def autogenerate(store: Store, message: str) -> None:
    """For developers: write a new revision from the difference to the metadata."""
    with store.engine.begin() as conn:
        cfg = _config()
        cfg.attributes["connection"] = conn
        heads = ScriptDirectory.from_config(cfg).get_heads()
        # parts are developed side by side: a new revision may start a branch of its own
        command.revision(
            cfg, message=message, autogenerate=True, head=sorted(heads)[0], splice=len(heads) > 1
        )
