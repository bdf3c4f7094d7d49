"""Render page blobs (JPEG or MRC-lite PDF pages from this pipeline) back to images."""

from __future__ import annotations

import io

from PIL import Image

from scan.errors import NotAPage
from scan.mrc import decode_g4
from scan.pdf import PdfImage, read_page

__all__ = ["render_page", "thumbnail"]


def _size(image: PdfImage) -> tuple[int, int]:
    entries = image.entries.split()
    return int(entries[entries.index(b"/Width") + 1]), int(entries[entries.index(b"/Height") + 1])


def render_page(page: bytes) -> Image.Image:
    """Return a page blob as an RGB image at its full stored resolution.

    An MRC-lite page is its colour layer scaled to the mask's size with the ink painted black;
    every image of such a page covers the whole page, as :func:`scan.mrc.mrc_page` writes it.

    :raises NotAPage: the bytes are neither a JPEG page nor a PDF page from this pipeline
    """
    if page.startswith(b"\xff\xd8"):
        try:
            image = Image.open(io.BytesIO(page))
            image.load()
        except OSError as exc:
            raise NotAPage(str(exc)) from exc
        return image.convert("RGB")
    layers = read_page(page).images
    masks = [im for im in layers if b"/ImageMask true" in im.entries]
    if len(masks) != 1 or masks[0] is not layers[-1]:
        raise NotAPage("không có lớp chữ / no text layer")
    size = _size(masks[0])
    canvas = Image.new("RGB", size, (255, 255, 255))
    for layer in layers[:-1]:
        background = Image.open(io.BytesIO(layer.data)).convert("RGB")
        canvas = background.resize(size, Image.Resampling.BILINEAR)
    ink = decode_g4(masks[0].data, *size)
    canvas.paste((0, 0, 0), (0, 0), ink.point(lambda v: 0 if v else 255, "L"))
    return canvas


def thumbnail(page_bytes: bytes, max_px: int = 384) -> bytes:
    """Return a JPEG thumbnail of a page blob whose longer side is at most `max_px`.

    :raises NotAPage: the bytes are not a page from this pipeline
    """
    image = render_page(page_bytes)
    image.thumbnail((max_px, max_px), Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70, optimize=True)
    return out.getvalue()
