"""Readability judged by a real OCR engine on what the pipeline produces, through a real PDF."""

import pypdfium2 as pdfium
import pytest

from scan.document import build_pdf
from scan.enhance import flatten, otsu
from scan.oracle import character_error_rate, read_text
from scan.pipeline import process_photo
from scan.render import render_page


def _read_pdf_page(blob: bytes, dpi: int) -> str:
    page = pdfium.PdfDocument(blob)[0]
    return read_text(page.render(scale=dpi / 72).to_pil().convert("L"))


@pytest.mark.parametrize(("name", "dpi"), [("good", 200), ("steep", 200), ("reshot", 150)])
def test_text_page_reads_back_with_cer_below_one_percent(scanned, photo, name, dpi):
    text = photo(name).text
    page = scanned(name) if dpi == 200 else process_photo(photo(name).data, dpi=dpi)
    blob = build_pdf([page], dossier_code=text["code"], procedure_code="1.001193")
    read = _read_pdf_page(blob, dpi)
    assert character_error_rate(text["body"].splitlines(), read) <= 0.01
    for key in ("code", "cccd", "birth"):
        assert text[key] in read, key


def test_id_card_number_reads_exactly(scanned, photo):
    # The card is stored in colour, never thresholded; like any OCR step, the oracle binarises
    # its own copy, since Tesseract's layout analysis gets lost in the guilloche otherwise.
    card = flatten(render_page(scanned("card").image).convert("L"), 300)
    level = otsu(card)
    read = read_text(card.point(lambda v: 255 if v > level else 0))
    assert photo("card").text["cccd"] in read
    assert photo("card").text["birth"] in read
