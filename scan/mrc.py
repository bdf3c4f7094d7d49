"""MRC-lite text pages: neutral ink as a 1-bit CCITT G4 mask over a small colour JPEG layer.

Seals and signatures keep their colour in the colour layer; the text stays crisp in the mask.
A page without colour is written as the G4 mask alone (~28 KB at 200 dpi).
"""

from __future__ import annotations

import io
import struct

from PIL import Image, ImageChops, ImageFilter

from scan.enhance import otsu
from scan.pdf import PdfPage, g4_mask, jpeg_image, write_pdf

__all__ = ["CHROMA_LIMIT", "chroma", "decode_g4", "encode_g4", "mrc_page"]

CHROMA_LIMIT = 60  # max-min of RGB above which a pixel is "coloured" (seal, signature, stamp)
_COLOUR_SHARE_MIN = 0.0005  # below this share of coloured pixels the colour layer is left out
_COLOUR_QUALITY = 50


def chroma(rgb: Image.Image) -> Image.Image:
    """Return max(R, G, B) - min(R, G, B) per pixel."""
    red, green, blue = rgb.split()
    brightest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    darkest = ImageChops.darker(ImageChops.darker(red, green), blue)
    return ImageChops.subtract(brightest, darkest)


def encode_g4(ink: Image.Image) -> bytes:
    """Return the CCITT G4 stream of a "1" image whose set pixels (1) are ink.

    libtiff's fax encoder writes set bits as black runs, which is what a PDF stencil mask with
    default parameters paints; one strip keeps the stream a single G4 image.
    """
    out = io.BytesIO()
    ink.save(out, "TIFF", compression="group4", tiffinfo={278: ink.height})
    tiff = Image.open(io.BytesIO(out.getvalue()))
    offset, length = tiff.tag_v2[273][0], tiff.tag_v2[279][0]
    return out.getvalue()[offset : offset + length]


def decode_g4(data: bytes, width: int, height: int) -> Image.Image:
    """Decode a CCITT G4 stream to a "1" image (ink 0, paper 255) via a minimal TIFF header."""
    tags = [
        (256, 4, width),
        (257, 4, height),
        (258, 3, 1),
        (259, 3, 4),  # compression: CCITT group 4
        (262, 3, 0),  # photometric: white is zero, i.e. black runs are ink
        (273, 4, 8 + 2 + 12 * 9 + 4),
        (277, 3, 1),
        (278, 4, height),
        (279, 4, len(data)),
    ]
    entries = b"".join(
        struct.pack("<HHII", tag, kind, 1, value)
        if kind == 4
        else struct.pack("<HHIHH", tag, kind, 1, value, 0)
        for tag, kind, value in tags
    )
    header = b"II*\x00" + struct.pack("<IH", 8, len(tags)) + entries + struct.pack("<I", 0)
    image = Image.open(io.BytesIO(header + data))
    image.load()
    return image


def mrc_page(grey: Image.Image, colour: Image.Image, dpi: float) -> bytes:
    """Encode a flattened page as a one-page MRC-lite PDF.

    :param grey: the flattened page at full resolution
    :param colour: the flattened page in colour at a lower resolution (about a third)
    :param dpi: the resolution of `grey`
    """
    coloured = chroma(colour).point(lambda v: 255 if v > CHROMA_LIMIT else 0)
    share = coloured.histogram()[255] / (colour.width * colour.height)
    level = otsu(grey)
    ink = grey.point(lambda v: 255 if v <= level else 0)
    images = []
    if share >= _COLOUR_SHARE_MIN:
        # Ink over a coloured area (seal, signature) goes to the colour layer, not the mask.
        near_colour = coloured.filter(ImageFilter.MaxFilter(3)).resize(
            grey.size, Image.Resampling.NEAREST
        )
        ink = ImageChops.subtract(ink, near_colour)
        knocked = ink.resize(colour.size, Image.Resampling.BOX).point(
            lambda v: 255 if v > 24 else 0
        )
        layer = Image.composite(Image.new("RGB", colour.size, (255, 255, 255)), colour, knocked)
        encoded = io.BytesIO()
        layer.save(encoded, "JPEG", quality=_COLOUR_QUALITY, optimize=True)
        images.append(jpeg_image(encoded.getvalue(), *colour.size))
    images.append(g4_mask(encode_g4(ink.convert("1", dither=Image.Dither.NONE)), *grey.size))
    width, height = grey.width * 72 / dpi, grey.height * 72 / dpi
    draw = b"%.2f 0 0 %.2f 0 0 cm" % (width, height)
    content = b"\n".join(
        (b"q %s /Im%d Do Q" if i < len(images) - 1 else b"q 0 g %s /Im%d Do Q") % (draw, i)
        for i in range(len(images))
    )
    return write_pdf([PdfPage(width, height, tuple(images), content)], {"Producer": "SoHoa scan"})
