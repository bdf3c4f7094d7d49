"""Read the first QR code in a photo: an enrolment code or the chip card's QR on a CCCD."""

from __future__ import annotations

import io
from pathlib import Path

import flet as ft
from PIL import Image, UnidentifiedImageError
from pyzbar.pyzbar import ZBarSymbol, decode

from app.errors import AppError

__all__ = ["NoQrCode", "pick_photo", "read_qr"]

# A phone photo is often 4000 px wide; zbar finds a QR in a 1200 px grey copy in a fraction
# of the time, and the full-size image is only tried when the small one holds nothing.
_QUICK_SIDE = 1200


class NoQrCode(AppError):
    """The photo is not an image, or no QR code could be read in it."""

    code = "no_qr_code"

    def __init__(self) -> None:
        super().__init__("Không tìm thấy mã QR trong ảnh", "No QR code found in the photo")


def _decoded(image: Image.Image) -> str | None:
    found = decode(image, symbols=[ZBarSymbol.QRCODE])
    return found[0].data.decode("utf-8") if found else None


def read_qr(data: bytes) -> str:
    """The text of the first QR code in the photo ``data``; NoQrCode when there is none."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            # No EXIF transposing: zbar reads a QR turned or mirrored, and transposing a
            # 12-megapixel photo would only cost time.
            grey = opened.convert("L")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise NoQrCode() from exc
    candidates = [grey]
    if max(grey.size) > _QUICK_SIDE:
        quick = grey.copy()
        quick.thumbnail((_QUICK_SIDE, _QUICK_SIDE))
        candidates.insert(0, quick)
    for candidate in candidates:
        text = _decoded(candidate)
        if text is not None:
            return text
    raise NoQrCode()


async def pick_photo(picker: ft.FilePicker, title: str) -> bytes | None:
    """Let the officer take or choose one photo and return its bytes; None when cancelled."""
    # with_data hands the bytes over directly, on the web too, so no photo lands in the
    # upload folder: a chip card's QR carries the citizen's identity.
    files = await picker.pick_files(
        dialog_title=title, file_type=ft.FilePickerFileType.IMAGE, with_data=True
    )
    if not files:
        return None
    picked = files[0]
    if picked.bytes is not None:
        return picked.bytes
    return Path(picked.path).read_bytes() if picked.path else None
