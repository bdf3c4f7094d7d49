"""Deployment settings of one device or centre, read from flet.toml and checked in one place."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from core.errors import SohoaError

__all__ = [
    "SCAN_PROFILES",
    "LANGUAGES",
    "Settings",
    "SettingsError",
    "load_settings",
    "parse_settings",
]

SCAN_PROFILES = {"economy": 150, "standard": 200, "archive": 300}
LANGUAGES = ("vi", "en")


class SettingsError(SohoaError):
    """flet.toml is missing a key or holds a value that is not allowed."""

    code = "bad_settings"


@dataclass(frozen=True)
class Settings:
    """What one device or centre is configured with."""

    server_url: str = "http://127.0.0.1:8000"
    unit_code: str = "11311"
    sync_interval_seconds: int = 300
    scan_profile: str = "standard"
    language: str = "vi"

    @property
    def scan_dpi(self) -> int:
        """The page resolution the scan profile asks for."""
        return SCAN_PROFILES[self.scan_profile]


def _bad(source: str, key: str, allowed: str, value: object) -> SettingsError:
    return SettingsError(
        f"{source}: khoá '{key}' không hợp lệ ({value!r}); giá trị cho phép: {allowed}",
        f"{source}: key '{key}' is invalid ({value!r}); allowed: {allowed}",
    )


def _get(table: dict, dotted: str, source: str) -> object:
    node: object = table
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise SettingsError(
                f"{source}: thiếu khoá '{dotted}'", f"{source}: missing key '{dotted}'"
            )
        node = node[part]
    return node


def parse_settings(text: str, source: str = "flet.toml") -> Settings:
    """Parse and validate the TOML text of a flet.toml file.

    :raises SettingsError: naming the key at fault and what is allowed.
    """
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(
            f"{source}: không đọc được TOML ({exc})", f"{source}: not valid TOML ({exc})"
        ) from exc

    url = _get(table, "server.url", source)
    parsed = urlparse(url) if isinstance(url, str) else None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise _bad(source, "server.url", "an http:// or https:// URL", url)

    unit_code = _get(table, "unit.code", source)
    if not (isinstance(unit_code, str) and unit_code.isdigit() and len(unit_code) == 5):
        raise _bad(source, "unit.code", 'a 5-digit commune code, e.g. "11311"', unit_code)

    interval = _get(table, "sync.interval_seconds", source)
    if not (
        isinstance(interval, int) and not isinstance(interval, bool) and 10 <= interval <= 86400
    ):
        raise _bad(source, "sync.interval_seconds", "an integer from 10 to 86400", interval)

    profile = _get(table, "scan.profile", source)
    if profile not in SCAN_PROFILES:
        raise _bad(source, "scan.profile", " | ".join(SCAN_PROFILES), profile)

    language = _get(table, "app.language", source)
    if language not in LANGUAGES:
        raise _bad(source, "app.language", " | ".join(LANGUAGES), language)

    return Settings(
        server_url=url.rstrip("/"),
        unit_code=unit_code,
        sync_interval_seconds=interval,
        scan_profile=profile,
        language=language,
    )


def load_settings(path: str | Path = "flet.toml") -> Settings:
    """Read and validate a flet.toml file.

    :raises SettingsError: when the file is missing or a value is not allowed.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(
            f"Không mở được tệp cấu hình {path}", f"Cannot open settings file {path}"
        ) from exc
    return parse_settings(text, str(path))
