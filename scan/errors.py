"""Errors of the scan pipeline: bad photos, bad options, and page blobs it did not write.

::

    ScanError                  (core.errors.SohoaError)
    ├── UnreadableImage        not an image, an unsupported format, or a corrupt/truncated file
    ├── ImageTooLarge          more pixels than a phone photo has (a decompression bomb)
    ├── BadCorners             corners that are not four points inside the photo, or not convex
    ├── BadOption              an unknown mode or a dpi outside what the pipeline supports
    └── NotAPage               bytes given to build_pdf/thumbnail that are not a scanned page
"""

from __future__ import annotations

from core.errors import SohoaError

__all__ = [
    "BadCorners",
    "BadOption",
    "ImageTooLarge",
    "NotAPage",
    "ScanError",
    "UnreadableImage",
]


class ScanError(SohoaError):
    """Base of every error the scan pipeline raises."""

    code = "scan_error"


class UnreadableImage(ScanError):
    """The bytes are not a JPEG, PNG or WebP photo that decodes completely."""

    code = "unreadable_image"

    def __init__(self, detail: str):
        self.detail = detail
        super().__init__(
            f"Không đọc được ảnh (tệp hỏng, bị cắt cụt hoặc không phải JPEG/PNG/WebP): {detail}",
            f"Cannot read the photo (corrupt, truncated, or not JPEG/PNG/WebP): {detail}",
        )


class ImageTooLarge(ScanError):
    """The image claims more pixels than any phone photo has."""

    code = "image_too_large"

    def __init__(self, pixels: int, limit: int):
        self.pixels = pixels
        self.limit = limit
        super().__init__(
            f"Ảnh quá lớn ({pixels / 1e6:.0f} triệu điểm ảnh, tối đa {limit / 1e6:.0f} triệu)",
            f"Image too large ({pixels / 1e6:.0f} MP, at most {limit / 1e6:.0f} MP)",
        )


class BadCorners(ScanError):
    """The corners given for a page cannot outline it."""

    code = "bad_corners"

    def __init__(self, detail_vi: str, detail_en: str):
        super().__init__(
            f"Góc trang không hợp lệ: {detail_vi}", f"Invalid page corners: {detail_en}"
        )


class BadOption(ScanError):
    """A scan option (mode, dpi) is outside what the pipeline supports."""

    code = "bad_scan_option"

    def __init__(self, name: str, value: object, allowed: str):
        self.name = name
        self.value = value
        super().__init__(
            f"Tuỳ chọn quét '{name}' không hợp lệ ({value!r}); cho phép: {allowed}",
            f"Scan option '{name}' is invalid ({value!r}); allowed: {allowed}",
        )


class NotAPage(ScanError):
    """Bytes handed over as a page were not written by this pipeline."""

    code = "not_a_page"

    def __init__(self, detail: str):
        self.detail = detail
        super().__init__(
            f"Dữ liệu không phải một trang đã quét: {detail}",
            f"Not a scanned page: {detail}",
        )
