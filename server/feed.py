"""The change feed: what each unit and device may see, appended in order and read by cursor."""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from server.keys import ServerKeys
from server.schema import changes, publications

__all__ = [
    "PUBLICATION_KINDS",
    "append_command",
    "canonical_json",
    "latest_publication",
    "publish",
    "read_feed",
]

PUBLICATION_KINDS = ("catalogue", "calendar")


def canonical_json(value: Any) -> str:
    """Return `value` as canonical JSON text: sorted keys, compact, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def append_command(
    conn: Connection, keys: ServerKeys, device_id: str, command: str, detail: dict
) -> dict:
    """Queue a server-signed command (``wipe``) for one device and return it."""
    body = {"command": command, "device_id": device_id, "issued_at": int(time.time()), **detail}
    signed = {**body, "signature": keys.sign(canonical_json(body).encode())}
    conn.execute(
        changes.insert().values(
            unit_code=None, device_id=device_id, kind="command", body=canonical_json(signed)
        )
    )
    return signed


def publish(conn: Connection, kind: str, version: str, body: dict) -> bool:
    """Publish a catalogue or calendar version to every unit; False if it was already out."""
    exists = conn.execute(
        select(publications.c.kind).where(
            publications.c.kind == kind, publications.c.version == version
        )
    ).first()
    if exists:
        return False
    conn.execute(
        publications.insert().values(
            kind=kind, version=version, body=canonical_json(body), published_at=time.time()
        )
    )
    item = {"kind": kind, "version": version, "body": body}
    conn.execute(
        changes.insert().values(
            unit_code=None, device_id=None, kind=kind, body=canonical_json(item)
        )
    )
    return True


def latest_publication(conn: Connection, kind: str) -> dict | None:
    """Return the newest published version of `kind` as ``{kind, version, body}``, or None."""
    row = conn.execute(
        select(publications)
        .where(publications.c.kind == kind)
        .order_by(publications.c.published_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return {"kind": kind, "version": row.version, "body": json.loads(row.body)}


def read_feed(
    conn: Connection, unit_code: str, device_id: str, cursor: int, limit: int, commands_only: bool
) -> tuple[list[dict], int]:
    """Return the changes after `cursor` that a device of `unit_code` may see, and the new cursor.

    :param commands_only: a device being wiped sees only the commands addressed to it
    """
    mine = changes.c.device_id == device_id
    scope = mine
    if not commands_only:
        everyone = and_(changes.c.unit_code.is_(None), changes.c.device_id.is_(None))
        scope = or_(changes.c.unit_code == unit_code, everyone, mine)
    rows = conn.execute(
        select(changes.c.seq, changes.c.kind, changes.c.body)
        .where(changes.c.seq > cursor, scope)
        .order_by(changes.c.seq)
        .limit(limit)
    ).all()
    items = [{"seq": row.seq, "kind": row.kind, "body": json.loads(row.body)} for row in rows]
    return items, (rows[-1].seq if rows else cursor)
