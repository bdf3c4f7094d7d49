"""A dossier's state, folded from its events in one deterministic order.

:func:`fold` sorts events by (hlc, id) and drops duplicate ids, so any arrival order of the same
events gives the same state. :func:`apply` adds one event and refuses what the lifecycle forbids.

Field edits are last-writer-wins per field by hlc. An edit that carries ``base`` (the hlc of the
last event its device had folded, see :func:`edit_payload`) and did not see an edit of the same
field made on another device is *concurrent*: the later hlc still wins, both values stay in the
history and the dossier gets a conflict for an officer to review. A later edit of that field
made after seeing both values resolves the conflict.

>>> state = fold(events)
>>> state.status, EventType.RESULT_READY in allowed_events(state)
(<Status.IN_PROCESSING: 'in_processing'>, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from core.clock import Timestamp
from core.dossier_state import (
    DossierState,
    Extension,
    FieldConflict,
    FieldValue,
    HandOff,
    RejectedEvent,
    Timeliness,
    event_time,
    timeliness,
)
from core.events import Event, EventType
from core.lifecycle import ALLOWED_EVENTS, FORM_FOR_EVENT, IllegalTransition, Status
from core.transitions import EDITABLE_FIELDS, check_event, start, step

__all__ = [
    "EDITABLE_FIELDS",
    "FORM_FOR_EVENT",
    "DossierState",
    "Extension",
    "FieldConflict",
    "FieldValue",
    "HandOff",
    "IllegalTransition",
    "RejectedEvent",
    "Status",
    "Timeliness",
    "allowed_events",
    "apply",
    "edit_payload",
    "event_time",
    "fold",
    "timeliness",
]


def _order(event: Event) -> tuple[Timestamp, str]:
    return Timestamp.decode(event.hlc), event.id


def fold(events: Iterable[Event]) -> DossierState:
    """Fold the events of one dossier, in (hlc, id) order, into its state.

    Events the lifecycle forbids at their place in that order (two devices acting on the same
    dossier while offline) are left out and listed in ``state.rejected`` with the reason, so a
    stored history always folds.

    :raises IllegalTransition: if there is no RECEIVED event to start from, or the events
        belong to more than one dossier.
    """
    unique = {event.id: event for event in events}
    ordered = sorted(unique.values(), key=_order)
    if not ordered:
        raise IllegalTransition("Không có sự kiện nào", "There are no events")
    if len({event.dossier_id for event in ordered}) > 1:
        raise IllegalTransition(
            "Các sự kiện thuộc nhiều hồ sơ khác nhau", "The events belong to several dossiers"
        )
    first = next((i for i, e in enumerate(ordered) if e.type is EventType.RECEIVED), None)
    if first is None:
        raise IllegalTransition(
            "Thiếu sự kiện tiếp nhận hồ sơ", "The dossier has no RECEIVED event"
        )
    state = start(ordered[first])
    rejected = [_rejection(e, state) for e in ordered[:first]]
    for event in ordered[first + 1 :]:
        try:
            check_event(state, event)
        except IllegalTransition as error:
            rejected.append(RejectedEvent(event, error.message_vi, error.message_en))
            continue
        state = step(state, event)
    return replace(state, rejected=tuple(rejected))


def _rejection(event: Event, state: DossierState) -> RejectedEvent:
    if event.type is EventType.RECEIVED:
        return RejectedEvent(
            event, "Hồ sơ đã được tiếp nhận trước đó", "The dossier was already received"
        )
    return RejectedEvent(
        event, "Sự kiện xảy ra trước khi tiếp nhận", "The event precedes the dossier's receipt"
    )


def apply(state: DossierState | None, event: Event) -> DossierState:
    """Return the state after `event`; an event already applied changes nothing.

    An event that sorts before the latest applied one (it arrived late from another device) is
    placed in order by folding the history again.

    :raises IllegalTransition: with the reason, if the lifecycle forbids `event` here.
    """
    if state is None:
        return start(event)
    if any(seen.id == event.id for seen in state.history + _rejected_events(state)):
        return state
    if _order(event) > _order(state.history[-1]):
        check_event(state, event)
        return step(state, event)
    refolded = fold(state.history + _rejected_events(state) + (event,))
    for rejection in refolded.rejected:
        if rejection.event.id == event.id:
            raise IllegalTransition(rejection.reason_vi, rejection.reason_en)
    return refolded


def _rejected_events(state: DossierState) -> tuple[Event, ...]:
    return tuple(rejection.event for rejection in state.rejected)


def allowed_events(state: DossierState | None) -> set[EventType]:
    """Return the event types the lifecycle allows next (buttons the app may offer)."""
    if state is None:
        return {EventType.RECEIVED}
    allowed = set(ALLOWED_EVENTS[state.status])
    if state.supplement_requests:
        allowed.discard(EventType.SUPPLEMENT_REQUESTED)
    if state.rating is not None:
        allowed.discard(EventType.RATED)
    return allowed


def edit_payload(state: DossierState, fields: dict[str, Any]) -> dict[str, Any]:
    """Return a FIELDS_EDITED payload for `fields` whose base is what this device has seen."""
    return {"fields": dict(fields), "base": state.last_hlc}
