"""The unlock screen: pick an officer, type the PIN on a keypad, see why it failed."""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.errors import SohoaError

__all__ = [
    "MIN_PIN",
    "MAX_PIN",
    "IDLE_LOCK_SECONDS",
    "UnlockState",
    "pick_officer",
    "press_digit",
    "erase_digit",
    "set_pin",
    "start_check",
    "failed",
    "should_lock",
]

MIN_PIN = 6
MAX_PIN = 12
IDLE_LOCK_SECONDS = 300


@dataclass(frozen=True)
class UnlockState:
    """The officers to pick from, the PIN typed so far (never shown) and the last failure."""

    officers: tuple = ()  # storage.Officer(id, name, failures, locked)
    selected: str | None = None
    pin: str = ""
    error: SohoaError | None = None
    busy: bool = False

    @property
    def can_submit(self) -> bool:
        """Whether an officer is picked, the PIN is long enough and no check is running."""
        return self.selected is not None and len(self.pin) >= MIN_PIN and not self.busy

    @property
    def masked_pin(self) -> str:
        """The PIN as dots, for the screen."""
        return "●" * len(self.pin)


def pick_officer(state: UnlockState, officer_id: str) -> UnlockState:
    """Select the officer who is unlocking; the PIN and the last error are cleared."""
    if officer_id not in {o.id for o in state.officers}:
        raise KeyError(officer_id)
    return replace(state, selected=officer_id, pin="", error=None)


def press_digit(state: UnlockState, digit: str) -> UnlockState:
    """Add one digit to the PIN (ignored past MAX_PIN digits or when it is not a digit)."""
    if not (len(digit) == 1 and digit.isdigit()) or len(state.pin) >= MAX_PIN:
        return state
    return replace(state, pin=state.pin + digit, error=None)


def erase_digit(state: UnlockState) -> UnlockState:
    """Remove the last PIN digit."""
    return replace(state, pin=state.pin[:-1])


def set_pin(state: UnlockState, text: str) -> UnlockState:
    """Replace the PIN with text typed on a keyboard; characters other than digits are dropped."""
    digits = "".join(c for c in text if c.isdigit())[:MAX_PIN]
    return replace(state, pin=digits, error=None)


def start_check(state: UnlockState) -> UnlockState:
    """Mark the PIN as being checked, so a second tap does not start a second check."""
    return replace(state, busy=True)


def failed(state: UnlockState, error: SohoaError) -> UnlockState:
    """Show why unlocking failed (wrong PIN, or locked out for a while) and clear the PIN."""
    return replace(state, pin="", error=error, busy=False)


def should_lock(idle_seconds: float, limit: float = IDLE_LOCK_SECONDS) -> bool:
    """Whether the app has been idle long enough to lock itself."""
    return idle_seconds >= limit
