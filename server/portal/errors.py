"""Errors a citizen can meet in the portal, each with a Vietnamese message first.

::

    PortalError                (core.errors.SohoaError)
    ├── LookupFailed           wrong code or digits (one answer for both: probing reveals nothing)
    ├── TooManyLookups         the rate limit for this client or dossier code is spent
    ├── PhotoTooLarge          the file is bigger than a phone photo needs to be
    ├── NotAPhoto              the file is not a JPEG, PNG or WebP photo
    ├── RetakePhoto            the photo is blurred, dark or washed out; the verdicts say why
    ├── NotAllowedNow          the dossier's status does not allow this step now
    └── UnknownPreApplication  no pre-application with that code
"""

from __future__ import annotations

from core.errors import SohoaError

__all__ = [
    "LookupFailed",
    "NotAPhoto",
    "NotAllowedNow",
    "PhotoTooLarge",
    "PortalError",
    "RetakePhoto",
    "TooManyLookups",
    "UnknownPreApplication",
]


class PortalError(SohoaError):
    """Base of every error the citizen portal shows."""

    code = "portal_error"


class LookupFailed(PortalError):
    """The code and digits do not name a dossier together."""

    code = "lookup_failed"

    def __init__(self) -> None:
        super().__init__(
            "Không tìm thấy hồ sơ: kiểm tra lại mã hồ sơ và các số cuối CCCD hoặc điện thoại",
            "No dossier found: check the dossier code and the last digits of the CCCD or phone",
        )


class TooManyLookups(PortalError):
    """Too many lookups from this client, or too many failures for this code."""

    code = "too_many_lookups"

    def __init__(self, retry_after_seconds: int):
        self.retry_after_seconds = retry_after_seconds
        minutes = max(1, round(retry_after_seconds / 60))
        super().__init__(
            f"Tra cứu quá nhiều lần. Vui lòng thử lại sau {minutes} phút",
            f"Too many lookups. Please try again in {minutes} min",
        )


class PhotoTooLarge(PortalError):
    """The file exceeds the size limit of one photo."""

    code = "photo_too_large"

    def __init__(self, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(
            f"Tệp quá lớn ({size / 1e6:.1f} MB, tối đa {limit / 1e6:.0f} MB)",
            f"The file is too large ({size / 1e6:.1f} MB, at most {limit / 1e6:.0f} MB)",
        )


class NotAPhoto(PortalError):
    """The file is not a photo the scan pipeline can read."""

    code = "not_a_photo"

    def __init__(self) -> None:
        super().__init__(
            "Tệp không phải ảnh chụp (chỉ nhận JPEG, PNG hoặc WebP)",
            "The file is not a photo (only JPEG, PNG or WebP are accepted)",
        )


class RetakePhoto(PortalError):
    """The photo failed a quality check; `verdicts` hold every failed check."""

    code = "retake_photo"

    def __init__(self, verdicts: list[dict]):
        self.verdicts = verdicts
        super().__init__(
            "Ảnh chưa đạt, vui lòng chụp lại: " + "; ".join(v["message_vi"] for v in verdicts),
            "Please retake the photo: " + "; ".join(v["message_en"] for v in verdicts),
        )


class NotAllowedNow(PortalError):
    """The dossier's status does not allow the step."""

    code = "not_allowed_now"


class UnknownPreApplication(PortalError):
    """No pre-application has this code (or it has expired)."""

    code = "unknown_preapplication"

    def __init__(self) -> None:
        super().__init__("Không có hồ sơ nộp trước với mã này", "No pre-application with this code")
