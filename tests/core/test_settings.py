from pathlib import Path

import pytest

from core.settings import Settings, SettingsError, load_settings, parse_settings

ROOT = Path(__file__).resolve().parents[2]

GOOD = """
[server]
url = "https://sohoa.haiphong.gov.vn/"
[unit]
code = "11560"
[sync]
interval_seconds = 60
[scan]
profile = "archive"
[app]
language = "en"
"""


def test_shipped_flet_toml_is_valid():
    settings = load_settings(ROOT / "flet.toml")
    assert settings == Settings()
    assert settings.scan_dpi == 200


def test_parse_reads_every_key():
    settings = parse_settings(GOOD)
    assert settings.server_url == "https://sohoa.haiphong.gov.vn"
    assert settings.unit_code == "11560"
    assert settings.sync_interval_seconds == 60
    assert settings.scan_dpi == 300
    assert settings.language == "en"


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('url = "https://sohoa.haiphong.gov.vn/"', 'url = "ftp://x"', "server.url"),
        ('code = "11560"', 'code = "1156"', "unit.code"),
        ("interval_seconds = 60", "interval_seconds = 1", "sync.interval_seconds"),
        ('profile = "archive"', 'profile = "ultra"', "scan.profile"),
        ('language = "en"', 'language = "fr"', "app.language"),
        ('language = "en"', "", "app.language"),
    ],
)
def test_bad_value_names_the_key(old, new, key):
    with pytest.raises(SettingsError) as info:
        parse_settings(GOOD.replace(old, new), "centre.toml")
    assert key in info.value.message_vi and key in info.value.message_en
    assert "centre.toml" in str(info.value)


def test_not_toml_is_a_settings_error():
    with pytest.raises(SettingsError, match="TOML"):
        parse_settings("[server\nurl=")


def test_missing_file_is_a_settings_error(tmp_path):
    with pytest.raises(SettingsError, match="Cannot open"):
        load_settings(tmp_path / "nope.toml")
