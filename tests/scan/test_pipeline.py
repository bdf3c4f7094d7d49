import hashlib
import io

import pytest
from PIL import Image

from scan.enhance import flatten, skew_angle
from scan.errors import BadCorners, BadOption, ImageTooLarge, UnreadableImage
from scan.pdf import read_page
from scan.pipeline import process_photo
from scan.render import render_page


def test_text_page_is_a_small_mrc_pdf_keeping_colour(scanned):
    page = scanned("good")
    assert (page.mode, page.media_type, page.dpi) == ("text", "application/pdf", 200)
    assert (page.width, page.height) == (1654, 2339)
    assert len(page.image) <= 40_000
    layers = read_page(page.image).images
    assert len(layers) == 2 and b"/DCTDecode" in layers[0].entries  # the seal's colour layer
    assert b"/CCITTFaxDecode" in layers[1].entries


def test_colour_document_becomes_a_flattened_jpeg(scanned):
    page = scanned("certificate")
    assert (page.mode, page.media_type) == ("color", "image/jpeg")
    assert len(page.image) <= 250_000
    image = Image.open(io.BytesIO(page.image))
    assert image.size == (1654, 2339) and image.info["dpi"][0] == pytest.approx(200)


def test_photo_print_is_kept_as_a_plain_jpeg(scanned):
    page = scanned("photo_print")
    assert (page.mode, page.media_type) == ("photo", "image/jpeg")


def test_id_card_is_cropped_at_300_dpi_in_colour(scanned):
    page = scanned("card")
    assert (page.mode, page.dpi, page.width, page.height) == ("idcard", 300, 1011, 638)
    assert len(page.image) <= 100_000
    assert Image.open(io.BytesIO(page.image)).mode == "RGB"


def test_modes_can_be_forced(photo):
    data = photo("good").data
    as_photo = process_photo(data, mode="photo")
    assert (as_photo.mode, as_photo.media_type) == ("photo", "image/jpeg")
    as_colour = process_photo(data, mode="color", dpi=150)
    assert (as_colour.mode, as_colour.dpi, as_colour.width) == ("color", 150, 1240)


def test_never_upsamples_past_what_the_photo_holds(scanned, photo):
    small = scanned("small")
    assert small.dpi < 200
    assert small.height == round(297 / 25.4 * small.dpi)
    assert process_photo(photo("good").data, dpi=300).dpi < 300


def test_without_a_page_outline_the_frame_is_deskewed(scanned):
    page = scanned("no_page")  # photographed 2 degrees off, page edges outside the frame
    assert not page.corners_found
    level = render_page(page.image).convert("L").reduce(3)
    assert abs(skew_angle(flatten(level, 66), 5.0)) <= 0.3


def test_given_corners_are_used_and_reported(photo):
    shot = photo("good")
    page = process_photo(shot.data, corners=shot.corners)
    assert page.corners == shot.corners and page.corners_found
    assert page.quality[0]["code"] == "page_found" and "cán bộ" in page.quality[0]["message_vi"]


def test_record_matches_the_event_payload_shape(scanned):
    page = scanned("good")
    assert page.sha256 == hashlib.sha256(page.image).hexdigest()
    assert page.page_record() == {
        "sha256": page.sha256,
        "media_type": "application/pdf",
        "mode": "text",
        "dpi": 200,
        "bytes": len(page.image),
    }
    summary = page.summary()
    assert "image" not in summary and {"detect", "warp", "encode"} <= set(summary["timings_ms"])


def test_png_and_webp_photos_work(photo):
    shown = Image.open(io.BytesIO(photo("card").data))
    for fmt in ("PNG", "WEBP"):
        out = io.BytesIO()
        shown.save(out, fmt)
        assert process_photo(out.getvalue()).mode == "idcard"


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"mode": "fax"}, BadOption),
        ({"dpi": 50}, BadOption),
        ({"dpi": "200"}, BadOption),
        ({"corners": [(0, 0), (1, 1)]}, BadCorners),
        ({"corners": [(0, 0), (9000, 0), (9000, 9000), (0, 9000)]}, BadCorners),
    ],
)
def test_bad_options_are_refused_before_any_work(photo, options, error):
    with pytest.raises(error) as caught:
        process_photo(photo("card").data, **options)
    assert caught.value.message_vi and caught.value.message_en


def test_corrupt_and_huge_files_are_refused(photo):
    data = photo("card").data
    with pytest.raises(UnreadableImage):
        process_photo(data[: len(data) // 3])
    with pytest.raises(UnreadableImage):
        process_photo(b"%PDF-1.4 not a photo")
    huge = io.BytesIO()
    Image.new("1", (9000, 8000)).save(huge, "PNG")
    with pytest.raises(ImageTooLarge):
        process_photo(huge.getvalue())
