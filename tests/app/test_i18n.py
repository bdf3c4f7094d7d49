import re
from pathlib import Path

import pytest

from app.i18n import LANGUAGES, Translator, catalogue_of

APP_DIR = Path(__file__).resolve().parents[2] / "app"


def test_both_languages_have_the_same_keys_and_placeholders():
    vi, en = catalogue_of("vi"), catalogue_of("en")
    assert vi.keys() == en.keys()
    for key in vi:
        assert set(re.findall(r"{(\w+)}", vi[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_every_literal_key_the_screens_use_exists():
    used = set()
    for path in APP_DIR.rglob("*.py"):
        used |= set(re.findall(r"\btr\(\"([a-z_]+\.[a-z_.0-9]+)\"", path.read_text()))
    assert used, "no keys found: the pattern no longer matches the code"
    assert used <= catalogue_of("vi").keys(), used - catalogue_of("vi").keys()


def test_parameters_are_filled_and_unknown_keys_show_themselves():
    assert Translator("en")("receipt.code", code="X-1") == "Dossier code: X-1"
    assert Translator("vi")("receipt.code", code="X-1") == "Mã hồ sơ: X-1"
    assert Translator("en")("no.such.key") == "no.such.key"


def test_unsupported_language_is_refused():
    assert LANGUAGES == ("vi", "en")
    with pytest.raises(ValueError):
        Translator("fr")
