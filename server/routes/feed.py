"""The change feed a device pulls: its unit's dossiers, publications and its own commands."""

from __future__ import annotations

import time

from fastapi import APIRouter, Query

from server.deps import ContextDep, WipingDeviceDep
from server.feed import read_feed

router = APIRouter(prefix="/v1", tags=["feed"])


@router.get("/feed")
def get_feed(
    signed: WipingDeviceDep,
    context: ContextDep,
    cursor: int = Query(default=0, ge=0),
    limit: int = Query(default=200, ge=1),
) -> dict:
    """Return the next page of changes after `cursor`; ``more`` says whether to ask again."""
    device = signed.device
    page = min(limit, context.settings.feed_page_max)
    with context.db.read() as conn:
        items, next_cursor = read_feed(
            conn, device.unit_code, device.id, cursor, page, device.status == "wiping"
        )
    return {
        "items": items,
        "cursor": next_cursor,
        "more": len(items) == page,
        "server_time": int(time.time()),
    }
