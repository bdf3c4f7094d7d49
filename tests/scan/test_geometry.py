import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scan.errors import BadCorners
from scan.geometry import (
    check_quad,
    homography,
    map_point,
    order_corners,
    perspective_coeffs,
    quad_size,
    rotated_quad,
)

QUAD = ((110.0, 95.0), (905.0, 130.0), (880.0, 1210.0), (90.0, 1180.0))


def test_order_corners_starts_top_left_and_goes_clockwise():
    shuffled = [QUAD[2], QUAD[0], QUAD[3], QUAD[1]]
    assert order_corners(shuffled) == QUAD


def test_perspective_coeffs_map_the_rectangle_onto_the_quad():
    coeffs = perspective_coeffs((210, 297), QUAD)
    for corner, expected in zip(((0, 0), (210, 0), (210, 297), (0, 297)), QUAD, strict=True):
        assert math.dist(map_point(coeffs, corner), expected) < 1e-6


def test_homography_round_trips():
    there = homography(QUAD, ((0, 0), (1, 0), (1, 1), (0, 1)))
    back = homography(((0, 0), (1, 0), (1, 1), (0, 1)), QUAD)
    point = (400.0, 600.0)
    assert math.dist(map_point(back, map_point(there, point)), point) < 1e-6


def test_rotated_quad_by_zero_is_the_quad_and_rotation_moves_corners():
    coeffs = perspective_coeffs((210, 297), QUAD)
    same = rotated_quad(coeffs, (210, 297), 0.0)
    assert all(math.dist(a, b) < 1e-6 for a, b in zip(same, QUAD, strict=True))
    turned = rotated_quad(coeffs, (210, 297), 3.0)
    assert all(math.dist(a, b) > 5 for a, b in zip(turned, QUAD, strict=True))


def test_quad_size_is_the_mean_of_opposite_sides():
    width, height = quad_size(((0, 0), (100, 0), (120, 200), (-20, 200)))
    assert width == pytest.approx(120)
    assert height == pytest.approx(math.hypot(20, 200))


@pytest.mark.parametrize(
    "points",
    [
        [(0, 0), (10, 0), (10, 10)],
        [(0, 0), (1000, 0), (1000, 1000), (0, 5000)],
        [(0, 0), (1000, 1000), (1000, 0), (0, 1000), (5, 5)],
        [(0, 0), (5, 0), (5, 5), (0, 5)],
        [(0, 0), (900, 0), (450, 100), (900, 900)],
    ],
)
def test_check_quad_refuses_what_cannot_outline_a_page(points):
    with pytest.raises(BadCorners) as caught:
        check_quad(points, (1000, 1000))
    assert caught.value.message_vi.startswith("Góc trang")
    assert caught.value.code == "bad_corners"


def test_check_quad_accepts_and_orders_a_page():
    assert check_quad([list(p) for p in reversed(QUAD)], (1000, 1300)) == QUAD


@given(
    st.lists(
        st.tuples(st.floats(-50, 1050, allow_nan=False), st.floats(-50, 1050, allow_nan=False)),
        min_size=0,
        max_size=6,
    )
)
@example(points=[(0.0, 0.0), (0.0, 770.0), (1.0, 0.0), (26.0, 5.960464477539063e-08)])
@settings(max_examples=200, deadline=None)
def test_check_quad_either_accepts_a_convex_quad_or_raises_bad_corners(points):
    try:
        quad = check_quad(points, (1000, 1000))
    except BadCorners:
        return
    coeffs = perspective_coeffs((100, 100), quad)
    for corner, expected in zip(((0, 0), (100, 0), (100, 100), (0, 100)), quad, strict=True):
        assert math.dist(map_point(coeffs, corner), expected) < 1e-3
