"""Errors the officer app raises itself: bad form input, a locked screen, a missing dependency."""

from __future__ import annotations

from core.errors import SohoaError

__all__ = ["AppError", "FieldError", "ReceiptBlocked", "NotEnrolled"]


class AppError(SohoaError):
    """Base of the errors raised by app/."""

    code = "app_error"


class FieldError(AppError):
    """One form field holds a value that cannot be accepted; the typed text is kept."""

    code = "bad_field"

    def __init__(self, field: str, message_vi: str, message_en: str | None = None) -> None:
        self.field = field
        super().__init__(message_vi, message_en)


class ReceiptBlocked(AppError):
    """The dossier cannot be received yet: mandatory components or applicant fields are missing."""

    code = "receipt_blocked"

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        joined = ", ".join(missing)
        super().__init__(
            f"Chưa thể tiếp nhận, còn thiếu: {joined}", f"Cannot receive yet, missing: {joined}"
        )


class NotEnrolled(AppError):
    """This device has no vault yet: it must be enrolled with the city server first."""

    code = "not_enrolled"
