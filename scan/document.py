"""Assemble finished pages into one PDF document for a dossier component, with its metadata."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime

from PIL import Image

from scan.errors import NotAPage, UnreadableImage
from scan.pdf import PdfImage, PdfPage, jpeg_image, read_page, write_pdf
from scan.result import PageResult

__all__ = ["QR_BOX_MM", "build_pdf"]

# Where the app's QR code goes on page 1 (x, y from the bottom-left corner, side), in mm: inside
# the 20 mm bottom margin of Decree 30/2020 forms, clear of the body text.
QR_BOX_MM = (-19.0, 4.0, 15.0)
_MM = 72 / 25.4


def _jpeg_page(blob: bytes) -> PdfPage:
    try:
        image = Image.open(io.BytesIO(blob))
    except OSError as exc:
        raise NotAPage(str(exc)) from exc
    dpi = image.info.get("dpi", (0, 0))[0]
    if image.format != "JPEG" or not dpi:
        raise NotAPage("JPEG không ghi dpi / JPEG without dpi")
    width, height = image.width * 72 / dpi, image.height * 72 / dpi
    content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (width, height)
    return PdfPage(width, height, (jpeg_image(blob, *image.size, grey=image.mode == "L"),), content)


def _page(item: bytes | PageResult) -> PdfPage:
    blob = item.image if isinstance(item, PageResult) else item
    if not isinstance(blob, bytes):
        raise NotAPage(type(item).__name__)
    if blob.startswith(b"\xff\xd8"):
        return _jpeg_page(blob)
    return read_page(blob)


def _qr_image(png: bytes) -> PdfImage:
    try:
        image = Image.open(io.BytesIO(png))
        grey = image.convert("L")
    except OSError as exc:
        raise UnreadableImage(f"QR: {exc}") from exc
    entries = (
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray " % grey.size
    )
    return PdfImage(
        entries + b"/BitsPerComponent 8 /Filter /FlateDecode", zlib.compress(grey.tobytes(), 9)
    )


def _with_qr(page: PdfPage, qr: PdfImage) -> PdfPage:
    x, y, side = QR_BOX_MM
    left = page.width + x * _MM if x < 0 else x * _MM
    draw = b"\nq 1 g %.2f %.2f %.2f %.2f re f Q" % (left, y * _MM, side * _MM, side * _MM)
    draw += b"\nq %.2f 0 0 %.2f %.2f %.2f cm /Im%d Do Q" % (
        side * _MM,
        side * _MM,
        left,
        y * _MM,
        len(page.images),
    )
    return PdfPage(page.width, page.height, (*page.images, qr), page.content + draw)


def build_pdf(
    pages: Iterable[bytes | PageResult],
    *,
    dossier_code: str,
    procedure_code: str,
    title: str | None = None,
    qr_png: bytes | None = None,
    created: datetime | None = None,
) -> bytes:
    """Put pages into one PDF 1.4 document without re-encoding their images.

    :param pages: page blobs (``PageResult.image``) or :class:`~scan.result.PageResult` objects
    :param dossier_code: the dossier's code, stored in the metadata
    :param procedure_code: the procedure's code, stored in the metadata
    :param title: the document's title; defaults to one naming the dossier
    :param qr_png: the QR code the app adds (Circular 01/2023), drawn on page 1 in :data:`QR_BOX_MM`
    :param created: the creation time stored; defaults to now
    :raises NotAPage: an item is not a page this pipeline wrote
    :raises UnreadableImage: `qr_png` is not an image
    """
    built = [_page(item) for item in pages]
    if not built:
        raise NotAPage("không có trang nào / no pages")
    if qr_png is not None:
        built[0] = _with_qr(built[0], _qr_image(qr_png))
    info = {
        "Title": title or f"Hồ sơ {dossier_code}",
        "Subject": f"Thủ tục {procedure_code}",
        "Keywords": f"{dossier_code} {procedure_code}",
        "Producer": "SoHoa scan",
        "SohoaDossierCode": dossier_code,
        "SohoaProcedureCode": procedure_code,
        "SohoaPageCount": str(len(built)),
    }
    return write_pdf(built, info, created or datetime.now(UTC))
