"""Pre-application codes (NT-XXXX-XXXX): what a citizen brings to the counter, as typed there."""

from __future__ import annotations

__all__ = ["PREAPPLICATION_PREFIX", "normalise_preapplication_code"]

PREAPPLICATION_PREFIX = "NT"  # "nộp trước"


def normalise_preapplication_code(code: str) -> str:
    """Return `code` as issued: upper case, dashes in place, O read as 0, I/L as 1 ("" if bad)."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    raw = raw.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    prefix = PREAPPLICATION_PREFIX
    if len(raw) == 8 + len(prefix) and raw.startswith(prefix):
        raw = raw[len(prefix) :]
    return f"{prefix}-{raw[:4]}-{raw[4:]}" if len(raw) == 8 else ""
