"""Which lifecycle steps the dossier detail offers as one tap, and what each one records."""

from __future__ import annotations

from core.dossier import allowed_events
from core.events import EventType

__all__ = ["ONE_TAP", "ON_THE_SPOT", "one_tap_actions", "action_payload", "can_finish_on_the_spot"]

# Steps that need no typed input; the others (refuse, supplement, extend...) need a reason.
ONE_TAP = (
    EventType.PROCESSING_STARTED,
    EventType.RESULT_READY,
    EventType.FEE_PAID,
    EventType.RETURNED,
)
# "5 tại chỗ": a same-day procedure decided, paid and returned while the citizen waits.
ON_THE_SPOT = (EventType.PROCESSING_STARTED, EventType.RESULT_READY, EventType.RETURNED)


def one_tap_actions(state) -> list[EventType]:
    """The one-tap steps the lifecycle allows now for `state` (core.dossier.DossierState)."""
    allowed = allowed_events(state)
    actions = [kind for kind in ONE_TAP if kind in allowed]
    if state.paid_vnd >= state.fee_vnd and EventType.FEE_PAID in actions:
        actions.remove(EventType.FEE_PAID)
    return actions


def action_payload(kind: EventType, state, document_type: str = "") -> dict:
    """The payload of a one-tap step, from what the dossier already says."""
    if kind is EventType.PROCESSING_STARTED:
        return {}
    if kind is EventType.RESULT_READY:
        return {"result": {"document_type": document_type, "pages": [], "digitised": False}}
    if kind is EventType.FEE_PAID:
        return {"amount_vnd": max(0, state.fee_vnd - state.paid_vnd), "online": False}
    if kind is EventType.RETURNED:
        return {"method": state.return_method, "postal_ref": None}
    raise ValueError(f"{kind} needs typed input")


def can_finish_on_the_spot(state, same_day: bool) -> bool:
    """Whether a just-received dossier can be completed while the citizen waits.

    :param same_day: the procedure's processing time is zero working days.
    """
    return (
        same_day
        and state.competent_unit == state.receiving_unit
        and EventType.PROCESSING_STARTED in allowed_events(state)
    )
