"""Building the platform from settings: the store, the audit log's signer."""

from __future__ import annotations

from lienthong.audit.chain import load_or_create_signer
from lienthong.audit.service import Auditor
from lienthong.core.db import Store
from lienthong.core.platform import Platform
from lienthong.core.settings import Settings
from lienthong.warehouse import hooks as warehouse_hooks


def register_parts() -> None:
    """Connect the parts that follow others through hooks (idempotent)."""
    warehouse_hooks.register()


def build_platform(settings: Settings) -> Platform:
    register_parts()
    store = Store(settings.database_url)
    signer = load_or_create_signer(settings.signing_key_file)
    auditor = Auditor(signer, every=settings.checkpoint_every, seconds=settings.checkpoint_seconds)
    return Platform(settings=settings, store=store, audit=auditor)
