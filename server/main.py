"""The app factory: ``create_app(settings)`` builds a city server with nothing global at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from core.clock import HybridClock
from server.blobstores import FileBlobStore
from server.body_limit import BodyLimit
from server.console import mount_console
from server.context import SERVER_NODE, ServerContext
from server.db import open_database
from server.deps import current_device_id
from server.errors import install_error_handler
from server.feed import publish_shipped
from server.keys import load_or_create_keys
from server.logs import log_requests
from server.portal import mount_portal
from server.routes import ROUTERS
from server.settings import ServerSettings
from server.tus import tus_router

__all__ = ["build_context", "create_app"]

TUS_PREFIX = "/v1/files"


def build_context(settings: ServerSettings) -> ServerContext:
    """Open the database (migrating it), publish the shipped catalogue and calendar, load keys."""
    keys = load_or_create_keys(settings.keys_dir)
    db = open_database(settings)
    with db.write() as conn:
        publish_shipped(conn)
    return ServerContext(
        settings=settings,
        db=db,
        keys=keys,
        clock=HybridClock(SERVER_NODE),
        blobs=FileBlobStore(settings.blobs_dir, keys.blob_key),
    )


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """Build the FastAPI app for `settings` (the defaults: SQLite and files under ./var)."""
    settings = settings or ServerSettings()
    context = build_context(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        context.db.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="SoHoa city server",
        version="1",
        description="Số hoá hồ sơ — máy chủ thành phố / city server (sync, tus, workflow)",
    )
    app.state.context = context
    install_error_handler(app)
    app.middleware("http")(log_requests)
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        guarded="/v1/",
        exempt_prefixes=("/v1/bundles", TUS_PREFIX),
    )
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(
        tus_router(
            context.blobs,
            settings.uploads_dir,
            authorize=current_device_id,
            max_size=settings.max_blob_bytes,
            expiration=timedelta(seconds=settings.upload_ttl_seconds),
        ),
        prefix=TUS_PREFIX,
    )
    mount_portal(app, context)
    mount_console(app, context)
    return app
