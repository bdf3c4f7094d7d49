from PIL import Image, ImageChops, ImageDraw

from scan.mrc import chroma, decode_g4, encode_g4, mrc_page
from scan.pdf import read_page
from scan.render import render_page


def _text_page(seal: bool) -> tuple[Image.Image, Image.Image]:
    grey = Image.new("L", (800, 1100), 255)
    draw = ImageDraw.Draw(grey)
    for row in range(100, 700, 50):
        draw.rectangle((80, row, 700, row + 12), fill=10)
    colour = grey.resize((267, 367)).convert("RGB")
    if seal:
        ImageDraw.Draw(colour).ellipse((150, 250, 230, 330), outline=(210, 30, 40), width=6)
    return grey, colour


def test_g4_round_trip_is_lossless():
    ink = Image.new("1", (333, 217), 0)
    ImageDraw.Draw(ink).text((10, 10), "Số 031095001234", fill=1)
    ImageDraw.Draw(ink).ellipse((100, 80, 300, 200), outline=1, width=3)
    decoded = decode_g4(encode_g4(ink), *ink.size)
    painted = decoded.convert("L").point(lambda v: 255 - v).convert("1")
    assert ImageChops.difference(painted.convert("L"), ink.convert("L")).getbbox() is None


def test_a_page_without_colour_is_the_g4_mask_alone():
    grey, colour = _text_page(seal=False)
    layers = read_page(mrc_page(grey, colour, 100)).images
    assert len(layers) == 1 and b"/ImageMask true" in layers[0].entries


def test_a_seal_keeps_its_colour_and_the_text_stays_black():
    grey, colour = _text_page(seal=True)
    blob = mrc_page(grey, colour, 100)
    assert len(read_page(blob).images) == 2
    shown = render_page(blob)
    red, green, _ = shown.getpixel((459, 869))  # on the seal's ring (colour layer x3)
    assert red > 150 and green < 110
    assert shown.getpixel((300, 106)) == (0, 0, 0)


def test_chroma_is_zero_for_grey_and_high_for_red():
    image = Image.new("RGB", (2, 1))
    image.putpixel((0, 0), (128, 128, 128))
    image.putpixel((1, 0), (220, 30, 40))
    assert chroma(image).getpixel((0, 0)) == 0 and chroma(image).getpixel((1, 0)) == 190
