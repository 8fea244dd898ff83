"""The key that signs session cookies: 256 random bits, made once per data directory.

It lives beside the audit signing key, readable by the owner only. Losing it logs
everyone out and nothing more: sessions carry no data that outlives them.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path


def session_key_file(data_dir: Path) -> Path:
    return data_dir / "keys" / "web-session.key"


@lru_cache(maxsize=8)
def load_or_create(path: Path) -> str:
    """Read the key, or create it atomically (two workers starting at once agree on one)."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(32))
    return _read(path)


def _read(path: Path) -> str:
    key = path.read_text().strip()
    if len(key) < 32:
        raise ValueError(f"the session key in {path} is too short: delete it to make a new one")
    return key
