"""Dossier queries on the server: stored events, visibility by unit, summaries and hand-offs."""

from __future__ import annotations

import json

from sqlalchemy import Connection, func, select

from core.events import Event
from server.errors import NotFound
from server.schema import dossier_units, dossiers, events, handoffs, page_refs

__all__ = [
    "dossier_summary",
    "latest_hlc",
    "list_dossiers",
    "list_handoffs",
    "stored_events",
    "visible_units",
    "require_visible",
    "require_visible_page",
]


def stored_events(conn: Connection, dossier_id: str) -> list[Event]:
    """Return the stored events of one dossier in the order the server accepted them."""
    rows = conn.execute(
        select(events.c.body).where(events.c.dossier_id == dossier_id).order_by(events.c.seq)
    ).scalars()
    return [Event.from_wire(json.loads(body)) for body in rows]


def latest_hlc(conn: Connection, dossier_id: str) -> str | None:
    """Return the highest hybrid-clock stamp among a dossier's events (encoded stamps sort)."""
    return conn.scalar(select(func.max(events.c.hlc)).where(events.c.dossier_id == dossier_id))


def visible_units(conn: Connection, dossier_id: str) -> set[str]:
    """Return the units that may see a dossier (received, routed, handed or returned there)."""
    return set(
        conn.scalars(
            select(dossier_units.c.unit_code).where(dossier_units.c.dossier_id == dossier_id)
        )
    )


def require_visible(conn: Connection, dossier_id: str, unit_code: str | None) -> None:
    """Check that `unit_code` (None: city-wide) may see the dossier.

    :raises NotFound: the dossier does not exist or belongs to other units (the same answer,
        so probing ids reveals nothing)
    """
    units = visible_units(conn, dossier_id)
    if not units or (unit_code is not None and unit_code not in units):
        raise NotFound(
            f"Không có hồ sơ {dossier_id}", f"No dossier {dossier_id}", code="unknown_dossier"
        )


def require_visible_page(conn: Connection, sha256: str, unit_code: str | None) -> None:
    """Check that a page belongs to a dossier `unit_code` (None: city-wide) may see.

    :raises NotFound: no visible dossier has this page (the same answer as for no such page)
    """
    query = select(page_refs.c.sha256).where(page_refs.c.sha256 == sha256)
    if unit_code is not None:
        query = query.join(
            dossier_units, dossier_units.c.dossier_id == page_refs.c.dossier_id
        ).where(dossier_units.c.unit_code == unit_code)
    if conn.execute(query.limit(1)).first() is None:
        raise NotFound(f"Không có trang {sha256}", f"No page {sha256}", code="unknown_page")


def _summary(row) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": row.id,
        "code": row.code,
        "procedure_code": row.procedure_code,
        "status": row.status,
        "receiving_unit": row.receiving_unit,
        "competent_unit": row.competent_unit,
        "current_unit": row.current_unit,
        "received_at": row.received_at,
        "due_at": row.due_at,
    }


def dossier_summary(conn: Connection, dossier_id: str) -> dict:
    """Return the stored summary row of one dossier (call :func:`require_visible` first)."""
    row = conn.execute(select(dossiers).where(dossiers.c.id == dossier_id)).one()
    return _summary(row)


def list_dossiers(
    conn: Connection, unit_code: str | None, status: str | None, limit: int, offset: int
) -> list[dict]:
    """Return the summaries of the dossiers a unit (None: the city) may see, newest first."""
    query = select(dossiers).order_by(dossiers.c.updated_at.desc()).limit(limit).offset(offset)
    if unit_code is not None:
        query = query.join(dossier_units, dossier_units.c.dossier_id == dossiers.c.id).where(
            dossier_units.c.unit_code == unit_code
        )
    if status is not None:
        query = query.where(dossiers.c.status == status)
    return [_summary(row) for row in conn.execute(query)]


def list_handoffs(conn: Connection, dossier_id: str) -> list[dict]:
    """Return the processing-control slip of a dossier: every hand-off in order."""
    rows = conn.execute(
        select(handoffs).where(handoffs.c.dossier_id == dossier_id).order_by(handoffs.c.seq)
    )
    return [
        {
            "event_id": row.event_id,
            "from_unit": row.from_unit,
            "to_unit": row.to_unit,
            "kind": row.kind,
            "note": row.note,
            "at": row.at,
        }
        for row in rows
    ]
