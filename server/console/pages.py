"""A dossier's pages in the console: small thumbnails in a row, a large view on click."""

from __future__ import annotations

import asyncio

import flet as ft

from app.widgets import tagged
from scan import NotAPage, thumbnail
from server.blobstores import BlobStore

__all__ = ["load_thumbnails", "page_gallery"]

THUMB_PX = 256
PAGE_PX = 1400  # large enough to read a form's small print on a desktop screen


def load_thumbnails(blobs: BlobStore, hashes: list[str]) -> list[bytes | None]:
    """Return a JPEG thumbnail per page, or None for a page whose blob is not here (yet)."""
    thumbs: list[bytes | None] = []
    for sha256 in hashes:
        # A page the tablet has not uploaded yet is listed without a picture.
        if not blobs.has(sha256):
            thumbs.append(None)
            continue
        try:
            thumbs.append(thumbnail(blobs.read(sha256), THUMB_PX))
        except NotAPage:
            thumbs.append(None)
    return thumbs


def _viewer(page: ft.Page, blobs: BlobStore, sha256: str):  # type: ignore[no-untyped-def]
    async def view(_: ft.Event) -> None:
        large = await asyncio.to_thread(thumbnail, blobs.read(sha256), PAGE_PX)
        page.show_dialog(ft.AlertDialog(content=ft.Image(src=large), scrollable=True))

    return view


def page_gallery(
    page: ft.Page, blobs: BlobStore, hashes: list[str], thumbs: list[bytes | None]
) -> ft.Row:
    """Return the thumbnails in a wrapping row; clicking one opens it large."""
    pictures: list[ft.Control] = [
        tagged(
            f"page-{index}",
            ft.Container(
                ft.Image(src=thumb, width=THUMB_PX // 2, height=THUMB_PX // 2),
                on_click=_viewer(page, blobs, sha256),
            ),
        )
        if thumb
        else ft.Text(sha256[:12])
        for index, (thumb, sha256) in enumerate(zip(thumbs, hashes, strict=True))
    ]
    return ft.Row(pictures, wrap=True)
