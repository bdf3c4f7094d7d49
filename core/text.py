"""Text normalisation for diacritics-insensitive search of Vietnamese names and words."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "tokens"]

_NON_WORD = re.compile(r"[^0-9a-z.]+")


def fold(text: str) -> str:
    """Return `text` lower-cased without Vietnamese diacritics ("Đặng Thị" -> "dang thi")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", stripped.lower()).split())


def tokens(text: str) -> list[str]:
    """Return the folded words of `text`, in order."""
    return fold(text).split()
