"""Which staff role may take which dossier step: the one-stop rules (Decrees 61/2018, 107/2021).

The receiving and returning section receives, asks for supplements, refuses at receipt, returns
results and collects fees; the processing officer processes and hands over; the leader approves
results, extensions (form 04) and stops (form 05); admins run the system and never touch dossiers.
"""

from __future__ import annotations

from core.errors import SohoaError
from core.events import EventType
from server.audit import append_audit
from server.context import ServerContext
from server.dossiers import require_visible
from server.staff import Role, StaffMember

__all__ = ["STEPS_BY_ROLE", "StepNotAllowed", "may_take", "require_step"]

STEPS_BY_ROLE: dict[Role, frozenset[EventType]] = {
    Role.RECEIVING_OFFICER: frozenset(
        {
            EventType.RECEIVED,
            EventType.FIELDS_EDITED,
            EventType.PAGES_ADDED,
            EventType.SUPPLEMENT_REQUESTED,
            EventType.SUPPLEMENTED,
            EventType.REFUSED,
            EventType.RETURNED,
            EventType.FEE_PAID,
        }
    ),
    # Proposing a result is internal paperwork: the result exists once the leader approves it.
    Role.PROCESSING_OFFICER: frozenset({EventType.PROCESSING_STARTED, EventType.HANDED_OVER}),
    Role.LEADER: frozenset({EventType.RESULT_READY, EventType.EXTENDED, EventType.STOPPED}),
    Role.ADMIN: frozenset(),
}
# `rated` is the citizen's own step (portal); no staff role takes it.


class StepNotAllowed(SohoaError):
    """The staff member's role may not take this step on a dossier."""

    code = "step_not_allowed"


def may_take(member: StaffMember, event_type: EventType) -> bool:
    """Return whether the member's role may take a step of `event_type`."""
    return event_type in STEPS_BY_ROLE[member.role]


def require_step(
    context: ServerContext, member: StaffMember, dossier_id: str, event_type: EventType
) -> None:
    """Refuse, and audit the attempt, a step the member's role may not take.

    :raises NotFound: the dossier is not visible to the member's unit (checked first, so a
        refusal never tells a stranger that the dossier exists)
    :raises StepNotAllowed: the member's role may not take the step
    """
    if may_take(member, event_type):
        return
    # Its own transaction: the refusal is kept although the step itself stores nothing.
    with context.db.write() as conn:
        require_visible(conn, dossier_id, member.unit_code)
        append_audit(
            conn,
            f"staff:{member.username}",
            "dossier.step_refused",
            dossier_id,
            {"step": str(event_type), "role": str(member.role)},
        )
    raise StepNotAllowed(
        f"Vai trò {member.role} không được thực hiện bước {event_type}",
        f"The role {member.role} may not take the step {event_type}",
    )
