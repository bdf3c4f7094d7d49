"""Serve the citizen portal at /portal of the city server; let officers find pre-applications."""

from __future__ import annotations

import secrets
from pathlib import Path

import flet as ft
import flet_web.fastapi as flet_fastapi
from fastapi import FastAPI

from server.context import ServerContext
from server.portal.citizen import Portal
from server.portal.photos import MAX_PHOTO_BYTES
from server.portal.preapply import create_tables
from server.portal.routes import preapplication_router
from server.portal.ui import PortalScreens

__all__ = ["PORTAL_PATH", "mount_portal"]

PORTAL_PATH = "/portal"


def mount_portal(api: FastAPI, context: ServerContext) -> None:
    """Serve the citizen portal (a Flet web app) at ``/portal`` of `api`.

    Creates the portal's tables and its upload directory; uploads are signed with a key made
    fresh for this process, and one photo may be at most ``MAX_PHOTO_BYTES``.
    """
    if any(getattr(route, "path", None) == PORTAL_PATH for route in api.routes):
        return  # already mounted (create_app mounts it; tests may mount it again)
    with context.db.write() as conn:
        create_tables(conn)
    upload_dir = Path(context.settings.uploads_dir) / "portal"
    upload_dir.mkdir(parents=True, exist_ok=True)
    portal = Portal(context)

    def main(page: ft.Page) -> None:
        PortalScreens(page, portal, upload_dir).start()

    api.include_router(preapplication_router(context))
    api.mount(
        PORTAL_PATH,
        flet_fastapi.app(
            main,
            no_cdn=True,
            upload_dir=str(upload_dir),
            max_upload_size=MAX_PHOTO_BYTES,
            secret_key=secrets.token_urlsafe(32),
            app_name="SoHoa",
        ),
    )
