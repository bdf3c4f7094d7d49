"""The Flet entry point: one `Shell` per browser tab or device window, one `Backend` per process."""

from __future__ import annotations

import os
from pathlib import Path

import flet as ft

from app.backend import Backend
from app.screens import SCREENS
from app.shell import Shell
from core.settings import Settings, load_settings

__all__ = ["main", "use_backend", "current_backend", "DATA_DIR_ENV", "SETTINGS_ENV"]

DATA_DIR_ENV = "SOHOA_DATA_DIR"
SETTINGS_ENV = "SOHOA_SETTINGS"
_backend: Backend | None = None


def use_backend(backend: Backend) -> None:
    """Make `backend` the one every new session of this process uses."""
    global _backend
    _backend = backend


def current_backend() -> Backend:
    """The process's backend; built from $SOHOA_DATA_DIR and flet.toml on first use."""
    if _backend is None:
        settings_path = Path(os.environ.get(SETTINGS_ENV, "flet.toml"))
        settings = load_settings(settings_path) if settings_path.exists() else Settings()
        use_backend(Backend(Path(os.environ.get(DATA_DIR_ENV, "var/device")), settings))
    return _backend


async def main(page: ft.Page) -> None:
    """Start the officer app in `page`."""
    await Shell(page, current_backend(), SCREENS).start()
