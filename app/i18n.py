"""Translations of every text the app shows: Vietnamese first, English selectable."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

__all__ = ["LANGUAGES", "I18N_DIR", "Translator", "catalogue_of"]

LANGUAGES = ("vi", "en")
I18N_DIR = Path(__file__).resolve().parent.parent / "assets" / "i18n"


@cache
def catalogue_of(language: str) -> dict[str, str]:
    """Return the key -> text table of `language`, read once from assets/i18n/<language>.json."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {LANGUAGES}")
    return json.loads((I18N_DIR / f"{language}.json").read_text(encoding="utf-8"))


class Translator:
    """Look texts up by key in the current language, falling back to Vietnamese.

    ``tr = Translator("en"); tr("unlock.title")`` -> ``"Unlock"``
    """

    def __init__(self, language: str = "vi") -> None:
        self.language = language
        self._table = catalogue_of(language)

    def __call__(self, key: str, **params: object) -> str:
        """Return the text for `key` with `params` filled in; the key itself when none exists."""
        text = self._table.get(key) or catalogue_of("vi").get(key) or key
        return text.format(**params) if params else text
