import math

import pytest

from scan.decode import open_photo
from scan.detect import PREVIEW_SIDE, detect_corners, detect_page


def _worst_error(found, true) -> float:
    page_diagonal = min(math.dist(true[0], true[2]), math.dist(true[1], true[3]))
    return max(math.dist(a, b) for a, b in zip(found, true, strict=True)) / page_diagonal


@pytest.mark.parametrize("name", ["good", "steep", "blur7", "glare", "dark", "certificate", "card"])
def test_corners_are_within_one_percent_of_the_diagonal(photo, name):
    shot = photo(name)
    preview = detect_corners(shot.data)
    assert preview.found
    assert _worst_error(preview.corners, shot.corners) <= 0.01


def test_preview_reports_displayed_size_and_a_small_jpeg(photo):
    preview = detect_corners(photo("good").data)  # stored rotated, EXIF orientation 6
    assert preview.size == (2400, 3200)
    assert max(preview.preview_size) <= PREVIEW_SIDE
    assert preview.image.startswith(b"\xff\xd8")
    summary = preview.to_dict()
    assert summary["found"] is True and len(summary["corners"]) == 4


def test_no_page_falls_back_to_the_whole_frame(photo):
    preview = detect_page(open_photo(photo("no_page").data))
    assert not preview.found
    assert preview.corners == ((0.0, 0.0), (2400.0, 0.0), (2400.0, 3200.0), (0.0, 3200.0))
