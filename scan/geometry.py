"""Quadrilaterals and perspective maps between a photo and an upright page."""

from __future__ import annotations

import math
from collections.abc import Sequence

from scan.errors import BadCorners

__all__ = [
    "Point",
    "Quad",
    "check_quad",
    "homography",
    "map_point",
    "order_corners",
    "perspective_coeffs",
    "quad_size",
    "rotated_quad",
]

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left


def order_corners(points: Sequence[Point]) -> Quad:
    """Return four points ordered clockwise from the top-left one."""
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    clockwise = sorted(points, key=lambda p: math.atan2(p[1] - cy, p[0] - cx))
    start = min(range(4), key=lambda i: clockwise[i][0] + clockwise[i][1])
    a, b, c, d = (clockwise[(start + i) % 4] for i in range(4))
    return (a, b, c, d)


MIN_CORNER_SINE = 0.25  # corners between about 15° and 165°


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def check_quad(points: Sequence[Sequence[float]], size: tuple[int, int]) -> Quad:
    """Validate corners given by a user or a caller and return them ordered.

    :param points: four (x, y) points in the displayed photo
    :param size: the displayed photo's width and height
    :raises BadCorners: not four points, outside the photo, not convex, or too small
    """
    if len(points) != 4 or any(len(p) != 2 for p in points):
        raise BadCorners("cần đúng 4 điểm (x, y)", "exactly four (x, y) points are needed")
    width, height = size
    slack = 0.02 * max(width, height)
    pts = [(float(x), float(y)) for x, y in points]
    if any(not (-slack <= x <= width + slack and -slack <= y <= height + slack) for x, y in pts):
        raise BadCorners("có điểm nằm ngoài ảnh", "a point lies outside the photo")
    quad = order_corners(pts)
    turns = [_cross(quad[i], quad[(i + 1) % 4], quad[(i + 2) % 4]) for i in range(4)]
    if not (all(t > 0 for t in turns) or all(t < 0 for t in turns)):
        raise BadCorners("bốn điểm không tạo thành tứ giác lồi", "the points are not a convex quad")
    # |turn| / (both edge lengths) is the sine of the corner angle; a near-flat corner makes the
    # perspective solve ill-conditioned, and no photographed page has one.
    for i, turn in enumerate(turns):
        a, b, c = quad[i], quad[(i + 1) % 4], quad[(i + 2) % 4]
        if abs(turn) < MIN_CORNER_SINE * math.dist(a, b) * math.dist(b, c):
            raise BadCorners("có góc trang quá bẹt", "a page corner is too flat")
    area = abs(sum(_cross((0.0, 0.0), quad[i], quad[(i + 1) % 4]) for i in range(4))) / 2
    if area < 0.01 * width * height:
        raise BadCorners("vùng trang quá nhỏ", "the outlined page is too small")
    return quad


def quad_size(quad: Quad) -> tuple[float, float]:
    """Return the mean width and mean height of a quad, in photo pixels."""
    tl, tr, br, bl = quad
    width = (math.dist(tl, tr) + math.dist(bl, br)) / 2
    height = (math.dist(tl, bl) + math.dist(tr, br)) / 2
    return width, height


def _solve(matrix: list[list[float]], values: list[float]) -> list[float]:
    """Solve a small dense linear system by Gaussian elimination with partial pivoting."""
    n = len(values)
    rows = [row[:] + [v] for row, v in zip(matrix, values, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) < 1e-12:
            raise BadCorners("tứ giác suy biến", "degenerate quad")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(col + 1, n):
            factor = rows[r][col] / rows[col][col]
            for c in range(col, n + 1):
                rows[r][c] -= factor * rows[col][c]
    result = [0.0] * n
    for r in range(n - 1, -1, -1):
        tail = sum(rows[r][c] * result[c] for c in range(r + 1, n))
        result[r] = (rows[r][n] - tail) / rows[r][r]
    return result


def homography(source: Sequence[Point], target: Sequence[Point]) -> tuple[float, ...]:
    """Return the eight perspective coefficients that map four `source` points onto `target`."""
    matrix, values = [], []
    for (u, v), (x, y) in zip(source, target, strict=True):
        matrix.append([u, v, 1.0, 0.0, 0.0, 0.0, -u * x, -v * x])
        values.append(x)
        matrix.append([0.0, 0.0, 0.0, u, v, 1.0, -u * y, -v * y])
        values.append(y)
    return tuple(_solve(matrix, values))


def perspective_coeffs(size: tuple[float, float], quad: Quad) -> tuple[float, ...]:
    """Return Pillow PERSPECTIVE coefficients mapping an upright `size` rectangle onto `quad`."""
    width, height = size
    return homography(((0.0, 0.0), (width, 0.0), (width, height), (0.0, height)), quad)


def map_point(coeffs: Sequence[float], point: Point) -> Point:
    """Map an output point through perspective coefficients to the source image."""
    a, b, c, d, e, f, g, h = coeffs
    u, v = point
    w = g * u + h * v + 1.0
    return ((a * u + b * v + c) / w, (d * u + e * v + f) / w)


def rotated_quad(coeffs: Sequence[float], size: tuple[float, float], degrees: float) -> Quad:
    """Return the source quad whose upright rectangle is turned by `degrees` about its centre."""
    width, height = size
    cx, cy = width / 2, height / 2
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    corners = ((0.0, 0.0), (width, 0.0), (width, height), (0.0, height))
    turned = [
        (cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos)
        for x, y in corners
    ]
    a, b, c, d = (map_point(coeffs, p) for p in turned)
    return (a, b, c, d)
