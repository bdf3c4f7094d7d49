"""One phone photo in, one clean page out: detect, rectify, flatten, deskew, encode, check."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from PIL import Image, ImageDraw

from scan import quality
from scan.decode import Photo, decode, open_photo
from scan.detect import detect_page
from scan.enhance import flatten, skew_angle
from scan.errors import BadOption
from scan.geometry import Quad, check_quad, perspective_coeffs, quad_size, rotated_quad
from scan.mrc import CHROMA_LIMIT, chroma, mrc_page
from scan.result import PageResult, StepClock

__all__ = ["MODES", "process_photo"]

MODES = ("auto", "text", "color", "idcard", "photo")
A4_MM = (210.0, 297.0)
CARD_MM = (85.6, 54.0)
CARD_DPI = 300
DPI_RANGE = (100, 600)
_JPEG_QUALITY = {"color": 60, "photo": 70, "idcard": 75}
_COLOUR_DOCUMENT_SHARE = 0.06  # coloured pixels; a text form with a seal measures ~1 %
_PHOTO_WHITE_SHARE = 0.55  # below this share of white paper (coarse flattening) it is a photo


def _contain(size: tuple[int, int], aspect: float) -> Quad:
    """Grow the whole frame to the page's aspect ratio, so it fits the page without distortion."""
    width, height = size
    if height / width < aspect:
        pad = (width * aspect - height) / 2
        return ((0.0, -pad), (width, -pad), (width, height + pad), (0.0, height + pad))
    pad = (height / aspect - width) / 2
    return ((-pad, 0.0), (width + pad, 0.0), (width + pad, height), (-pad, height))


def _warp(photo: Photo, quad: Quad, size: tuple[int, int], mode: str) -> Image.Image:
    """Rectify `quad` of the displayed photo onto an upright `size` image, decoding no more
    pixels than the output needs (JPEG DCT scaling, else an integer reduce first)."""
    quad_w, quad_h = quad_size(quad)
    scale = min(1.0, max(size[0] / quad_w, size[1] / quad_h))
    raw_w, raw_h = photo.raw_size
    source = decode(photo, mode, (max(1, int(raw_w * scale)), max(1, int(raw_h * scale))))
    factor = int(min(source.width / (raw_w * scale), source.height / (raw_h * scale)))
    if factor >= 2:
        source = source.reduce(factor)
    white = 255 if mode == "L" else (255, 255, 255)
    coeffs = _coeffs(photo, quad, size, source.size)
    return source.transform(
        size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR, fillcolor=white
    )


def _coeffs(
    photo: Photo, quad: Quad, size: tuple[int, int], source: tuple[int, int]
) -> tuple[float, ...]:
    """Return the warp from an upright `size` page to `quad` in a decoded copy of `source` size."""
    fx, fy = source[0] / photo.raw_size[0], source[1] / photo.raw_size[1]
    a, b, c, d = ((x * fx, y * fy) for x, y in map(photo.to_raw, quad))
    return perspective_coeffs(size, (a, b, c, d))


def _coverage(photo: Photo, quad: Quad, size: tuple[int, int]) -> Image.Image:
    """Return a mask of the page pixels that come from the photo (not the padding around it)."""
    scale = max(size) / max(photo.raw_size)
    source = (max(1, round(photo.raw_size[0] * scale)), max(1, round(photo.raw_size[1] * scale)))
    inside = Image.new("L", source, 255)
    coeffs = _coeffs(photo, quad, size, source)
    return inside.transform(size, Image.Transform.PERSPECTIVE, coeffs, fillcolor=0)


def _clear_border(page: Image.Image, dpi: float) -> None:
    """Paint a 1 mm white border: the warp's edge pixels hold slivers of desk, not paper."""
    width = max(1, round(dpi / 25.4))
    white = 255 if page.mode == "L" else (255, 255, 255)
    ImageDraw.Draw(page).rectangle(
        (0, 0, page.width - 1, page.height - 1), outline=white, width=width
    )


def _pixels(mm: tuple[float, float], dpi: float) -> tuple[int, int]:
    return round(mm[0] / 25.4 * dpi), round(mm[1] / 25.4 * dpi)


def _choose_mode(
    overview: Image.Image, flat_overview: Image.Image, overview_dpi: float, card_like: bool
) -> str:
    """Pick the output mode of a page from its colour overview, as shot and flattened."""
    if card_like:
        return "idcard"
    total = overview.width * overview.height
    # Against a coarse (4 dpi) paper estimate a photo print stays mostly non-white, while text
    # and certificates are >70 % white paper even with shadows: 0.42 vs 0.73+ on synthetic pages.
    coarse = flatten(overview.convert("L"), overview_dpi, background_dpi=4).histogram()
    if sum(coarse[230:]) / total < _PHOTO_WHITE_SHARE:
        return "photo"
    coloured = (
        chroma(flat_overview).point(lambda v: 255 if v > CHROMA_LIMIT else 0).histogram()[255]
    )
    return "color" if coloured / total > _COLOUR_DOCUMENT_SHARE else "text"


def _encode_jpeg(image: Image.Image, mode: str, dpi: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=_JPEG_QUALITY[mode], optimize=True, dpi=(dpi, dpi))
    return out.getvalue()


def _check_options(mode: str, dpi: int) -> None:
    if mode not in MODES:
        raise BadOption("mode", mode, ", ".join(MODES))
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not DPI_RANGE[0] <= dpi <= DPI_RANGE[1]:
        raise BadOption("dpi", dpi, f"{DPI_RANGE[0]}–{DPI_RANGE[1]}")


@dataclass(frozen=True)
class _Frame:
    """What the output page is: its physical size, the photo area it comes from, its dpi."""

    is_card: bool
    mm: tuple[float, float]
    source: Quad
    asked: int
    available: float
    used: int


def _frame(photo: Photo, quad: Quad, found: bool, mode: str, dpi: int) -> _Frame:
    """Decide the page's size and dpi from the outline, the mode asked and the pixels at hand."""
    quad_w, quad_h = quad_size(quad)
    card_aspect = CARD_MM[0] / CARD_MM[1]
    card_like = found and abs(max(quad_w, quad_h) / min(quad_w, quad_h) - card_aspect) < 0.08
    is_card = mode == "idcard" or (mode == "auto" and card_like)
    mm = CARD_MM if is_card else A4_MM
    mm = (max(mm), min(mm)) if quad_w > quad_h else (min(mm), max(mm))
    asked = CARD_DPI if is_card else dpi
    source = quad if found else _contain(photo.size, mm[1] / mm[0])
    source_w, source_h = quad_size(source)
    available = min(source_w / mm[0], source_h / mm[1]) * 25.4
    used = max(DPI_RANGE[0] // 2, min(asked, int(available)))  # never upsample
    return _Frame(is_card, mm, source, asked, available, used)


def _render(
    photo: Photo, frame: _Frame, mode: str, colour_layer: Image.Image, clock: StepClock
) -> tuple[bytes, str, Image.Image]:
    """Warp, clean and encode the final page; return its bytes, media type and a grey copy."""
    size = _pixels(frame.mm, frame.used)
    if mode == "text":
        grey = _warp(photo, frame.source, size, "L")
        clock.lap("warp")
        grey = flatten(grey, frame.used)
        _clear_border(grey, frame.used)
        clock.lap("flatten")
        return mrc_page(grey, colour_layer, frame.used), "application/pdf", grey
    rgb = _warp(photo, frame.source, size, "RGB")
    clock.lap("warp")
    if mode == "color":
        rgb = flatten(rgb, frame.used, white=0.92, black=0.04)
        _clear_border(rgb, frame.used)
        clock.lap("flatten")
    return _encode_jpeg(rgb, mode, frame.used), "image/jpeg", rgb.convert("L")


def process_photo(
    data: bytes,
    *,
    mode: str = "auto",
    dpi: int = 200,
    corners: Sequence[Sequence[float]] | None = None,
    known_hashes: Iterable[str] = (),
) -> PageResult:
    """Turn one photo of a paper component into a clean page with quality verdicts.

    :param data: the photo's bytes (JPEG, PNG or WebP; EXIF orientation is honoured)
    :param mode: "auto", "text" (MRC-lite PDF page), "color", "idcard" or "photo" (JPEG)
    :param dpi: the resolution asked for A4 pages; never exceeded by upsampling
    :param corners: four (x, y) page corners in the displayed photo, e.g. moved by the officer;
        None detects them
    :param known_hashes: fingerprints of pages already captured for the dossier
    :raises UnreadableImage: the photo is corrupt, truncated, or not JPEG/PNG/WebP
    :raises ImageTooLarge: the photo has more pixels than any phone camera makes
    :raises BadCorners: `corners` cannot outline a page
    :raises BadOption: unknown `mode` or `dpi` out of range
    """
    _check_options(mode, dpi)
    clock = StepClock()
    photo = open_photo(data)
    clock.lap("open")
    if corners is None:
        preview = detect_page(photo)
        quad, found, given = preview.corners, preview.found, False
    else:
        quad, found, given = check_quad(corners, photo.size), True, True
    clock.lap("detect")
    frame = _frame(photo, quad, found, mode, dpi)

    # A third-resolution colour overview serves the skew estimate, the auto mode, the colour
    # layer of text pages and the lighting checks, for ~10 % of the full page's cost.
    overview_dpi = frame.used / 3
    overview = _warp(photo, frame.source, _pixels(frame.mm, overview_dpi), "RGB")
    clock.lap("overview")
    if not frame.is_card:
        angle = skew_angle(flatten(overview.convert("L"), overview_dpi), 2.0 if found else 5.0)
        if abs(angle) >= 0.2:
            turned = rotated_quad(perspective_coeffs(frame.mm, frame.source), frame.mm, angle)
            frame = replace(frame, source=turned)
            overview = _warp(photo, frame.source, overview.size, "RGB")
        clock.lap("deskew")
    flat_overview = flatten(overview, overview_dpi)
    flat_overview_grey = flat_overview.convert("L")
    if mode == "auto":
        mode = _choose_mode(overview, flat_overview, overview_dpi, frame.is_card)
    image, media_type, page_grey = _render(photo, frame, mode, flat_overview, clock)
    clock.lap("encode")

    hash_hex = quality.fingerprint(flat_overview_grey)
    lighting = overview.convert("L")
    inside = None if found else _coverage(photo, frame.source, overview.size)
    blur, sharpness = quality.check_blur(page_grey, frame.used)
    glare, glare_share = quality.check_glare(lighting, inside)
    dark, paper_median = quality.check_dark(lighting, inside)
    verdicts = (
        quality.check_page_found(found, given),
        blur,
        glare,
        dark,
        quality.check_resolution(frame.available, frame.asked, frame.used),
        quality.check_duplicate(hash_hex, known_hashes),
    )
    # The raw figures behind the verdicts, to calibrate the limits on real devices' photos.
    figures = {
        "laplacian_variance": round(sharpness, 1),
        "glare_share": round(glare_share, 5),
        "paper_median": paper_median,
        "available_dpi": round(frame.available, 1),
    }
    clock.lap("checks")
    return PageResult(
        image=image,
        media_type=media_type,
        mode=mode,
        dpi=frame.used,
        width=page_grey.width,
        height=page_grey.height,
        corners=quad,
        corners_found=found,
        sha256=hashlib.sha256(image).hexdigest(),
        fingerprint=hash_hex,
        quality=tuple(v.to_dict() for v in verdicts),
        figures=figures,
        timings=clock.timings,
    )
