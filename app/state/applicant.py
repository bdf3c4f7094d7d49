"""The applicant form of a new dossier: values as typed, each field checked as it changes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from app.errors import FieldError
from core.errors import SohoaError
from core.events import CHANNELS, GENDERS, RETURN_METHODS
from core.identity import parse_cccd, parse_chip_qr
from core.units import unit

__all__ = [
    "APPLICANT_FIELDS",
    "FORM_FIELDS",
    "RESIDENCE_FIELD",
    "REQUIRED_FIELDS",
    "ApplicantForm",
    "set_field",
    "fill_from_chip_qr",
    "check_all",
    "applicant_payload",
    "parse_birth_date",
    "residence_unit",
]

APPLICANT_FIELDS = ("cccd", "name", "birth_date", "gender", "phone", "address")
# Where the applicant lives, as a commune-level unit code; blank means the receiving unit.
RESIDENCE_FIELD = "residence_unit"
FORM_FIELDS = (*APPLICANT_FIELDS, RESIDENCE_FIELD)
REQUIRED_FIELDS = ("cccd", "name", "birth_date", "gender", "address")
_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")


@dataclass(frozen=True)
class ApplicantForm:
    """What the officer has typed, and the error shown next to each field (None when fine)."""

    values: dict[str, str] = field(default_factory=lambda: dict.fromkeys(FORM_FIELDS, ""))
    errors: dict[str, SohoaError] = field(default_factory=dict)
    channel: str = "counter"
    return_method: str = "counter"
    return_address: str = ""

    @property
    def complete(self) -> bool:
        """Whether every required field is filled and no field shows an error."""
        return not self.errors and all(
            self.values.get(name, "").strip() for name in REQUIRED_FIELDS
        )


def parse_birth_date(text: str) -> date:
    """Read a date typed as dd/mm/yyyy (or ISO yyyy-mm-dd).

    :raises FieldError: when it is not a real date or lies in the future.
    """
    text = text.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d%m%Y"):
        try:
            parsed = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if parsed > date.today():
            raise FieldError(
                "birth_date", "Ngày sinh ở tương lai", "The date of birth is in the future"
            )
        return parsed
    raise FieldError(
        "birth_date", "Ngày sinh phải có dạng dd/mm/yyyy", "Date of birth must be dd/mm/yyyy"
    )


def _check(form: ApplicantForm, name: str, value: str, *, final: bool) -> SohoaError | None:
    """Return the error for `value` in field `name`, or None; `final` also rejects partial input."""
    value = value.strip()
    if not value:
        if final and name in REQUIRED_FIELDS:
            return FieldError(name, "Bắt buộc nhập", "Required")
        return None
    try:
        if name == "cccd":
            if not value.isdigit():
                return FieldError(name, "CCCD chỉ gồm chữ số", "A CCCD number has digits only")
            if len(value) > 12 or (final and len(value) < 12):
                return FieldError(name, "CCCD phải đủ 12 chữ số", "A CCCD number has 12 digits")
            if len(value) == 12:
                born = form.values.get("birth_date", "")
                parse_cccd(
                    value,
                    birth_date=_quiet_date(born),
                    gender=form.values.get("gender") or None,
                )
        elif name == "birth_date" and (final or len(value) >= 8):
            parse_birth_date(value)
        elif name == "phone" and (final or len(value) >= 10) and not _PHONE.match(value):
            return FieldError(name, "Số điện thoại không hợp lệ", "Not a valid phone number")
        elif name == RESIDENCE_FIELD and (final or len(value) >= 5):
            unit(value)
        elif name == "gender" and value not in GENDERS:
            return FieldError(name, "Chọn giới tính Nam hoặc Nữ", "Choose male or female")
    except SohoaError as exc:
        return exc
    return None


def _quiet_date(text: str) -> date | None:
    try:
        return parse_birth_date(text) if text.strip() else None
    except FieldError:
        return None


def set_field(form: ApplicantForm, name: str, value: str) -> ApplicantForm:
    """Store `value` as typed in field `name` and re-check it (CCCD follows DOB and gender)."""
    if name == "return_address":
        return replace(form, return_address=value)
    if name in ("channel", "return_method"):
        if value not in (CHANNELS if name == "channel" else RETURN_METHODS):
            raise ValueError(f"{name}={value!r}")
        return replace(form, **{name: value})
    values = {**form.values, name: value}
    updated = replace(form, values=values)
    errors = dict(form.errors)
    watched = ("cccd",) if name in ("birth_date", "gender") else ()
    for checked in (name, *watched):
        error = _check(updated, checked, values.get(checked, ""), final=False)
        if error is None:
            errors.pop(checked, None)
        else:
            errors[checked] = error
    return replace(updated, errors=errors)


def fill_from_chip_qr(form: ApplicantForm, payload: str) -> ApplicantForm:
    """Fill the form from the QR payload of a chip CCCD card; a bad payload marks the CCCD field."""
    try:
        card = parse_chip_qr(payload)
    except SohoaError as exc:
        return replace(form, errors={**form.errors, "cccd": exc})
    filled = {
        "cccd": card.cccd,
        "name": card.name,
        "birth_date": card.birth_date.strftime("%d/%m/%Y"),
        "gender": card.gender,
        "address": card.address,
    }
    values = {**form.values, **{k: v for k, v in filled.items() if v}}
    return check_all(replace(form, values=values, errors={}), final=False)


def check_all(form: ApplicantForm, *, final: bool = True) -> ApplicantForm:
    """Re-check every field; with `final`, empty required fields and partial input are errors."""
    errors: dict[str, SohoaError] = {}
    for name in FORM_FIELDS:
        error = _check(form, name, form.values.get(name, ""), final=final)
        if error is not None:
            errors[name] = error
    if final and form.return_method == "post" and not form.return_address.strip():
        errors["return_address"] = FieldError(
            "return_address", "Cần địa chỉ nhận kết quả qua bưu chính", "A postal address is needed"
        )
    return replace(form, errors=errors)


def residence_unit(form: ApplicantForm, receiving_unit: str) -> str:
    """The applicant's commune-level unit code (the receiving unit when left blank)."""
    return form.values.get(RESIDENCE_FIELD, "").strip() or receiving_unit


def applicant_payload(form: ApplicantForm) -> dict[str, str]:
    """Return the applicant part of a RECEIVED event (birth date as ISO yyyy-mm-dd)."""
    values = {name: form.values.get(name, "").strip() for name in APPLICANT_FIELDS}
    values["birth_date"] = parse_birth_date(values["birth_date"]).isoformat()
    return values
