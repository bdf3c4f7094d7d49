"""The dossier's timeline as the detail screen lists it: when, where, and what was said."""

from __future__ import annotations

from datetime import datetime

from core.calendar import TIMEZONE
from core.events import Event, EventType
from core.units import unit_name

__all__ = ["event_subtitle", "local_time"]


def local_time(wall_ms: int) -> str:
    """Return a wall-clock reading as Vietnam's local "HH:MM dd/mm/yyyy"."""
    return datetime.fromtimestamp(wall_ms / 1000, TIMEZONE).strftime("%H:%M %d/%m/%Y")


def event_subtitle(event: Event, wall_ms: int) -> str:
    """Return when and where `event` happened, where it went, and the reason or note given."""
    where = unit_name(event.unit_code)
    if event.type is EventType.HANDED_OVER:
        # "»", not an arrow: the app's bundled font has no arrows.
        where += f" » {unit_name(event.payload['to_unit'])}"
    parts = [local_time(wall_ms), where]
    said = event.payload.get("reason") or event.payload.get("note")
    if said:
        parts.append(said)
    return " · ".join(parts)
