"""Synthetic phone photos of Vietnamese documents with known text and true page corners.

Tests and bench/scan.py use these scenes as ground truth: a clean page is drawn with DejaVu Sans
(:mod:`.pages`), then "photographed" onto a desk (:mod:`.camera`) with rotation, keystone, shading,
a colour cast, blur, noise, optional glare and darkness, and an EXIF orientation.
"""

from __future__ import annotations

from scan.synthetic.camera import Scene, SyntheticPhoto, photograph
from scan.synthetic.pages import (
    A4_MM,
    CARD_MM,
    draw_card,
    draw_certificate,
    draw_form,
    draw_photo_print,
    font,
)

__all__ = [
    "A4_MM",
    "CARD_MM",
    "Scene",
    "SyntheticPhoto",
    "draw_card",
    "draw_certificate",
    "draw_form",
    "draw_photo_print",
    "font",
    "photograph",
]
