"""Find the page outline (four corners) on a small copy of a photo, fast enough for a preview.

Page edges are found as brightness steps (desk to paper) along every row and column, using Pillow
image arithmetic and ``crop().getbbox()`` for the outermost step; a robust line is fitted through
each side's steps and neighbouring sides are intersected.  Canny-style edge maps are not used: they
fire on text as much as on the page border.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter

from scan.decode import Photo, decode_oriented, open_photo
from scan.geometry import Point, Quad, quad_size

__all__ = ["PREVIEW_SIDE", "Preview", "detect_corners", "detect_page", "find_page"]

PREVIEW_SIDE = 480  # px: detection is accurate to ~1 px here, i.e. <0.3 % of the page diagonal
_STEP = 2  # px between the two samples of a brightness step


@dataclass(frozen=True)
class Preview:
    """The page outline found in a photo, in displayed-photo pixels, plus a small JPEG of it.

    >>> preview = detect_corners(photo_bytes)
    >>> page = process_photo(photo_bytes, corners=preview.corners)  # or corners the officer moved
    """

    corners: Quad
    found: bool
    size: tuple[int, int]
    preview_size: tuple[int, int]
    image: bytes

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready summary (without the preview image bytes)."""
        return {
            "corners": [[round(x, 1), round(y, 1)] for x, y in self.corners],
            "found": self.found,
            "size": list(self.size),
            "preview_size": list(self.preview_size),
        }


def _threshold(steps: Image.Image) -> int:
    """Return half the step height of the strongest ~2 % of pixels (page edges and text)."""
    histogram = steps.histogram()
    total, seen = sum(histogram), 0
    for value in range(255, -1, -1):
        seen += histogram[value]
        if seen >= total * 0.02:
            return max(8, int(value * 0.5))
    return 8


def _steps(grey: Image.Image, dx: int, dy: int) -> tuple[Image.Image, Image.Image]:
    """Return the brightness rise towards (dx, dy) and a 0/255 map of where it is strong."""
    shifted = ImageChops.offset(grey, -dx, -dy)
    rise = ImageChops.subtract(shifted, grey)
    width, height = grey.size
    if dx:  # offset() wraps around; the wrapped band is not a real step
        rise.paste(0, (width - abs(dx), 0, width, height) if dx > 0 else (0, 0, abs(dx), height))
    if dy:
        rise.paste(0, (0, height - abs(dy), width, height) if dy > 0 else (0, 0, width, abs(dy)))
    limit = _threshold(rise)
    return rise, rise.point(lambda v: 255 if v >= limit else 0)


def _edge_points(grey: Image.Image, side: str) -> list[Point]:
    """Return, per row (left/right) or column (top/bottom), where the outermost strong step is.

    The outermost strong pixel is refined to the peak of the step within a few pixels inward,
    with a parabolic sub-pixel fit, so the line fit gets the edge's centre, not its foot.
    """
    inward = {"left": (_STEP, 0), "right": (-_STEP, 0), "top": (0, _STEP), "bottom": (0, -_STEP)}
    dx, dy = inward[side]
    rise, mask = _steps(grey, dx, dy)
    values = rise.load()
    width, height = grey.size
    along_rows = side in ("left", "right")
    sign = 1 if dx + dy > 0 else -1
    points: list[Point] = []
    for line in range(height if along_rows else width):
        box = mask.crop((0, line, width, line + 1) if along_rows else (line, 0, line + 1, height))
        box = box.getbbox()
        if not box:
            continue
        if along_rows:
            start, limit = (box[0] if sign > 0 else box[2] - 1), width
        else:
            start, limit = (box[1] if sign > 0 else box[3] - 1), height
        reach = [start + sign * k for k in range(6) if 1 <= start + sign * k < limit - 1]
        at = (lambda i, n=line: values[i, n]) if along_rows else (lambda i, n=line: values[n, i])
        peak = max(reach, key=at)
        before, here, after = at(peak - 1), at(peak), at(peak + 1)
        curve = before - 2 * here + after
        shift = 0.5 * (before - after) / curve if curve < 0 else 0.0
        edge = peak + shift + 0.5 + (dx + dy) / 2
        points.append((edge, line + 0.5) if along_rows else (line + 0.5, edge))
    return points


def _fit(points: list[Point], vertical: bool) -> tuple[float, float, int] | None:
    """Fit a line robustly (RANSAC, then least squares on the inliers); return a, b, inliers.

    A vertical side is x = a*y + b, a horizontal one y = a*x + b.
    """
    pairs = [(p[1], p[0]) if vertical else p for p in points]  # (t, s): s = a*t + b
    if len(pairs) < 10:
        return None
    rng = random.Random(len(pairs))
    best: list[tuple[float, float]] = []
    for _ in range(80):
        (t1, s1), (t2, s2) = rng.sample(pairs, 2)
        if abs(t2 - t1) < len(pairs) * 0.2:
            continue
        a = (s2 - s1) / (t2 - t1)
        b = s1 - a * t1
        inliers = [(t, s) for t, s in pairs if abs(s - (a * t + b)) <= 1.5]
        if len(inliers) > len(best):
            best = inliers
    if len(best) < 10:
        return None
    n = len(best)
    mean_t = sum(t for t, _ in best) / n
    mean_s = sum(s for _, s in best) / n
    var_t = sum((t - mean_t) ** 2 for t, _ in best)
    a = sum((t - mean_t) * (s - mean_s) for t, s in best) / var_t if var_t else 0.0
    return a, mean_s - a * mean_t, n


def _intersect(vertical: tuple[float, float, int], horizontal: tuple[float, float, int]) -> Point:
    av, bv, _ = vertical  # x = av*y + bv
    ah, bh, _ = horizontal  # y = ah*x + bh
    y = (ah * bv + bh) / (1 - ah * av)
    return (av * y + bv, y)


def _plausible(quad: Quad, fits: list[tuple[float, float, int]], size: tuple[int, int]) -> bool:
    """Say whether a quad can be a page: inside the frame, big, well supported, not too skewed."""
    width, height = size
    slack = 0.01 * max(size)
    if any(not (-slack <= x <= width + slack and -slack <= y <= height + slack) for x, y in quad):
        return False
    quad_w, quad_h = quad_size(quad)
    if quad_w * quad_h < 0.15 * width * height:
        return False
    for (_, _, inliers), length in zip(fits, (quad_h, quad_h, quad_w, quad_w), strict=True):
        if inliers < 0.45 * length:
            return False
    tl, tr, br, bl = quad
    ratios = (math.dist(tl, tr) / math.dist(bl, br), math.dist(tl, bl) / math.dist(tr, br))
    return all(0.6 < r < 1.67 for r in ratios)


def find_page(grey: Image.Image) -> Quad | None:
    """Return the page corners in `grey`'s pixels, or None when no plausible page is seen."""
    smooth = grey.filter(ImageFilter.GaussianBlur(1.0))
    fits = []
    for side in ("left", "right", "top", "bottom"):
        fit = _fit(_edge_points(smooth, side), vertical=side in ("left", "right"))
        if fit is None or abs(fit[0]) > 0.5:  # a side tilted past ~27° is not a page edge
            return None
        fits.append(fit)
    left, right, top, bottom = fits
    quad = (
        _intersect(left, top),
        _intersect(right, top),
        _intersect(right, bottom),
        _intersect(left, bottom),
    )
    return quad if _plausible(quad, fits, grey.size) else None


def detect_page(photo: Photo) -> Preview:
    """Detect the page in a checked photo; fall back to the whole frame when none is found."""
    small = decode_oriented(photo, "RGB", PREVIEW_SIDE)
    quad = find_page(small.convert("L"))
    width, height = photo.size
    scale_x, scale_y = width / small.width, height / small.height
    if quad is None:
        frame: Quad = (
            (0.0, 0.0),
            (float(width), 0.0),
            (float(width), float(height)),
            (0.0, float(height)),
        )
        corners, found = frame, False
    else:
        a, b, c, d = ((x * scale_x, y * scale_y) for x, y in quad)
        corners, found = (a, b, c, d), True
    out = io.BytesIO()
    small.save(out, "JPEG", quality=70)
    return Preview(corners, found, (width, height), small.size, out.getvalue())


def detect_corners(data: bytes) -> Preview:
    """Find the page outline in a photo for the capture screen to draw and let the officer adjust.

    :param data: the photo's bytes (JPEG, PNG or WebP)
    :raises UnreadableImage: the photo cannot be read
    :raises ImageTooLarge: the photo has more pixels than allowed
    """
    return detect_page(open_photo(data))
