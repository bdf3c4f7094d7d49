"""Photo to clean, small, readable A4 pages, with Pillow and the stdlib only.

>>> preview = detect_corners(photo_bytes)            # fast: corners for the capture screen
>>> page = process_photo(photo_bytes, corners=preview.corners)
>>> pdf = build_pdf([page], dossier_code="H31.39-251127-0042", procedure_code="1.001193")
"""

from __future__ import annotations

from scan.detect import Preview, detect_corners
from scan.document import QR_BOX_MM, build_pdf
from scan.errors import (
    BadCorners,
    BadOption,
    ImageTooLarge,
    NotAPage,
    ScanError,
    UnreadableImage,
)
from scan.pipeline import MODES, process_photo
from scan.render import render_page, thumbnail
from scan.result import PageResult

__all__ = [
    "MODES",
    "QR_BOX_MM",
    "BadCorners",
    "BadOption",
    "ImageTooLarge",
    "NotAPage",
    "PageResult",
    "Preview",
    "ScanError",
    "UnreadableImage",
    "build_pdf",
    "detect_corners",
    "process_photo",
    "render_page",
    "thumbnail",
]
