"""The settings screen: language, the city server's address, and a wipe confirmed twice."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.errors import FieldError
from app.state.enrol import server_url_error

__all__ = ["SettingsForm", "ask_wipe", "cancel_wipe", "can_move_server", "set_new_server_url"]


@dataclass(frozen=True)
class SettingsForm:
    """The values shown on the settings screen and how far the wipe confirmation has gone."""

    language: str = "vi"
    server_url: str = ""
    new_server_url: str = ""
    server_error: FieldError | None = None
    wipe_confirmations: int = 0

    @property
    def wipe_confirmed(self) -> bool:
        """Whether the officer confirmed the wipe twice."""
        return self.wipe_confirmations >= 2


def ask_wipe(form: SettingsForm) -> SettingsForm:
    """Count one more confirmation of the wipe."""
    return replace(form, wipe_confirmations=min(2, form.wipe_confirmations + 1))


def cancel_wipe(form: SettingsForm) -> SettingsForm:
    """Forget the wipe confirmations."""
    return replace(form, wipe_confirmations=0)


def set_new_server_url(form: SettingsForm, url: str) -> SettingsForm:
    """Store the new server address as typed; an error when it is not an http(s) address."""
    return replace(form, new_server_url=url, server_error=server_url_error(url) if url else None)


def can_move_server(form: SettingsForm) -> bool:
    """Whether a new, well-formed address different from the current one was typed."""
    new = form.new_server_url.strip().rstrip("/")
    return bool(new) and form.server_error is None and new != form.server_url.rstrip("/")
