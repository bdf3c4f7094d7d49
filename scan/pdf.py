"""A small PDF 1.4 writer and reader for scanned pages: images go in as encoded, never re-encoded.

Pillow's own PDF writer re-encodes JPEGs and writes 1-bit images as G4 only with libtiff, so pages
are assembled here from already-encoded JPEG and CCITT G4 streams (as img2pdf does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from scan.errors import NotAPage

__all__ = ["PdfImage", "PdfPage", "g4_mask", "jpeg_image", "pdf_text", "read_page", "write_pdf"]

PT_PER_INCH = 72.0


@dataclass(frozen=True)
class PdfImage:
    """An image XObject: its dictionary entries (without /Length) and its encoded stream."""

    entries: bytes
    data: bytes


@dataclass(frozen=True)
class PdfPage:
    """One page: its size in points, images (/Im0, /Im1, ...) and the content that draws them."""

    width: float
    height: float
    images: tuple[PdfImage, ...]
    content: bytes


def jpeg_image(data: bytes, width: int, height: int, grey: bool = False) -> PdfImage:
    """Wrap JPEG bytes as an image XObject (DCTDecode), untouched."""
    space = b"/DeviceGray" if grey else b"/DeviceRGB"
    entries = (
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
        b"/BitsPerComponent 8 /Filter /DCTDecode" % (width, height, space)
    )
    return PdfImage(entries, data)


def g4_mask(data: bytes, width: int, height: int) -> PdfImage:
    """Wrap a CCITT G4 stream (black = ink) as a stencil mask painted in the current colour."""
    entries = (
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ImageMask true "
        b"/BitsPerComponent 1 /Filter /CCITTFaxDecode "
        b"/DecodeParms << /K -1 /Columns %d /Rows %d >>" % (width, height, width, height)
    )
    return PdfImage(entries, data)


def pdf_text(text: str) -> bytes:
    """Encode a PDF text string as UTF-16BE hex, so Vietnamese diacritics survive."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _date(moment: datetime) -> bytes:
    stamp = moment.strftime("D:%Y%m%d%H%M%S")
    offset = moment.strftime("%z")
    return pdf_text(f"{stamp}{offset[:3]}'{offset[3:]}'" if offset else f"{stamp}Z")


def write_pdf(pages: list[PdfPage], info: dict[str, str], created: datetime | None = None) -> bytes:
    """Write a PDF 1.4 file with `pages` and a document information dictionary.

    :param pages: the pages in order
    :param info: /Info keys (without the slash) to text values
    :param created: stored as /CreationDate; left out when None, so equal pages give equal bytes
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        """Append an object and return its number."""
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    tree = add(b"")
    kids = []
    for page in pages:
        refs = [
            add(b"<< %s /Length %d >>\nstream\n%s\nendstream" % (im.entries, len(im.data), im.data))
            for im in page.images
        ]
        content = add(
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(page.content), page.content)
        )
        xobjects = b" ".join(b"/Im%d %d 0 R" % (i, ref) for i, ref in enumerate(refs))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] "
                b"/Resources << /XObject << %s >> >> /Contents %d 0 R >>"
                % (tree, _num(page.width), _num(page.height), xobjects, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    fields = b" ".join(b"/%s %s" % (key.encode(), pdf_text(value)) for key, value in info.items())
    if created is not None:
        fields += b" /CreationDate %s" % _date(created)
    info_ref = add(b"<< %s >>" % fields)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\n" % (
        len(objects) + 1,
        catalog,
        info_ref,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _num(value: float) -> bytes:
    return (b"%.2f" % value).rstrip(b"0").rstrip(b".")


_OBJECT = re.compile(rb"(\d+) 0 obj\n<<([^\n]*?)/Length (\d+) >>\nstream\n")
_PAGE = re.compile(
    rb"/Type /Page /Parent \d+ 0 R /MediaBox \[0 0 ([\d.]+) ([\d.]+)\] "
    rb"/Resources << /XObject << (.*?) >> >> /Contents (\d+) 0 R"
)


def read_page(blob: bytes) -> PdfPage:
    """Read back the single page of a PDF that :func:`write_pdf` wrote.

    :raises NotAPage: the bytes are not a one-page PDF written by this module
    """
    if not blob.startswith(b"%PDF-1.4\n"):
        raise NotAPage("không phải PDF / not a PDF")
    streams = {}
    position = 0
    while match := _OBJECT.search(blob, position):
        position = match.end() + int(match.group(3))  # skip the stream: it may hold any bytes
        streams[int(match.group(1))] = (match.group(2).strip(), blob[match.end() : position])
    pages = _PAGE.findall(blob)
    if len(pages) != 1:
        raise NotAPage(f"{len(pages)} trang / pages")
    width, height, xobjects, content_ref = pages[0]
    try:
        refs = [int(ref) for ref in re.findall(rb"/Im\d+ (\d+) 0 R", xobjects)]
        images = tuple(PdfImage(*streams[ref]) for ref in refs)
        content = streams[int(content_ref)][1]
    except KeyError as exc:
        raise NotAPage(f"thiếu đối tượng / missing object {exc}") from exc
    return PdfPage(float(width), float(height), images, content)
