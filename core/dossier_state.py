"""The immutable state of one dossier and its parts, as folded from events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

from core.events import Event
from core.ids import id_time_ms
from core.lifecycle import FORM_FOR_EVENT, Status

__all__ = [
    "VIETNAM",
    "DossierState",
    "Extension",
    "FieldConflict",
    "FieldValue",
    "HandOff",
    "RejectedEvent",
    "Timeliness",
    "event_time",
    "timeliness",
]

# Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact.
VIETNAM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


class Timeliness(StrEnum):
    """How a step finished against the due time (the control slip's result column)."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


def timeliness(at: datetime, due_at: datetime) -> Timeliness:
    """Return early (before the due day), on time (on the due day, by the due time) or late."""
    if at > due_at:
        return Timeliness.LATE
    if at.astimezone(VIETNAM).date() < due_at.astimezone(VIETNAM).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def event_time(event: Event) -> datetime:
    """Return when `event` happened by its author's physical clock (its id's time), in UTC.

    Not the hlc's wall part: after syncing with a tablet a week fast, every later hlc is a week
    ahead too, and hand-offs would all look late.
    """
    return datetime.fromtimestamp(id_time_ms(event.id) / 1000, tz=UTC)


@dataclass(frozen=True)
class FieldValue:
    """The current value of one editable field and the event that set it."""

    value: Any
    hlc: str
    device_id: str
    event_id: str


@dataclass(frozen=True)
class FieldConflict:
    """Two devices edited the same field without seeing each other; `kept` has the later hlc."""

    field: str
    kept: FieldValue
    overwritten: FieldValue


@dataclass(frozen=True)
class HandOff:
    """One row of the processing-control slip (form 06)."""

    from_unit: str
    to_unit: str
    at: datetime
    officer_id: str
    note: str
    result: Timeliness


@dataclass(frozen=True)
class Extension:
    """A new due time granted with an apology (form 04)."""

    previous_due_at: datetime
    new_due_at: datetime
    reason: str
    at: datetime


@dataclass(frozen=True)
class RejectedEvent:
    """An event :func:`core.dossier.fold` had to leave out, with the reason."""

    event: Event
    reason_vi: str
    reason_en: str


@dataclass(frozen=True)
class DossierState:
    """Everything known about one dossier after folding its events (never mutate the dicts)."""

    id: str
    code: str
    procedure_code: str
    catalogue_version: str
    status: Status
    channel: str
    receiving_unit: str
    competent_unit: str
    current_unit: str
    return_method: str
    received_at: datetime
    due_at: datetime
    original_due_at: datetime
    fields: dict[str, FieldValue]
    components: dict[str, tuple[str, ...]]
    reused_components: frozenset[str]
    pages: frozenset[str]
    fee_vnd: int
    paid_vnd: int = 0
    paid_online: bool = False
    supplement_requests: int = 0
    missing: tuple[str, ...] = ()
    hand_offs: tuple[HandOff, ...] = ()
    extensions: tuple[Extension, ...] = ()
    processing_started_at: datetime | None = None
    finished_at: datetime | None = None
    returned_at: datetime | None = None
    closed_at: datetime | None = None
    reason: str | None = None
    result: dict[str, Any] | None = None
    rating: int | str | None = None
    history: tuple[Event, ...] = ()
    conflicts: tuple[FieldConflict, ...] = ()
    rejected: tuple[RejectedEvent, ...] = ()

    @property
    def applicant(self) -> dict[str, Any]:
        """Return the applicant's details as currently edited."""
        prefix = "applicant."
        return {k[len(prefix) :]: v.value for k, v in self.fields.items() if k.startswith(prefix)}

    @property
    def return_address(self) -> str | None:
        """Return where a postal result goes (None for collection at the counter)."""
        return self.fields["return_address"].value

    @property
    def has_conflict(self) -> bool:
        """Return whether concurrent edits wait for an officer's review."""
        return bool(self.conflicts)

    @property
    def result_pages(self) -> frozenset[str]:
        """Return the sha256 of each page of the result."""
        pages = self.result["pages"] if self.result else []
        return frozenset(page["sha256"] for page in pages)

    @property
    def result_digitised(self) -> bool:
        """Return whether the result exists as a digitised, legally valid document."""
        return bool(self.result and self.result["digitised"])

    @property
    def last_hlc(self) -> str:
        """Return the hlc of the latest applied event (send it as ``base`` with edits)."""
        return self.history[-1].hlc

    @property
    def forms(self) -> tuple[tuple[str, Event], ...]:
        """Return (form number, event) for every form the history produced, in order."""
        return tuple((FORM_FOR_EVENT[e.type], e) for e in self.history if e.type in FORM_FOR_EVENT)
