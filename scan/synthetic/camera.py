"""Photograph a clean page onto a desk: rotation, keystone, shading, cast, blur, noise, glare."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from scan.geometry import Quad, homography

__all__ = ["Scene", "SyntheticPhoto", "photograph"]


@dataclass(frozen=True)
class Scene:
    """How the page is photographed (sizes are of the displayed photo)."""

    frame: tuple[int, int] = (3000, 4000)
    fill: float = 0.86
    rotation: float = 4.0
    keystone: float = 0.05
    offset: tuple[float, float] = (0.01, -0.01)
    shading: bool = True
    cast: tuple[float, float, float] = (1.0, 0.94, 0.84)
    blur: float = 1.2
    noise: float = 4.0
    glare: bool = False
    brightness: float = 1.0
    orientation: int = 6
    quality: int = 90
    seed: int = 7


@dataclass(frozen=True)
class SyntheticPhoto:
    """A synthetic photo (encoded bytes) with its true page corners and the page's known text."""

    data: bytes
    corners: Quad
    text: dict[str, str] = field(default_factory=dict)


def _page_quad(scene: Scene, aspect: float) -> Quad:
    frame_w, frame_h = scene.frame
    page_h = scene.fill * min(frame_h, frame_w * aspect)
    page_w = page_h / aspect
    cx = frame_w * (0.5 + scene.offset[0])
    cy = frame_h * (0.5 + scene.offset[1])
    inset = page_w * scene.keystone / 2  # the far (top) edge looks shorter: camera tilted
    upright = (
        (cx - page_w / 2 + inset, cy - page_h / 2),
        (cx + page_w / 2 - inset, cy - page_h / 2),
        (cx + page_w / 2, cy + page_h / 2),
        (cx - page_w / 2, cy + page_h / 2),
    )
    return _turn(upright, scene.rotation, (cx, cy))


def _turn(points: Quad, degrees: float, centre: tuple[float, float]) -> Quad:
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    cx, cy = centre
    a, b, c, d = (
        (cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos)
        for x, y in points
    )
    return (a, b, c, d)


def _noise(size: tuple[int, int], sigma: float, rng: random.Random) -> Image.Image:
    """Return Gaussian noise around 128, tiled from a seeded tile (effect_noise is unseeded)."""
    tile = Image.frombytes(
        "L", (256, 256), bytes(max(0, min(255, round(rng.gauss(128, sigma)))) for _ in range(65536))
    )
    noise = Image.new("L", size)
    for top in range(0, size[1], 256):
        for left in range(0, size[0], 256):
            noise.paste(tile, (left, top))
    return noise


def _desk(size: tuple[int, int], rng: random.Random) -> Image.Image:
    small = (max(8, size[0] // 8), max(8, size[1] // 8))
    grain = _noise(small, 40, rng).filter(ImageFilter.GaussianBlur(1.5))
    grain = grain.resize((small[0], max(1, small[1] // 6))).resize(small)  # wood-like streaks
    base = Image.merge(
        "RGB",
        [grain.point(lambda v, k=k: int(v * k)) for k in (0.55 + rng.random() * 0.1, 0.38, 0.27)],
    )
    return base.resize(size, Image.Resampling.BILINEAR)


def _lighting(scene: Scene, quad: Quad) -> Image.Image:
    frame_w, frame_h = scene.frame
    small = (frame_w // 8, frame_h // 8)
    light = Image.linear_gradient("L").rotate(90).resize(small).point(lambda v: 255 - v * 95 // 255)
    shadow = Image.new("L", small, 255)
    tl, _, _, bl = quad
    draw = ImageDraw.Draw(shadow)
    draw.polygon(
        [
            (tl[0] / 8 - 40, tl[1] / 8),
            (tl[0] / 8 + small[0] * 0.35, tl[1] / 8),
            (bl[0] / 8 + small[0] * 0.15, bl[1] / 8),
            (bl[0] / 8 - 40, bl[1] / 8),
        ],
        fill=150,
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(small[0] / 40))
    return ImageChops.multiply(light, shadow).resize(scene.frame, Image.Resampling.BILINEAR)


def _glare(scene: Scene, quad: Quad) -> Image.Image:
    frame_w, frame_h = scene.frame
    small = (frame_w // 8, frame_h // 8)
    spot = Image.new("L", small, 0)
    cx = (quad[0][0] + quad[2][0]) / 16
    cy = (quad[0][1] * 0.6 + quad[2][1] * 0.4) / 8
    rx, ry = small[0] * 0.09, small[1] * 0.05
    ImageDraw.Draw(spot).ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=255)
    spot = spot.filter(ImageFilter.GaussianBlur(rx / 3)).point(lambda v: min(255, v * 2))
    return spot.resize(scene.frame, Image.Resampling.BILINEAR)


def photograph(page: Image.Image, text: dict[str, str], scene: Scene = Scene()) -> SyntheticPhoto:
    """Photograph a clean page onto a desk as `scene` describes and encode it as a JPEG."""
    rng = random.Random(scene.seed)
    quad = _page_quad(scene, page.height / page.width)
    frame_to_page = homography(
        quad, ((0, 0), (page.width, 0), (page.width, page.height), (0, page.height))
    )
    warp = (scene.frame, Image.Transform.PERSPECTIVE, frame_to_page, Image.Resampling.BILINEAR)
    photo = _desk(scene.frame, rng)
    photo.paste(page.transform(*warp), (0, 0), Image.new("L", page.size, 255).transform(*warp))
    if scene.shading:
        photo = ImageChops.multiply(photo, _lighting(scene, quad).convert("RGB"))
    if scene.cast != (1.0, 1.0, 1.0) or scene.brightness != 1.0:
        channels = [
            c.point(lambda v, f=f * scene.brightness: min(255, int(v * f)))
            for c, f in zip(photo.split(), scene.cast, strict=True)
        ]
        photo = Image.merge("RGB", channels)
    if scene.glare:
        photo = ImageChops.add(photo, _glare(scene, quad).convert("RGB"))
    if scene.blur:
        photo = photo.filter(ImageFilter.GaussianBlur(scene.blur))
    if scene.noise:
        noise = _noise(scene.frame, scene.noise, rng).convert("RGB")
        photo = ImageChops.add(photo, noise, scale=1.0, offset=-128)
    raw = photo.transpose(_UNDO[scene.orientation]) if scene.orientation in _UNDO else photo
    exif = Image.Exif()
    exif[0x0112] = scene.orientation
    out = io.BytesIO()
    raw.save(out, "JPEG", quality=scene.quality, exif=exif)
    return SyntheticPhoto(out.getvalue(), quad, text)


# The transposition that stores a displayed photo so EXIF orientation N displays it again.
_UNDO = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}
