"""The corner editor state: drags scaled to photo pixels, clamped, validated, reset."""

from __future__ import annotations

import pytest

from app.state.checklist import Checklist, ComponentPages, PageRef, replace_page
from app.state.corners import editor_for

DETECTED = ((100.0, 80.0), (1400.0, 90.0), (1380.0, 1900.0), (120.0, 1880.0))


def editor():
    return editor_for((1500, 2000), (360, 480), DETECTED)


def test_drag_in_preview_pixels_moves_the_corner_in_photo_pixels():
    moved = editor().move(1, 12.0, -6.0)
    x, y = moved.corners[1]
    assert x == pytest.approx(1400.0 + 12.0 * 1500 / 360)
    assert y == pytest.approx(90.0 - 6.0 * 2000 / 480)
    assert moved.corners[0] == DETECTED[0]


def test_handles_sit_on_the_preview_scale():
    assert editor().on_preview()[2] == pytest.approx((1380.0 * 360 / 1500, 1900.0 * 480 / 2000))


def test_drag_past_the_edge_is_clamped_to_the_photo():
    moved = editor().move(0, -1000.0, -1000.0).move(2, 5000.0, 5000.0)
    assert moved.corners[0] == (0.0, 0.0)
    assert moved.corners[2] == (1500.0, 2000.0)
    assert moved.valid


def test_crossed_corners_are_refused_with_a_message_in_each_language():
    crossed = editor().move(0, 340.0, 440.0)  # top-left dragged beyond the bottom-right
    assert not crossed.valid
    assert crossed.problem("vi") != crossed.problem("en")
    assert "convex" in crossed.problem("en") or "flat" in crossed.problem("en")
    assert editor().problem("vi") is None


def test_reset_returns_to_the_detected_corners():
    adjusted = editor_for((1500, 2000), (360, 480), DETECTED, current=((0, 0),) * 4)
    assert adjusted.corners == ((0.0, 0.0),) * 4 and not adjusted.valid
    assert adjusted.reset().corners == DETECTED


def test_replace_page_keeps_the_place_in_the_component():
    pages = tuple(
        PageRef(sha256=s, media_type="image/jpeg", mode="photo", dpi=200, size=1) for s in "abc"
    )
    checklist = Checklist((ComponentPages("c1", "Tờ khai", True, True, pages),))
    new = PageRef(sha256="z", media_type="image/jpeg", mode="photo", dpi=200, size=1)
    changed = replace_page(checklist, "c1", 1, new)
    assert [p.sha256 for p in changed.item("c1").pages] == ["a", "z", "c"]
