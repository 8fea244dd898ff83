"""The FastAPI application: assembles every part's routers."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from lienthong import __version__
from lienthong.audit import api as audit_api
from lienthong.audit.service import Auditor
from lienthong.bootstrap import build_platform
from lienthong.catalog import api as catalog_api
from lienthong.catalog import ckan
from lienthong.catalog import dcat as dcat_api
from lienthong.catalog.ckan_fast import FastActions
from lienthong.core import logs, migrate
from lienthong.core.http import RequestContext, install_error_handlers
from lienthong.core.platform import Platform
from lienthong.core.settings import Settings, get_settings
from lienthong.exchange import api as exchange_api
from lienthong.exchange.proxy import Gateway
from lienthong.indicators import api as indicators_api
from lienthong.indicators import live as indicators_live
from lienthong.programs import api as programs_api
from lienthong.registry import api as registry_api
from lienthong.registry.auth import Authenticator
from lienthong.reports import api as reports_api
from lienthong.units import api as units_api
from lienthong.warehouse import api as warehouse_api
from lienthong.warehouse import ckan_datastore  # noqa: F401  (registers the datastore_* actions)
from lienthong.web.router import router as web_router
from lienthong.web.router import static_files

log = logging.getLogger("lienthong.app")


async def _checkpoints(platform: Platform) -> None:
    """Sign the chain's tip every `checkpoint_seconds` when entries were added."""
    auditor = platform.audit
    assert isinstance(auditor, Auditor)
    while True:
        await asyncio.sleep(min(auditor.seconds, 30.0))
        try:
            await asyncio.to_thread(_checkpoint_once, platform, False)
        except Exception:
            log.exception("checkpoint failed")


def _checkpoint_once(platform: Platform, force: bool) -> None:
    assert isinstance(platform.audit, Auditor)
    with platform.store.write() as conn:
        platform.audit.checkpoint(conn, force=force)


def create_app(settings: Settings | None = None, platform: Platform | None = None) -> FastAPI:
    """Build the app. Tests hand in a platform; `serve` builds one from settings."""
    settings = settings or (platform.settings if platform else get_settings())
    platform = platform or build_platform(settings)

    gateway = Gateway(platform)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_checkpoints(platform))
        await gateway.startup()
        follower = indicators_live.follow(platform)
        # what is loaded by now lives as long as the process: keep it out of the full
        # collections, which would otherwise stop every request for ~150 ms now and then
        gc.freeze()
        yield
        follower.stop()
        await gateway.shutdown()  # writes the queued exchange evidence
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await asyncio.to_thread(_checkpoint_once, platform, True)

    app = FastAPI(
        title="lienthong",
        version=__version__,
        summary="Nền tảng tích hợp, chia sẻ dữ liệu dùng chung — shared-data platform",
        lifespan=lifespan,
    )
    app.state.platform = platform
    app.state.authenticate = Authenticator(platform.store)
    install_error_handlers(app)
    # inside RequestContext (added after it, so it wraps this): the hottest CKAN reads
    app.add_middleware(FastActions, platform=platform)
    app.add_middleware(
        RequestContext,
        max_body_bytes=settings.max_body_bytes,
        larger={
            "/upload": settings.max_upload_bytes,
            "/records": settings.max_json_bytes,
            "/datastore_create": settings.max_json_bytes,
            "/datastore_upsert": settings.max_json_bytes,
        },
    )
    # the hottest routes first: routing tries them in order
    app.include_router(ckan.router)
    app.mount("/r1", gateway)
    app.include_router(exchange_api.router)
    app.include_router(warehouse_api.router)
    app.include_router(registry_api.router)
    app.include_router(audit_api.router)
    app.include_router(catalog_api.router)
    app.include_router(dcat_api.router)
    app.include_router(programs_api.router)
    app.include_router(units_api.router)
    app.include_router(indicators_api.router)
    app.include_router(web_router)
    app.include_router(reports_api.router)
    app.mount("/static", static_files(), name="static")
    _add_health(app, platform)
    return app


def _add_health(app: FastAPI, platform: Platform) -> None:
    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    def readyz() -> Any:
        """The database answers and its schema is current."""
        try:
            with platform.store.read() as conn:
                conn.execute(text("SELECT 1"))
            current = migrate.is_current(platform.store)
        except Exception as exc:
            log.warning("not ready: %s", exc)
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
        if not current:
            return JSONResponse({"status": "unavailable", "database": "migrations pending"}, 503)
        return {"status": "ready", "database": platform.store.dialect}


def configure_logging(settings: Settings) -> None:
    logs.configure(json_lines=settings.log_json)
