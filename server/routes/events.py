"""Event batches from devices: idempotent by key, answered event by event."""

from __future__ import annotations

import hashlib
import time

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from server.deps import ContextDep, DeviceDep, parse_json
from server.errors import BadRequest
from server.idempotency import replay_or_run
from server.ingest import Origin, ingest_events

router = APIRouter(prefix="/v1", tags=["events"])


def _events_of(document: object, limit: int) -> list:
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        raise BadRequest(
            'Nội dung phải là {"events": [...]}',
            'The body must be {"events": [...]}',
            code="invalid_field",
            status=422,
        )
    batch = document["events"]
    if len(batch) > limit:
        raise BadRequest(
            f"Một lô tối đa {limit} sự kiện",
            f"A batch holds at most {limit} events",
            code="batch_too_large",
            status=413,
        )
    return batch


@router.post("/events")
def post_events(
    signed: DeviceDep,
    context: ContextDep,
    idempotency_key: str | None = Header(default=None, max_length=200),
) -> JSONResponse:
    """Ingest a batch; a retry with the same Idempotency-Key gets the first answer again."""
    if not idempotency_key:
        raise BadRequest(
            "Thiếu tiêu đề Idempotency-Key",
            "The Idempotency-Key header is missing",
            code="missing_idempotency_key",
        )
    batch = _events_of(parse_json(signed.body), context.settings.max_batch_events)
    device = signed.device
    origin = Origin(unit_code=device.unit_code, device_id=device.id, device_slot=device.slot)
    answer, replayed = replay_or_run(
        context.db,
        device.id,
        idempotency_key,
        hashlib.sha256(signed.body).hexdigest(),
        lambda conn: {"results": ingest_events(conn, batch, origin)},
    )
    headers = {"Idempotent-Replay": "1"} if replayed else {}
    return JSONResponse({**answer, "server_time": int(time.time())}, headers=headers)
