import io
from datetime import datetime, timedelta, timezone

import pypdfium2 as pdfium
import pytest
from PIL import Image

from scan.errors import NotAPage
from scan.pdf import PdfPage, jpeg_image, pdf_text, read_page, write_pdf


def _jpeg(size=(120, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "JPEG", quality=80)
    return out.getvalue()


def _page(data: bytes) -> PdfPage:
    return PdfPage(86.4, 57.6, (jpeg_image(data, 120, 80),), b"q 86.4 0 0 57.6 0 0 cm /Im0 Do Q")


def test_written_pdf_opens_in_pdfium_with_metadata():
    created = datetime(2025, 11, 27, 9, 30, tzinfo=timezone(timedelta(hours=7)))
    blob = write_pdf([_page(_jpeg())] * 2, {"Title": "Hồ sơ Đức"}, created)
    assert blob.startswith(b"%PDF-1.4")
    document = pdfium.PdfDocument(blob)
    assert len(document) == 2
    meta = document.get_metadata_dict()
    assert meta["Title"] == "Hồ sơ Đức" and meta["CreationDate"].startswith("D:20251127093000+07")
    assert document[0].get_size() == pytest.approx((86.4, 57.6))
    pixel = document[0].render(scale=1).to_pil().getpixel((40, 30))
    assert abs(pixel[2] - 200) < 20 and pixel[0] < 40


def test_jpeg_streams_are_embedded_byte_for_byte():
    data = _jpeg()
    assert data in write_pdf([_page(data)], {})


def test_read_page_gives_back_what_was_written():
    data = _jpeg()
    page = read_page(write_pdf([_page(data)], {}))
    assert page.images[0].data == data
    assert (page.width, page.height) == (86.4, 57.6)
    assert page.content == b"q 86.4 0 0 57.6 0 0 cm /Im0 Do Q"


@pytest.mark.parametrize(
    "blob",
    [b"not a pdf", b"%PDF-1.7\n", None],
    ids=["garbage", "other-pdf", "two-pages"],
)
def test_read_page_refuses_foreign_pdfs(blob):
    if blob is None:
        blob = write_pdf([_page(_jpeg())] * 2, {})
    with pytest.raises(NotAPage):
        read_page(blob)


def test_text_strings_are_utf16_hex():
    assert pdf_text("Đ") == b"<FEFF0110>"
