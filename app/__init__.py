"""The officer app (Flet): the only code that touches a Flet page.

``app.state`` holds each screen's plain-Python state; ``app.screens`` renders it with Flet;
`Backend` and `Desk` are what the screens call, off the event loop.
"""

from __future__ import annotations

from app.backend import Backend
from app.desk import Desk, DossierDetail
from app.errors import AppError, FieldError, NotEnrolled, ReceiptBlocked
from app.forms import ReceiptSlip, SlipComponent, build_receipt_pdf
from app.i18n import Translator

__all__ = [
    "AppError",
    "Backend",
    "Desk",
    "DossierDetail",
    "FieldError",
    "NotEnrolled",
    "ReceiptBlocked",
    "ReceiptSlip",
    "SlipComponent",
    "Translator",
    "build_receipt_pdf",
]
