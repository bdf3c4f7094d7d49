"""The settings screen: the language, and wiping the device only after two confirmations."""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["SettingsForm", "ask_wipe", "cancel_wipe"]


@dataclass(frozen=True)
class SettingsForm:
    """The values shown on the settings screen and how far the wipe confirmation has gone."""

    language: str = "vi"
    server_url: str = ""
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
