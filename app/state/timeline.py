"""The dossier's timeline as the detail screen lists it: when, where, and what was said."""

from __future__ import annotations

from datetime import UTC, datetime

from core.calendar import local_text
from core.events import Event, EventType
from core.units import unit_name

__all__ = ["event_subtitle"]


def event_subtitle(event: Event, wall_ms: int) -> str:
    """Return when and where `event` happened, where it went, and the reason or note given."""
    where = unit_name(event.unit_code)
    if event.type is EventType.HANDED_OVER:
        # "»", not an arrow: the app's bundled font has no arrows.
        where += f" » {unit_name(event.payload['to_unit'])}"
    parts = [local_text(datetime.fromtimestamp(wall_ms / 1000, UTC)), where]
    said = event.payload.get("reason") or event.payload.get("note")
    if said:
        parts.append(said)
    return " · ".join(parts)
