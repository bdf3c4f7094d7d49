"""The console's reading side: the queue of dossiers routed to a unit, and one dossier's detail
with its pages (each opening written to the audit log, as every look at citizens' documents is).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, or_, select

from core import dossier as lifecycle
from core.dossier import Status
from core.dossier_state import VIETNAM, DossierState
from server.audit import append_audit
from server.dossiers import list_handoffs, require_visible, stored_events
from server.schema import dossiers
from server.staff import StaffMember

__all__ = ["CLOSED", "DossierDetail", "QueueRow", "open_dossier", "unit_queue"]

# Statuses in which nothing is left to do for the unit, so nothing can be overdue.
CLOSED = frozenset({Status.RETURNED, Status.REFUSED, Status.STOPPED})
QUEUE_LIMIT = 500


@dataclass(frozen=True)
class QueueRow:
    """One dossier in a unit's queue."""

    dossier_id: str
    code: str
    procedure_code: str
    status: Status
    competent_unit: str
    current_unit: str
    due_at: datetime
    overdue: bool


def _row(row, now: datetime) -> QueueRow:  # type: ignore[no-untyped-def]
    status = Status(row.status)
    due_at = datetime.fromisoformat(row.due_at).astimezone(VIETNAM)
    return QueueRow(
        dossier_id=row.id,
        code=row.code,
        procedure_code=row.procedure_code,
        status=status,
        competent_unit=row.competent_unit,
        current_unit=row.current_unit,
        due_at=due_at,
        overdue=status not in CLOSED and due_at < now,
    )


def unit_queue(
    conn: Connection, unit_code: str | None, now: datetime, *, include_closed: bool = False
) -> list[QueueRow]:
    """Return the dossiers routed to `unit_code` (None: the whole city), soonest due first.

    A dossier is routed to a unit when the unit is competent for it or holds it now.
    """
    query = select(dossiers).order_by(dossiers.c.updated_at.desc()).limit(QUEUE_LIMIT)
    if unit_code is not None:
        query = query.where(
            or_(dossiers.c.competent_unit == unit_code, dossiers.c.current_unit == unit_code)
        )
    if not include_closed:
        query = query.where(dossiers.c.status.not_in([str(s) for s in CLOSED]))
    # Due times are stored as text with their offset; order them as times, not as strings.
    return sorted((_row(row, now) for row in conn.execute(query)), key=lambda r: r.due_at)


@dataclass(frozen=True)
class DossierDetail:
    """An opened dossier: its folded state, hand-offs, and its pages by component."""

    state: DossierState
    handoffs: list[dict]

    @property
    def pages(self) -> list[tuple[str, str]]:
        """Return (component id, sha256) for every page, component by component."""
        return [(cid, sha) for cid, shas in self.state.components.items() for sha in shas]


def open_dossier(conn: Connection, member: StaffMember, dossier_id: str) -> DossierDetail:
    """Return a dossier the member's unit may see, and log that they opened it.

    Call inside a write transaction, so the look and its audit entry stand or fall together.

    :raises NotFound: the dossier does not exist or belongs to other units
    """
    require_visible(conn, dossier_id, member.unit_code)
    state = lifecycle.fold(stored_events(conn, dossier_id))
    append_audit(
        conn, f"staff:{member.username}", "console.open_dossier", dossier_id, {"code": state.code}
    )
    return DossierDetail(state, list_handoffs(conn, dossier_id))
