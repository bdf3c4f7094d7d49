"""What one ingest batch reads once and writes once: dossier states, histories, pending rows.

Building SQL per event is what limits an ingest loop, so a batch loads each dossier it touches
in one query and writes all it accepted with one ``executemany`` per table when it ends.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from core import dossier as lifecycle
from core.events import Event
from server.figures import write_summaries
from server.schema import (
    changes,
    documents,
    dossier_units,
    dossiers,
    events,
    handoffs,
    page_refs,
)

__all__ = ["PendingBatch"]

_DOSSIER_COLUMNS = (
    "code",
    "procedure_code",
    "status",
    "receiving_unit",
    "competent_unit",
    "current_unit",
    "applicant_cccd",
    "received_at",
    "due_at",
    "updated_at",
)
_UPDATE_DOSSIER = (
    update(dossiers)
    .where(dossiers.c.id == bindparam("dossier_key"))
    .values({name: bindparam(name) for name in _DOSSIER_COLUMNS})
)


def _dossier_values(state: Any) -> dict[str, Any]:
    return {
        "code": state.code,
        "procedure_code": state.procedure_code,
        "status": str(state.status),
        "receiving_unit": state.receiving_unit,
        "competent_unit": state.competent_unit,
        "current_unit": state.current_unit,
        "applicant_cccd": (state.applicant or {}).get("cccd"),
        "received_at": str(state.received_at),
        "due_at": str(state.due_at),
        "updated_at": time.time(),
    }


@dataclass
class PendingBatch:
    """Dossiers loaded for one batch and the rows it will write."""

    states: dict[str, Any] = field(default_factory=dict)
    units: dict[str, set[str]] = field(default_factory=dict)
    history: dict[str, list[str]] = field(default_factory=dict)
    new_dossiers: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    def load(self, conn: Connection, dossier_ids: set[str]) -> None:
        """Read the stored events and visible units of every dossier in `dossier_ids`."""
        wanted = sorted(dossier_ids - set(self.states))
        if not wanted:
            return
        stored: dict[str, list[str]] = defaultdict(list)
        for row in conn.execute(
            select(events.c.dossier_id, events.c.body)
            .where(events.c.dossier_id.in_(wanted))
            .order_by(events.c.seq)
        ):
            stored[row.dossier_id].append(row.body)
        units: dict[str, set[str]] = defaultdict(set)
        for row in conn.execute(
            select(dossier_units.c.dossier_id, dossier_units.c.unit_code).where(
                dossier_units.c.dossier_id.in_(wanted)
            )
        ):
            units[row.dossier_id].add(row.unit_code)
        for dossier_id in wanted:
            history = stored.get(dossier_id, [])
            self.history[dossier_id] = history
            self.units[dossier_id] = units.get(dossier_id, set())
            self.states[dossier_id] = (
                lifecycle.fold(Event.from_wire(json.loads(body)) for body in history)
                if history
                else None
            )

    def load_codes(self, conn: Connection, codes: set[str]) -> None:
        """Remember which of `codes` other dossiers already carry."""
        if codes:
            taken = conn.scalars(select(dossiers.c.code).where(dossiers.c.code.in_(sorted(codes))))
            self.codes.update(taken)

    def add_event(self, event: Event, body: str) -> None:
        """Queue an accepted event (`body` is its canonical JSON) and add it to the history."""
        self.rows["events"].append(
            {
                "id": event.id,
                "dossier_id": event.dossier_id,
                "type": str(event.type),
                "hlc": event.hlc,
                "device_id": event.device_id,
                "unit_code": event.unit_code,
                "body": body,
                "stored_at": time.time(),
            }
        )
        self.history[event.dossier_id].append(body)

    def set_state(self, dossier_id: str, state: Any, is_new: bool) -> None:
        """Record a dossier's new state (written once, at the end)."""
        self.states[dossier_id] = state
        if is_new:
            self.new_dossiers.add(dossier_id)

    def widen(self, dossier_id: str, new_units: set[str]) -> set[str]:
        """Let more units see a dossier; return the units that were added."""
        added = new_units - self.units[dossier_id]
        self.units[dossier_id] |= added
        self.rows["dossier_units"] += [{"dossier_id": dossier_id, "unit_code": u} for u in added]
        return added

    def feed(self, units: set[str], bodies: list[str]) -> None:
        """Queue feed rows: each body for each unit, in the order given."""
        self.rows["changes"] += [
            {"unit_code": unit, "device_id": None, "kind": "event", "body": body}
            for unit in sorted(units)
            for body in bodies
        ]

    def hand_off(self, event: Event, from_unit: str, to_unit: str, kind: str, note: str) -> None:
        """Queue a line of the processing-control slip."""
        self.rows["handoffs"].append(
            {
                "dossier_id": event.dossier_id,
                "event_id": event.id,
                "from_unit": from_unit,
                "to_unit": to_unit,
                "kind": kind,
                "note": note,
                "at": time.time(),
            }
        )

    def write(self, conn: Connection) -> None:
        """Write every queued row (events first, the feed in the order it was queued)."""
        if self.rows["events"]:
            conn.execute(events.insert(), self.rows["events"])
        touched = {row["dossier_id"] for row in self.rows["events"]}
        inserts = [
            {"id": key, **_dossier_values(self.states[key])}
            for key in sorted(touched & self.new_dossiers)
        ]
        updates = [
            {"dossier_key": key, **_dossier_values(self.states[key])}
            for key in sorted(touched - self.new_dossiers)
        ]
        if inserts:
            conn.execute(dossiers.insert(), inserts)
        if updates:
            conn.execute(_UPDATE_DOSSIER, updates)
        write_summaries(
            conn,
            [self.states[key] for key in sorted(touched & self.new_dossiers)],
            [self.states[key] for key in sorted(touched - self.new_dossiers)],
        )
        for table in (dossier_units, handoffs, changes, documents, page_refs):
            if self.rows[table.name]:
                conn.execute(table.insert(), self.rows[table.name])
