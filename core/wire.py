"""Strict checks for values that arrive on the wire, each failure naming the field at fault.

A check is a function ``(value, field) -> None`` that raises :class:`WireFormatError` with the
dotted path of the field (``payload.components[0].pages[1].sha256``) when `value` is wrong.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime

from core.errors import SohoaError

__all__ = [
    "Check",
    "WireFormatError",
    "boolean",
    "choice",
    "date_text",
    "integer",
    "json_value",
    "list_of",
    "nullable",
    "one_of",
    "record",
    "sha256_hex",
    "text",
    "timestamp_tz",
]

Check = Callable[[object, str], None]
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class WireFormatError(SohoaError):
    """An event (or a value inside it) on the wire is malformed; `field` names where."""

    code = "bad_wire_format"

    def __init__(self, field: str, problem_vi: str, problem_en: str):
        self.field = field
        super().__init__(f"Trường '{field}': {problem_vi}", f"Field '{field}': {problem_en}")


def text(*, empty: bool = False) -> Check:
    """Return a check for a string (non-empty unless `empty`)."""

    def check(value: object, field: str) -> None:
        if not isinstance(value, str):
            raise WireFormatError(field, "phải là chuỗi ký tự", "must be a string")
        if not empty and not value.strip():
            raise WireFormatError(field, "không được để trống", "must not be empty")

    return check


def integer(*, minimum: int | None = None, maximum: int | None = None) -> Check:
    """Return a check for an integer (booleans refused) within the given bounds."""

    def check(value: object, field: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise WireFormatError(field, "phải là số nguyên", "must be an integer")
        if minimum is not None and value < minimum:
            raise WireFormatError(field, f"phải ≥ {minimum}", f"must be ≥ {minimum}")
        if maximum is not None and value > maximum:
            raise WireFormatError(field, f"phải ≤ {maximum}", f"must be ≤ {maximum}")

    return check


def boolean(value: object, field: str) -> None:
    """Check that `value` is true or false."""
    if not isinstance(value, bool):
        raise WireFormatError(field, "phải là true hoặc false", "must be true or false")


def choice(*options: str) -> Check:
    """Return a check that `value` is one of `options`."""
    listed = ", ".join(options)

    def check(value: object, field: str) -> None:
        if value not in options:
            raise WireFormatError(
                field, f"phải là một trong: {listed}", f"must be one of: {listed}"
            )

    return check


def sha256_hex(value: object, field: str) -> None:
    """Check that `value` is a lower-case hex SHA-256 digest."""
    if not isinstance(value, str) or not _SHA256.match(value):
        raise WireFormatError(
            field, "phải là mã SHA-256 (64 ký tự hex thường)", "must be a SHA-256 (64 lower hex)"
        )


def timestamp_tz(value: object, field: str) -> None:
    """Check that `value` is an ISO 8601 date-time carrying its UTC offset."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise WireFormatError(
            field,
            "phải là thời điểm ISO 8601 có múi giờ (vd 2026-03-02T09:15:00+07:00)",
            "must be an ISO 8601 date-time with offset (e.g. 2026-03-02T09:15:00+07:00)",
        )


def date_text(value: object, field: str) -> None:
    """Check that `value` is an ISO 8601 calendar date (YYYY-MM-DD)."""
    try:
        valid = isinstance(value, str) and len(value) == 10 and bool(date.fromisoformat(value))
    except ValueError:
        valid = False
    if not valid:
        raise WireFormatError(field, "phải là ngày dạng YYYY-MM-DD", "must be a YYYY-MM-DD date")


def json_value(value: object, field: str) -> None:
    """Check that `value` is plain JSON (finite numbers only, string keys)."""
    if value is None or isinstance(value, str | bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise WireFormatError(field, "số không hữu hạn", "is not a finite number")
        return
    if isinstance(value, list):
        for index, element in enumerate(value):
            json_value(element, f"{field}[{index}]")
        return
    if isinstance(value, dict):
        for key, element in value.items():
            if not isinstance(key, str):
                raise WireFormatError(field, "khóa phải là chuỗi", "keys must be strings")
            json_value(element, f"{field}.{key}")
        return
    raise WireFormatError(field, "không phải giá trị JSON", "is not a JSON value")


def nullable(inner: Check) -> Check:
    """Return a check that accepts null or whatever `inner` accepts."""

    def check(value: object, field: str) -> None:
        if value is not None:
            inner(value, field)

    return check


def one_of(*checks: Check) -> Check:
    """Return a check that passes when any of `checks` passes (the first one's error otherwise)."""

    def check(value: object, field: str) -> None:
        errors = []
        for candidate in checks:
            try:
                candidate(value, field)
                return
            except WireFormatError as error:
                errors.append(error)
        raise errors[0]

    return check


def list_of(item: Check, *, min_items: int = 0) -> Check:
    """Return a check for a list whose every item passes `item`."""

    def check(value: object, field: str) -> None:
        if not isinstance(value, list):
            raise WireFormatError(field, "phải là danh sách", "must be a list")
        if len(value) < min_items:
            raise WireFormatError(
                field, f"cần ít nhất {min_items} phần tử", f"needs at least {min_items} items"
            )
        for index, element in enumerate(value):
            item(element, f"{field}[{index}]")

    return check


def record(spec: Mapping[str, Check]) -> Check:
    """Return a check for an object holding every key of `spec` (extra keys are allowed)."""

    def check(value: object, field: str) -> None:
        if not isinstance(value, dict):
            raise WireFormatError(field, "phải là đối tượng JSON", "must be a JSON object")
        for key, key_check in spec.items():
            path = f"{field}.{key}" if field else key
            if key not in value:
                raise WireFormatError(path, "bị thiếu", "is missing")
            key_check(value[key], path)

    return check
