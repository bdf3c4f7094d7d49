"""Every text the portal and the console show exists in Vietnamese and in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.dossier import Status
from core.events import EventType
from core.figures import RATES
from server.console.figures import COUNTS
from server.portal.texts import Texts

ROOT = Path(__file__).resolve().parents[2] / "server"
_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""")


def _keys_in_code() -> set[str]:
    keys = set()
    for path in [*ROOT.joinpath("portal").glob("*.py"), *ROOT.joinpath("console").glob("*.py")]:
        keys |= set(_KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def _dynamic_keys() -> set[str]:
    keys = {f"status.{status}" for status in Status} | {f"event.{kind}" for kind in EventType}
    keys |= {f"figure.{name}" for name in ("unit", *COUNTS, *RATES)}
    return keys | {"portal.satisfied", "portal.unsatisfied"}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_key_has_a_text(language):
    keys = _keys_in_code() | _dynamic_keys()
    assert len(keys) > 50
    t = Texts(language)
    assert [key for key in keys if t(key) == key] == []


def test_vietnamese_comes_first_and_english_is_selectable():
    assert Texts()("portal.look_up") == "Tra cứu"
    assert Texts("en")("portal.look_up") == "Look up"
    assert Texts("en")("portal.due", when="03/03/2026 09:00") == "Result due: 03/03/2026 09:00"
    assert Texts("vi")("status.returned") == "Đã trả kết quả"  # shared with the officer app
