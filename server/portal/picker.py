"""Photos from the citizen's phone: a Flet file picker per target, uploaded to a signed URL.

The browser puts each photo to the portal's upload endpoint under a name the server chose; once
the upload completes the bytes are read back, deleted, and handed on. A file too big is refused
from its size alone, before a byte leaves the phone.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import flet as ft

from core.errors import SohoaError
from server.portal.photos import check_photo_size

__all__ = ["PhotoPicker", "UPLOAD_URL_SECONDS"]

UPLOAD_URL_SECONDS = 600

PhotoHandler = Callable[[str, bytes], Awaitable[None]]
ErrorHandler = Callable[[SohoaError | str], Awaitable[None]]


class PhotoPicker:
    """Hand out photograph buttons; each photo taken arrives at `on_photo(target, data)`."""

    def __init__(
        self, page: ft.Page, upload_dir: Path, on_photo: PhotoHandler, on_error: ErrorHandler
    ):
        self.page = page
        self.upload_dir = upload_dir
        self.on_photo = on_photo
        self.on_error = on_error
        self._pickers: list[ft.FilePicker] = []
        self._pending: dict[str, tuple[str, str]] = {}  # picked name -> (stored name, target)

    def reset(self) -> None:
        """Drop the pickers of the previous screen (the page would otherwise keep them all)."""
        for picker in self._pickers:
            if picker in self.page.services:
                self.page.services.remove(picker)
        self._pickers.clear()

    def button(self, target: str, label: str) -> ft.Button:
        """Return a button that opens the camera or gallery for `target`, inside the gesture."""
        picker = ft.FilePicker()

        async def picked(event: ft.FilePickerResultEvent) -> None:
            await self._picked(picker, target, event.files)

        picker.on_result = picked
        picker.on_upload = self._uploaded
        self.page.services.append(picker)  # keep a reference, or Flet unregisters it
        self._pickers.append(picker)
        action = ft.PickFiles(picker, file_type=ft.FilePickerFileType.IMAGE)
        return ft.Button(content=label, icon=ft.Icons.PHOTO_CAMERA, action=action)

    async def _picked(self, picker: ft.FilePicker, target: str, files: list) -> None:
        for picked in files or []:
            try:
                check_photo_size(picked.size)
            except SohoaError as exc:
                await self.on_error(exc)
                continue
            stored = f"{uuid.uuid4().hex}.upload"
            self._pending[picked.name] = (stored, target)
            url = self.page.get_upload_url(stored, UPLOAD_URL_SECONDS)
            await picker.upload([ft.FilePickerUploadFile(upload_url=url, id=picked.id)])

    async def _uploaded(self, event: ft.FilePickerUploadEvent) -> None:
        if event.error:
            self._pending.pop(event.file_name, None)
            await self.on_error(event.error)
            return
        if event.progress is None or event.progress < 1.0 or event.file_name not in self._pending:
            return
        stored, target = self._pending.pop(event.file_name)
        path = self.upload_dir / stored
        data = await asyncio.to_thread(path.read_bytes)
        path.unlink(missing_ok=True)
        await self.on_photo(target, data)
