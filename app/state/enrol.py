"""First run: the city server's address and the one-time enrolment code, checked as typed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlparse

from app.errors import FieldError

__all__ = [
    "EnrolForm",
    "read_code_qr",
    "ready",
    "server_url_error",
    "set_code",
    "set_officer",
    "set_server_url",
]

_CODE = re.compile(r"^[A-Za-z0-9-]{6,64}$")
_MIN_PIN = 6


@dataclass(frozen=True)
class EnrolForm:
    """What the first-run screen holds: server URL, enrolment code, first officer and PIN."""

    server_url: str = ""
    code: str = ""
    officer_name: str = ""
    pin: str = ""
    errors: dict[str, FieldError] = field(default_factory=dict)


def _with_error(form: EnrolForm, name: str, error: FieldError | None) -> EnrolForm:
    errors = {k: v for k, v in form.errors.items() if k != name}
    if error is not None:
        errors[name] = error
    return replace(form, errors=errors)


def server_url_error(url: str) -> FieldError | None:
    """The error to show under a server address field, or None when it is an http(s) address."""
    parsed = urlparse(url.strip())
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return None
    return FieldError(
        "server_url",
        "Địa chỉ máy chủ phải bắt đầu bằng http:// hoặc https://",
        "The server address must start with http:// or https://",
    )


def set_server_url(form: EnrolForm, url: str) -> EnrolForm:
    """Store the URL as typed; an error when it is not an http(s) address."""
    return _with_error(replace(form, server_url=url), "server_url", server_url_error(url))


def set_code(form: EnrolForm, code: str) -> EnrolForm:
    """Store the enrolment code as typed (spaces dropped); an error when it has odd characters."""
    cleaned = "".join(code.split())
    error = None
    if cleaned and not _CODE.match(cleaned):
        error = FieldError(
            "code",
            "Mã đăng ký gồm 6–64 chữ cái, chữ số hoặc dấu gạch ngang",
            "The enrolment code has 6–64 letters, digits or dashes",
        )
    return _with_error(replace(form, code=cleaned), "code", error)


def read_code_qr(form: EnrolForm, payload: str) -> EnrolForm:
    """Fill the form from an enrolment QR: ``sohoa-enrol:<url>#<code>`` or just the code."""
    payload = payload.strip()
    if payload.startswith("sohoa-enrol:") and "#" in payload:
        url, _, code = payload[len("sohoa-enrol:") :].partition("#")
        return set_code(set_server_url(form, url), code)
    return set_code(form, payload)


def set_officer(form: EnrolForm, name: str, pin: str) -> EnrolForm:
    """Store the first officer's name and PIN; an error when the PIN is too short."""
    error = None
    if pin and (not pin.isdigit() or len(pin) < _MIN_PIN):
        error = FieldError("pin", "PIN gồm ít nhất 6 chữ số", "The PIN has at least 6 digits")
    return _with_error(replace(form, officer_name=name, pin=pin), "pin", error)


def ready(form: EnrolForm) -> bool:
    """Whether every field is filled and none shows an error."""
    filled = form.server_url and form.code and form.officer_name.strip() and form.pin
    return bool(filled) and not form.errors
