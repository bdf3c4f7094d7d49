"""Index-766 figures per unit and for the city, folded from the event store."""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import Connection, select

from core.dossier import fold
from core.dossier_state import DossierState
from core.events import Event
from core.figures import index766, index766_by_unit
from server.schema import dossiers, events

__all__ = ["figures_for"]


def _states(conn: Connection, unit_code: str | None) -> list[DossierState]:
    query = select(events.c.dossier_id, events.c.body).order_by(events.c.seq)
    if unit_code is not None:
        handled_here = select(dossiers.c.id).where(dossiers.c.competent_unit == unit_code)
        query = query.where(events.c.dossier_id.in_(handled_here))
    by_dossier: dict[str, list[Event]] = defaultdict(list)
    for row in conn.execute(query):
        by_dossier[row.dossier_id].append(Event.from_wire(json.loads(row.body)))
    return [fold(history) for history in by_dossier.values()]


def figures_for(conn: Connection, unit_code: str | None) -> dict:
    """Return the figures of the dossiers a unit is competent for, or the city's with each unit's.

    :param unit_code: one unit, or None for the whole city
    """
    states = _states(conn, unit_code)
    answer: dict = {"unit_code": unit_code, "figures": index766(states).to_dict()}
    if unit_code is None:
        by_unit = index766_by_unit(states, unit_of=lambda dossier: dossier.competent_unit)
        answer["units"] = {code: figures.to_dict() for code, figures in by_unit.items()}
    return answer
