"""The console's workflow actions, taken through the server's own workflow route function so a
step from the console and one from the HTTP API are checked, stored and routed the same way.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from core.catalogue import Procedure
from core.dossier import allowed_events
from core.dossier_state import VIETNAM, DossierState
from core.events import EventType
from server.console.errors import BadStepInput
from server.context import ServerContext
from server.permissions import may_take
from server.routes.dossiers import act
from server.staff import StaffMember

__all__ = [
    "NEEDS_REASON",
    "STEPS",
    "STEP_INPUTS",
    "inputs_for",
    "offered_steps",
    "step_payload",
    "take_step",
]


# The actions the console offers, in the order its buttons show them.
STEPS: tuple[EventType, ...] = (
    EventType.PROCESSING_STARTED,
    EventType.SUPPLEMENT_REQUESTED,
    EventType.REFUSED,
    EventType.EXTENDED,
    EventType.HANDED_OVER,
    EventType.STOPPED,
    EventType.RESULT_READY,
    EventType.RETURNED,
)
# Refusing, extending (form 04) and stopping (form 05) must say why.
NEEDS_REASON = frozenset({EventType.REFUSED, EventType.EXTENDED, EventType.STOPPED})
# The console's form fields each step reads; the note is the reason where one is needed.
STEP_INPUTS: dict[EventType, frozenset[str]] = {
    EventType.SUPPLEMENT_REQUESTED: frozenset({"note", "missing"}),
    EventType.REFUSED: frozenset({"note"}),
    EventType.EXTENDED: frozenset({"note", "new_due"}),
    EventType.HANDED_OVER: frozenset({"note", "to_unit"}),
    EventType.STOPPED: frozenset({"note"}),
}


def offered_steps(member: StaffMember, state: DossierState) -> list[EventType]:
    """Return the console's steps that the lifecycle allows now and the member's role may take."""
    allowed = allowed_events(state)
    return [step for step in STEPS if step in allowed and may_take(member, step)]


def inputs_for(steps: list[EventType], state: DossierState) -> frozenset[str]:
    """Return the form fields the console shows for `steps`: those at least one of them reads."""
    wanted = set().union(*(STEP_INPUTS.get(step, ()) for step in steps))
    if EventType.RETURNED in steps and state.return_method == "post":
        wanted.add("note")  # the postal reference
    return frozenset(wanted)


def _due_on(day: str, state: DossierState) -> str:
    try:
        parsed = date.fromisoformat(day.strip())
    except ValueError as exc:
        raise BadStepInput(
            "Ngày phải có dạng YYYY-MM-DD", "The date must look like YYYY-MM-DD"
        ) from exc
    at = state.due_at.astimezone(VIETNAM).timetz() if state.due_at else time(17, tzinfo=VIETNAM)
    return datetime.combine(parsed, at).isoformat()


def _result(procedure: Procedure | None, result_pages: list[dict]) -> dict[str, Any]:
    has_result = procedure is not None and procedure.results
    document_type = procedure.results[0].document_type if has_result else "ket_qua"
    return {
        "document_type": document_type,
        "pages": result_pages,
        "digitised": bool(result_pages),
    }


def step_payload(
    event_type: EventType,
    state: DossierState,
    *,
    note: str = "",
    to_unit: str = "",
    new_due: str = "",
    missing: list[str] | None = None,
    result_pages: list[dict] | None = None,
    procedure: Procedure | None = None,
) -> dict[str, Any]:
    """Return the event payload for a console action on `state` from the officer's inputs.

    :param procedure: the dossier's procedure under its own catalogue version (names the result)

    :raises BadStepInput: a reason, a unit, a date or the missing items are needed and absent
    """
    note = note.strip()
    if event_type in NEEDS_REASON and not note:
        raise BadStepInput("Cần ghi lý do", "A reason is needed")
    if event_type is EventType.SUPPLEMENT_REQUESTED:
        if not missing:
            raise BadStepInput("Chọn thành phần cần bổ sung", "Choose the components to supplement")
        return {"missing": missing, "note": note}
    if event_type in (EventType.REFUSED, EventType.STOPPED):
        return {"reason": note}
    if event_type is EventType.EXTENDED:
        return {"new_due_at": _due_on(new_due, state), "reason": note}
    if event_type is EventType.HANDED_OVER:
        if not to_unit.strip():
            raise BadStepInput("Cần mã đơn vị nhận", "The receiving unit's code is needed")
        return {"from_unit": state.current_unit, "to_unit": to_unit.strip(), "note": note}
    if event_type is EventType.RESULT_READY:
        return {"result": _result(procedure, result_pages or [])}
    if event_type is EventType.RETURNED:
        # By post, the note field carries the postal reference.
        method = state.return_method
        return {"method": method, "postal_ref": (note or None) if method == "post" else None}
    return {}


def take_step(
    context: ServerContext,
    member: StaffMember,
    dossier_id: str,
    event_type: EventType,
    payload: dict[str, Any],
) -> dict:
    """Record one workflow step as `member`; return the server's answer with the new summary.

    :raises NotFound: the dossier is not visible to the member's unit
    :raises StepNotAllowed: the member's role may not take the step (audited, nothing stored)
    :raises Conflict: the lifecycle forbids the step now (the reason says why)
    :raises BadRequest: the payload is malformed
    """
    return act(dossier_id, str(event_type), member, context, payload)
