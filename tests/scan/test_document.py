import io
from datetime import UTC, datetime

import pypdfium2 as pdfium
import pytest
import segno
from PIL import Image

from scan.document import QR_BOX_MM, build_pdf
from scan.errors import NotAPage
from scan.pdf import read_page


def test_build_pdf_keeps_pages_in_order_with_metadata(scanned):
    pages = [scanned("good"), scanned("certificate"), scanned("card")]
    blob = build_pdf(
        pages,
        dossier_code="H31.39-251127-0042",
        procedure_code="1.001193",
        created=datetime(2025, 11, 27, 2, 0, tzinfo=UTC),
    )
    document = pdfium.PdfDocument(blob)
    assert len(document) == 3
    meta = document.get_metadata_dict()
    assert "H31.39-251127-0042" in meta["Title"] and "1.001193" in meta["Subject"]
    assert b"/SohoaPageCount <FEFF0033>" in blob  # "3" in UTF-16BE
    assert document[0].get_size() == pytest.approx((595.3, 842.0), abs=1)
    assert document[2].get_size() == pytest.approx((85.6 / 25.4 * 72, 54 / 25.4 * 72), abs=1)


def test_both_sides_of_an_id_card_go_in_one_document(scanned):
    side = scanned("card")
    document = pdfium.PdfDocument(build_pdf([side, side], dossier_code="X", procedure_code="Y"))
    assert len(document) == 2
    assert all(page.get_size() == pytest.approx((242.6, 153.1), abs=1) for page in document)


def test_page_images_are_not_re_encoded(scanned):
    good, certificate = scanned("good"), scanned("certificate")
    blob = build_pdf([good, certificate.image], dossier_code="X", procedure_code="Y")
    assert certificate.image in blob
    for layer in read_page(good.image).images:
        assert layer.data in blob


def test_qr_code_is_drawn_in_its_box_on_page_one(scanned):
    out = io.BytesIO()
    segno.make("https://dichvucong.gov.vn/H31.39-251127-0042").save(out, kind="png", scale=4)
    blob = build_pdf(
        [scanned("certificate")], dossier_code="X", procedure_code="Y", qr_png=out.getvalue()
    )
    page = pdfium.PdfDocument(blob)[0]
    image = page.render(scale=2).to_pil().convert("L")
    x, y, side = (v / 25.4 * 72 * 2 for v in QR_BOX_MM)
    left = image.width + x
    box = image.crop(
        (round(left), round(image.height - y - side), round(left + side), round(image.height - y))
    )
    dark = sum(box.histogram()[:100]) / (box.width * box.height)
    assert 0.2 < dark < 0.8  # a QR code: about half its modules dark


def test_build_pdf_refuses_what_is_not_a_page():
    with pytest.raises(NotAPage):
        build_pdf([b"hello"], dossier_code="X", procedure_code="Y")
    with pytest.raises(NotAPage):
        build_pdf([], dossier_code="X", procedure_code="Y")
    no_dpi = io.BytesIO()
    Image.new("RGB", (10, 10)).save(no_dpi, "JPEG")
    with pytest.raises(NotAPage):
        build_pdf([no_dpi.getvalue()], dossier_code="X", procedure_code="Y")
