"""Idempotency keys (draft-ietf-httpapi-idempotency-key): a retry gets the first answer again."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from sqlalchemy import Connection, select

from server.db import Database
from server.errors import BadRequest
from server.feed import canonical_json
from server.schema import idempotency

__all__ = ["replay_or_run"]


def replay_or_run(
    db: Database,
    device_id: str,
    key: str,
    request_hash: str,
    run: Callable[[Connection], dict],
) -> tuple[dict, bool]:
    """Return the stored answer to (device, key), or run `run` and store its answer with it.

    Both happen in one serialised write transaction, so concurrent retries of one request wait
    for the first and then replay its answer. Returns ``(answer, replayed)``.

    :raises BadRequest: 422 idempotency_key_reused when the key came with a different request
    """
    with db.write() as conn:
        earlier = conn.execute(
            select(idempotency.c.request_hash, idempotency.c.response).where(
                idempotency.c.device_id == device_id, idempotency.c.key == key
            )
        ).first()
        if earlier is not None:
            if earlier.request_hash != request_hash:
                raise BadRequest(
                    "Idempotency-Key đã dùng cho một yêu cầu khác",
                    "This Idempotency-Key was used for a different request",
                    code="idempotency_key_reused",
                    status=422,
                )
            return json.loads(earlier.response), True
        answer = run(conn)
        conn.execute(
            idempotency.insert().values(
                device_id=device_id,
                key=key,
                request_hash=request_hash,
                response=canonical_json(answer),
                created_at=time.time(),
            )
        )
        return answer, False
