"""What the counter records when it accepts a dossier: the payload of its RECEIVED event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.calendar import WorkCalendar
from core.catalogue import COMPETENT_UNIT_RULES, Procedure, competent_unit

__all__ = ["received_payload"]


def received_payload(
    procedure: Procedure,
    *,
    code: str,
    catalogue_version: str,
    applicant: dict[str, Any],
    residence_unit: str,
    receiving_unit: str,
    received_at: datetime,
    calendar: WorkCalendar,
    components: list[dict[str, Any]],
    fee_vnd: int,
    channel: str = "counter",
    return_method: str = "counter",
    return_address: str | None = None,
) -> dict[str, Any]:
    """Return the RECEIVED payload, routed to the competent unit and due by `calendar`.

    :param residence_unit: the applicant's commune, which routes residence-bound procedures
    :raises core.catalogue.RoutingError: the competent unit cannot be found
    """
    applicant = dict(applicant)
    routing_field = COMPETENT_UNIT_RULES[procedure.competent_unit_rule]
    if routing_field is not None:  # the server routes by it too, so it travels in the event
        applicant[routing_field] = residence_unit
    return {
        "code": code,
        "procedure_code": procedure.code,
        "catalogue_version": catalogue_version,
        "applicant": applicant,
        "channel": channel,
        "receiving_unit": receiving_unit,
        "competent_unit": competent_unit(procedure, receiving_unit, applicant),
        "return_method": return_method,
        "return_address": return_address,
        "received_at": received_at.isoformat(),
        "due_at": calendar.due_at(procedure, received_at).isoformat(),
        "components": components,
        "fee_vnd": fee_vnd,
    }
