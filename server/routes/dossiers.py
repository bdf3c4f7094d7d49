"""The processing workflow for city units: list, open, and act on dossiers by event type."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from core.clock import Timestamp
from core.events import EventType, make_event
from server.context import SERVER_NODE
from server.deps import ContextDep, StaffDep
from server.dossiers import (
    dossier_summary,
    latest_hlc,
    list_dossiers,
    list_handoffs,
    require_visible,
    stored_events,
)
from server.errors import BadRequest, Conflict
from server.ingest import Origin, ingest_events
from server.permissions import require_step

router = APIRouter(prefix="/v1/dossiers", tags=["dossiers"])

# What a unit does through this API; `received` only ever comes from a counter device.
WORKFLOW_EVENTS = tuple(t for t in EventType if t is not EventType.RECEIVED)


@router.get("")
def dossiers(
    member: StaffDep,
    context: ContextDep,
    status: str | None = None,
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0),
) -> dict:
    """List the dossiers the member's unit may see (the whole city for city-wide staff)."""
    with context.db.read() as conn:
        return {"dossiers": list_dossiers(conn, member.unit_code, status, limit, offset)}


@router.get("/{dossier_id}")
def dossier(dossier_id: str, member: StaffDep, context: ContextDep) -> dict:
    """Return one dossier with its events and its processing-control slip."""
    with context.db.read() as conn:
        require_visible(conn, dossier_id, member.unit_code)
        return {
            **dossier_summary(conn, dossier_id),
            "events": [event.to_wire() for event in stored_events(conn, dossier_id)],
            "handoffs": list_handoffs(conn, dossier_id),
        }


@router.post("/{dossier_id}/{event_type}", status_code=201)
def act(
    dossier_id: str,
    event_type: str,
    member: StaffDep,
    context: ContextDep,
    payload: Annotated[dict[str, Any] | None, Body()] = None,
) -> dict:
    """Record one workflow step (take, supplement, refuse, extend, stop, hand over, result...).

    :raises BadRequest: the step is unknown (404) or its payload is malformed (422)
    :raises StepNotAllowed: the member's role may not take the step (403, audited)
    :raises Conflict: the lifecycle forbids the step now (409, reason from core)
    """
    if event_type not in WORKFLOW_EVENTS:
        raise BadRequest(
            f"Không có bước xử lý '{event_type}'",
            f"No workflow step '{event_type}'",
            code="unknown_step",
            status=404,
        )
    require_step(context, member, dossier_id, EventType(event_type))
    with context.db.write() as conn:
        require_visible(conn, dossier_id, member.unit_code)
        unit_code = member.unit_code or dossier_summary(conn, dossier_id)["current_unit"]
        # A step taken now must sort after every event already seen, even from a tablet whose
        # clock ran ahead.
        context.clock.observe(Timestamp.decode(latest_hlc(conn, dossier_id)))
        event = make_event(
            dossier_id,
            EventType(event_type),
            payload or {},
            clock=context.clock,
            device_id=SERVER_NODE,
            officer_id=member.username,
            unit_code=unit_code,
        )
        (answer,) = ingest_events(conn, [event.to_wire()], Origin(unit_code=member.unit_code))
        if answer["status"] != "accepted":
            raise Conflict(answer["message_vi"], answer["message_en"], code=answer["reason"])
        return {**answer, "event": event.to_wire(), "dossier": dossier_summary(conn, dossier_id)}
