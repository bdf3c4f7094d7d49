"""Find a dossier by its code and the last digits of the applicant's CCCD or phone, and describe
it for the citizen: status, appointment, timeline and what a supplement request asks for.

What the citizen sees carries nothing personal beyond their own dossier's progress: no name,
no address, no full identity number.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from core import dossier as lifecycle
from core.catalogue import Catalogue
from core.dossier import Status
from core.dossier_state import VIETNAM, DossierState, event_time
from core.errors import SohoaError
from core.events import EventType
from server.dossiers import stored_events
from server.portal.errors import LookupFailed
from server.schema import dossiers

__all__ = [
    "MAX_DIGITS",
    "MIN_DIGITS",
    "CitizenView",
    "MissingItem",
    "TimelineEntry",
    "citizen_view",
    "find_dossier",
    "normalise_code",
]

MIN_DIGITS, MAX_DIGITS = 4, 6
_DIGITS = re.compile(rf"\d{{{MIN_DIGITS},{MAX_DIGITS}}}")
_CODE = re.compile(r"[A-Z0-9][A-Z0-9.\-]{5,59}")
# Events that mean something to the citizen; edits and fee bookkeeping stay internal.
_SHOWN = frozenset(EventType) - {EventType.FIELDS_EDITED}


def normalise_code(code: str) -> str | None:
    """Return the dossier code as stored (upper case, no spaces), or None if it cannot be one."""
    cleaned = re.sub(r"\s+", "", code or "").upper()
    return cleaned if _CODE.fullmatch(cleaned) else None


def _matches(digits: str, number: str | None) -> bool:
    number = re.sub(r"\D", "", number or "")
    if len(number) < len(digits):
        return False
    return hmac.compare_digest(number[-len(digits) :], digits)


def find_dossier(conn: Connection, code: str, digits: str) -> DossierState:
    """Return the dossier with `code` whose applicant's CCCD or phone ends in `digits`.

    :raises LookupFailed: malformed input, no such code, or digits that match neither number
        (one answer for all, so a wrong guess reveals nothing)
    """
    wanted = normalise_code(code)
    digits = (digits or "").strip()
    if wanted is None or not _DIGITS.fullmatch(digits):
        raise LookupFailed()
    ids = conn.scalars(select(dossiers.c.id).where(dossiers.c.code == wanted)).all()
    for dossier_id in ids:
        state = lifecycle.fold(stored_events(conn, dossier_id))
        applicant = state.applicant
        if _matches(digits, applicant.get("cccd")) or _matches(digits, applicant.get("phone")):
            return state
    raise LookupFailed()


@dataclass(frozen=True)
class TimelineEntry:
    """One step of the dossier's progress, as the citizen sees it."""

    at: datetime
    event_type: EventType


@dataclass(frozen=True)
class MissingItem:
    """One thing a supplement request asks for: a component of the procedure, or free text."""

    item: str
    name_vi: str
    name_en: str
    is_component: bool


@dataclass(frozen=True)
class CitizenView:
    """What the citizen may see of their own dossier."""

    dossier_id: str
    code: str
    procedure_vi: str
    procedure_en: str
    status: Status
    received_at: datetime
    due_at: datetime
    timeline: tuple[TimelineEntry, ...]
    missing: tuple[MissingItem, ...]
    page_count: int
    rating: int | str | None

    @property
    def can_supplement(self) -> bool:
        """Return whether the dossier waits for the citizen's supplement."""
        return self.status is Status.SUPPLEMENT_REQUESTED

    @property
    def can_rate(self) -> bool:
        """Return whether the result was returned and the service is not rated yet."""
        return self.status is Status.RETURNED and self.rating is None


def citizen_view(state: DossierState, catalogue: Catalogue) -> CitizenView:
    """Return the citizen's view of `state`, named from `catalogue` (the dossier's version)."""
    try:
        procedure = catalogue.get(state.procedure_code)
        names = {c.id: (c.name, c.name_en) for c in procedure.components}
        title = (procedure.name, procedure.name_en)
    except SohoaError:
        names, title = {}, (state.procedure_code, state.procedure_code)
    missing = tuple(
        MissingItem(item, *names.get(item, (item, item)), is_component=item in names)
        for item in state.missing
    )
    timeline = tuple(
        TimelineEntry(event_time(event).astimezone(VIETNAM), event.type)
        for event in state.history
        if event.type in _SHOWN
    )
    return CitizenView(
        dossier_id=state.id,
        code=state.code,
        procedure_vi=title[0],
        procedure_en=title[1],
        status=state.status,
        received_at=state.received_at.astimezone(VIETNAM),
        due_at=state.due_at.astimezone(VIETNAM),
        timeline=timeline,
        missing=missing,
        page_count=len(state.pages),
        rating=state.rating,
    )
