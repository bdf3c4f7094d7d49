"""Quality verdicts on a page, each with a sentence the officer understands (Vietnamese first)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageStat

__all__ = [
    "BLUR_LIMIT",
    "Verdict",
    "check_blur",
    "check_dark",
    "check_duplicate",
    "check_glare",
    "check_page_found",
    "check_resolution",
    "fingerprint",
]

BLUR_LIMIT = 300.0  # Laplacian variance at 100 dpi; sharp pages give >1000, σ 4 blur ~100
GLARE_LIMIT = 0.005  # share of the page washed out to white
DARK_LIMIT = 70  # median brightness (0-255) of the unflattened page
READABLE_DPI = 150  # 10 pt notes still read with 0 % CER at 150 dpi in 1-bit
DUPLICATE_BITS = 4  # dHash-64 distance: re-shots measured 3 bits; only ever a warning
_LAPLACIAN = ImageFilter.Kernel((3, 3), (0, 1, 0, 1, -4, 1, 0, 1, 0), scale=1, offset=128)


@dataclass(frozen=True)
class Verdict:
    """One quality check's outcome."""

    code: str
    ok: bool
    message_vi: str
    message_en: str

    def to_dict(self) -> dict[str, object]:
        """Return the verdict as the JSON object the UI and the CLI show."""
        return {
            "code": self.code,
            "ok": self.ok,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
        }


def check_page_found(found: bool, given: bool) -> Verdict:
    """Say whether the page outline was found, given by the officer, or replaced by the frame."""
    if given:
        return Verdict(
            "page_found", True, "Dùng góc trang do cán bộ chỉnh.", "Corners set by hand."
        )
    if found:
        return Verdict("page_found", True, "Đã tìm thấy mép trang.", "Page outline found.")
    return Verdict(
        "page_found",
        False,
        "Không tìm thấy mép trang: dùng cả khung ảnh và chỉnh nghiêng. Hãy kéo các góc nếu cần.",
        "No page outline found: using the whole frame, deskewed. Drag the corners if needed.",
    )


def check_blur(grey: Image.Image, dpi: float) -> tuple[Verdict, float]:
    """Judge sharpness by the Laplacian variance of the page reduced to ~100 dpi."""
    factor = max(1, round(dpi / 100))
    small = grey.reduce(factor) if factor > 1 else grey
    variance = ImageStat.Stat(small.filter(_LAPLACIAN)).var[0]
    if variance >= BLUR_LIMIT:
        return Verdict("blur", True, "Ảnh đủ nét.", "Sharp enough."), variance
    return (
        Verdict(
            "blur",
            False,
            "Ảnh bị mờ: hãy giữ máy chắc tay và chụp lại.",
            "The photo is blurred: hold the device steady and retake it.",
        ),
        variance,
    )


def check_glare(grey: Image.Image, inside: Image.Image | None = None) -> tuple[Verdict, float]:
    """Flag washed-out paper: pixels >= max(248, 1.15 x the median) over more than 0.5 %.

    :param grey: the rectified page before flattening
    :param inside: a mask of the pixels that come from the photo (None: all of them)
    """
    histogram = grey.histogram(mask=inside)
    total = sum(histogram)
    median, seen = 0, 0
    for level, count in enumerate(histogram):
        seen += count
        if seen * 2 >= total:
            median = level
            break
    limit = min(255, max(248, round(1.15 * median)))
    share = sum(histogram[limit:]) / total
    if share <= GLARE_LIMIT:
        return Verdict("glare", True, "Không bị lóa.", "No glare."), share
    return (
        Verdict(
            "glare",
            False,
            "Ảnh bị lóa sáng: nghiêng giấy hoặc tắt đèn flash rồi chụp lại.",
            "Glare on the page: tilt the paper or turn off the flash and retake it.",
        ),
        share,
    )


def check_dark(grey: Image.Image, inside: Image.Image | None = None) -> tuple[Verdict, float]:
    """Flag a page whose paper is too dark to read well (median of the unflattened page)."""
    median = ImageStat.Stat(grey, inside).median[0]
    if median >= DARK_LIMIT:
        return Verdict("dark", True, "Đủ ánh sáng.", "Light is sufficient."), median
    return (
        Verdict(
            "dark",
            False,
            "Ảnh quá tối: bật thêm đèn hoặc chụp ở chỗ sáng hơn.",
            "The photo is too dark: add light or move somewhere brighter.",
        ),
        median,
    )


def check_resolution(available_dpi: float, asked_dpi: int, used_dpi: int) -> Verdict:
    """Say whether the photo holds enough pixels for the dpi asked, and for readable text."""
    if available_dpi < READABLE_DPI:
        return Verdict(
            "resolution",
            False,
            f"Ảnh chỉ đủ {available_dpi:.0f} dpi, quá thấp để đọc chữ: hãy chụp gần hơn.",
            f"The photo holds only {available_dpi:.0f} dpi, too low to read text: move closer.",
        )
    if used_dpi < asked_dpi:
        return Verdict(
            "resolution",
            True,
            f"Ảnh chỉ đủ {used_dpi} dpi (yêu cầu {asked_dpi}); trang được lưu ở {used_dpi} dpi.",
            f"The photo holds only {used_dpi} dpi ({asked_dpi} asked); kept at {used_dpi} dpi.",
        )
    return Verdict(
        "resolution", True, f"Độ phân giải {used_dpi} dpi.", f"Resolution {used_dpi} dpi."
    )


def fingerprint(grey: Image.Image) -> str:
    """Return a 64-bit difference hash (16 hex digits) of a flattened page."""
    cells = grey.resize((9, 8), Image.Resampling.BOX).tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = bits << 1 | (cells[row * 9 + col] > cells[row * 9 + col + 1])
    return f"{bits:016x}"


def check_duplicate(hash_hex: str, known: Iterable[str]) -> Verdict:
    """Warn when the page looks like one already captured (hashes can only warn, never refuse)."""
    value = int(hash_hex, 16)
    for other in known:
        if bin(value ^ int(other, 16)).count("1") <= DUPLICATE_BITS:
            return Verdict(
                "duplicate",
                False,
                "Trang này giống một trang đã chụp trong hồ sơ: kiểm tra để tránh chụp trùng.",
                "This page looks like one already captured for the dossier: check for a duplicate.",
            )
    return Verdict("duplicate", True, "Không trùng trang đã chụp.", "Not a duplicate.")
