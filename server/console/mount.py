"""Serve the city console at /console of the city server."""

from __future__ import annotations

import secrets
from pathlib import Path

import flet as ft
import flet_web.fastapi as flet_fastapi
from fastapi import FastAPI

from server.console.screens import ConsoleScreens
from server.context import ServerContext
from server.portal.photos import MAX_PHOTO_BYTES

__all__ = ["CONSOLE_PATH", "mount_console"]

CONSOLE_PATH = "/console"


def mount_console(api: FastAPI, context: ServerContext) -> None:
    """Serve the city console (a Flet web app for units and leaders) at ``/console`` of `api`.

    Staff log in with their server account; result scans upload to a directory of their own.
    """
    if any(getattr(route, "path", None) == CONSOLE_PATH for route in api.routes):
        return  # already mounted (create_app mounts it; tests may mount it again)
    upload_dir = Path(context.settings.uploads_dir) / "console"
    upload_dir.mkdir(parents=True, exist_ok=True)

    def main(page: ft.Page) -> None:
        ConsoleScreens(page, context, upload_dir).start()

    api.mount(
        CONSOLE_PATH,
        flet_fastapi.app(
            main,
            no_cdn=True,
            upload_dir=str(upload_dir),
            max_upload_size=MAX_PHOTO_BYTES,
            secret_key=secrets.token_urlsafe(32),
            app_name="SoHoa",
        ),
    )
