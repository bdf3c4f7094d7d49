import io

import pytest
from PIL import Image

from scan.errors import NotAPage
from scan.render import render_page, thumbnail


@pytest.mark.parametrize("name", ["good", "certificate", "card"])
def test_thumbnail_is_a_small_jpeg_of_the_page(scanned, name):
    page = scanned(name)
    small = Image.open(io.BytesIO(thumbnail(page.image)))
    assert small.format == "JPEG" and max(small.size) == 384
    assert small.width / small.height == pytest.approx(page.width / page.height, rel=0.02)


def test_thumbnail_size_can_be_chosen(scanned):
    assert max(Image.open(io.BytesIO(thumbnail(scanned("good").image, 128))).size) == 128


def test_render_page_shows_ink_black_on_white(scanned):
    shown = render_page(scanned("good").image)
    assert shown.size == (1654, 2339)
    histogram = shown.convert("L").histogram()
    assert sum(histogram[240:]) > 0.9 * sum(histogram) and histogram[0] > 10_000


def test_foreign_bytes_are_refused():
    with pytest.raises(NotAPage):
        thumbnail(b"\x89PNG not ours")
    with pytest.raises(NotAPage):
        render_page(b"\xff\xd8 truncated jpeg")
