import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps

from scan.decode import MAX_PIXELS, decode, decode_oriented, open_photo
from scan.errors import ImageTooLarge, UnreadableImage


def _jpeg_with_orientation(image: Image.Image, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif)
    return out.getvalue()


def _marked(size=(64, 40)) -> Image.Image:
    image = Image.new("RGB", size, (255, 255, 255))
    image.paste((0, 0, 0), (4, 4, 14, 12))  # a black mark near the raw top-left corner
    return image


@pytest.mark.parametrize("orientation", range(1, 9))
def test_to_raw_matches_pillow_exif_transpose(orientation):
    data = _jpeg_with_orientation(_marked(), orientation)
    photo = open_photo(data)
    shown = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    assert photo.size == shown.size
    dark = shown.convert("L").point(lambda v: 255 if v < 128 else 0).getbbox()
    centre = ((dark[0] + dark[2]) / 2, (dark[1] + dark[3]) / 2)
    raw_x, raw_y = photo.to_raw(centre)
    assert abs(raw_x - 9) <= 1.5 and abs(raw_y - 8) <= 1.5


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_decode_oriented_shows_the_photo_upright_and_small(orientation):
    data = _jpeg_with_orientation(_marked((640, 400)), orientation)
    small = decode_oriented(open_photo(data), "RGB", 100)
    shown = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    assert max(small.size) <= 100
    assert (small.width > small.height) == (shown.width > shown.height)


def test_decode_uses_jpeg_scaling_for_small_requests():
    photo = open_photo(_jpeg_with_orientation(_marked((800, 600)), 1))
    assert decode(photo, "L", (200, 150)).size == (200, 150)
    assert decode(photo, "RGB").size == (800, 600)


@pytest.mark.parametrize(
    "data",
    [b"", b"hello, not an image", b"\xff\xd8\xff\xe0garbage", b"GIF89a" + bytes(40)],
    ids=["empty", "text", "broken-jpeg", "gif-header"],
)
def test_unreadable_files_are_refused_with_a_clear_error(data):
    with pytest.raises(UnreadableImage) as caught:
        open_photo(data)
    assert caught.value.code == "unreadable_image"
    assert "Không đọc được ảnh" in caught.value.message_vi


def test_truncated_jpeg_is_refused_when_decoding():
    whole = _jpeg_with_orientation(Image.effect_noise((400, 300), 60).convert("RGB"), 1)
    photo = open_photo(whole[: len(whole) // 2])
    with pytest.raises(UnreadableImage):
        decode(photo, "L")


def test_gif_is_not_a_supported_photo():
    out = io.BytesIO()
    Image.new("P", (40, 40)).save(out, "GIF")
    with pytest.raises(UnreadableImage):
        open_photo(out.getvalue())


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(bytes(1 + width))  # one row: the rest would be the bomb
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat)


@pytest.mark.parametrize("side", [9000, 20000])
def test_decompression_bombs_are_refused_before_decoding(side):
    assert side * side > MAX_PIXELS
    with pytest.raises(ImageTooLarge) as caught:
        open_photo(_png_header(side, side))
    assert "quá lớn" in caught.value.message_vi


def test_png_and_webp_open_with_their_size():
    for fmt in ("PNG", "WEBP"):
        out = io.BytesIO()
        Image.new("RGB", (120, 90), (200, 200, 200)).save(out, fmt)
        photo = open_photo(out.getvalue())
        assert (photo.format, photo.size) == (fmt, (120, 90))


@given(st.binary(max_size=300))
@settings(max_examples=150, deadline=None)
def test_random_bytes_never_crash_only_refuse(data):
    try:
        photo = open_photo(data)
        image = decode(photo, "L")
    except (UnreadableImage, ImageTooLarge):
        return
    assert image.mode == "L" and image.size == photo.raw_size


@given(st.integers(min_value=10, max_value=2000))
@settings(max_examples=20, deadline=None)
def test_any_cut_of_a_jpeg_is_read_whole_or_refused(cut):
    whole = _jpeg_with_orientation(_marked((120, 90)), 6)
    try:
        image = decode(open_photo(whole[:cut]), "RGB")
    except (UnreadableImage, ImageTooLarge):
        return
    assert image.size == (120, 90)
