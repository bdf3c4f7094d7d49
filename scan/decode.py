"""Open phone photos safely and decode them at the smallest scale a step needs."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from scan.errors import ImageTooLarge, UnreadableImage
from scan.geometry import Point

__all__ = ["MAX_PIXELS", "Photo", "decode", "decode_oriented", "open_photo"]

# 64 MP is above every phone camera's default output; anything larger is refused before decoding.
MAX_PIXELS = 64_000_000
_FORMATS = ("JPEG", "PNG", "WEBP")
# What ImageOps.exif_transpose does per EXIF orientation, applied to already reduced copies.
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class Photo:
    """A photo whose header was checked: raw size and EXIF orientation, not yet decoded."""

    data: bytes
    format: str
    raw_size: tuple[int, int]
    orientation: int

    @property
    def size(self) -> tuple[int, int]:
        """Width and height as the photo is displayed (after EXIF orientation)."""
        width, height = self.raw_size
        return (height, width) if self.orientation in (5, 6, 7, 8) else (width, height)

    def to_raw(self, point: Point) -> Point:
        """Map a point of the displayed photo to the stored (raw) pixel grid."""
        x, y = point
        width, height = self.raw_size
        return {
            1: (x, y),
            2: (width - x, y),
            3: (width - x, height - y),
            4: (x, height - y),
            5: (y, x),
            6: (y, height - x),
            7: (width - y, height - x),
            8: (width - y, x),
        }[self.orientation]


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(MAX_PIXELS * 2, MAX_PIXELS) from exc
    except UnidentifiedImageError as exc:
        raise UnreadableImage("không nhận ra định dạng / unknown format") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnreadableImage(str(exc) or type(exc).__name__) from exc
    return image


def open_photo(data: bytes) -> Photo:
    """Check a photo's header (format, pixel count, orientation) without decoding its pixels.

    :param data: the file's bytes as received
    :raises UnreadableImage: empty, unknown or unsupported format, or an unreadable header
    :raises ImageTooLarge: more than :data:`MAX_PIXELS` pixels (decompression bombs included)
    """
    if not data:
        raise UnreadableImage("tệp rỗng / empty file")
    image = _open(data)
    if image.format not in _FORMATS:
        raise UnreadableImage(f"định dạng / format {image.format}")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageTooLarge(width * height, MAX_PIXELS)
    if width < 16 or height < 16:
        raise UnreadableImage(f"{width}×{height} px")
    try:
        orientation = int(image.getexif().get(0x0112, 1))
    except (OSError, SyntaxError, ValueError, TypeError):
        orientation = 1  # a damaged EXIF block only loses the orientation, not the photo
    return Photo(data, image.format, (width, height), orientation if 1 <= orientation <= 8 else 1)


def decode(photo: Photo, mode: str, min_size: tuple[int, int] | None = None) -> Image.Image:
    """Decode the raw (not reoriented) pixels in `mode`, at the smallest JPEG scale >= `min_size`.

    :param photo: a photo from :func:`open_photo`
    :param mode: "L" or "RGB"
    :param min_size: the raw-frame size the caller needs at least; None decodes at full size
    :raises UnreadableImage: the pixel data is corrupt or truncated
    """
    image = _open(photo.data)
    try:
        if image.format == "JPEG":  # decodes straight to `mode`, and DCT-scales when allowed
            image.draft(mode, min_size or image.size)
        image.load()
        if image.mode != mode:
            image = image.convert(mode) if image.mode != "P" else image.convert("RGB").convert(mode)
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnreadableImage(str(exc) or type(exc).__name__) from exc
    return image


def decode_oriented(photo: Photo, mode: str, max_side: int) -> Image.Image:
    """Decode a small copy of the displayed photo whose longer side is at most `max_side`."""
    width, height = photo.raw_size
    scale = min(1.0, max_side / max(width, height))
    image = decode(photo, mode, (int(width * scale), int(height * scale)))
    image.thumbnail((max_side, max_side), Image.Resampling.BILINEAR, reducing_gap=2.0)
    method = _TRANSPOSE.get(photo.orientation)
    return image.transpose(method) if method is not None else image
