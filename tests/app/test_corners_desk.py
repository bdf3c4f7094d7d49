"""Rescanning a photo with corners the officer placed, on a real desk."""

from __future__ import annotations

import pytest

from scan import detect_corners
from scan.errors import BadCorners


def test_rescan_with_given_corners_gives_a_page_with_those_corners(desk, on_vault, photos):
    data = photos["form1"].read_bytes()
    first = on_vault(desk.add_photo, photos["form1"], False)
    preview = detect_corners(data)
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = preview.corners
    given = ((ax + 20, ay + 15), (bx - 20, by + 15), (cx - 20, cy - 15), (dx + 20, dy - 15))
    page = on_vault(desk.rescan_photo, data, given, first.sha256)
    assert [c for point in page.corners for c in point] == pytest.approx(
        [c for point in given for c in point]
    )
    assert page.sha256 != first.sha256
    assert first.sha256 not in desk._pages and page.sha256 in desk._pages
    assert page.thumbnail.startswith(b"\xff\xd8")


def test_rescan_with_crossed_corners_is_refused_and_keeps_the_page(desk, on_vault, photos):
    data = photos["form1"].read_bytes()
    first = on_vault(desk.add_photo, photos["form1"], False)
    crossed = ((0, 0), (10, 10), (0, 10), (10, 0))
    with pytest.raises(BadCorners):
        on_vault(desk.rescan_photo, data, crossed, first.sha256)
    assert first.sha256 in desk._pages
