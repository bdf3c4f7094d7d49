"""The append-only, hash-chained audit log of who looked at or exported citizens' documents."""

from __future__ import annotations

import hashlib
import json
import time

from sqlalchemy import Connection, select

from server.feed import canonical_json
from server.schema import audit_log

__all__ = ["GENESIS_HASH", "append_audit", "read_audit", "verify_audit_chain"]

GENESIS_HASH = "0" * 64


def _entry_hash(
    prev_hash: str, at: float, actor: str, action: str, subject: str, detail: str
) -> str:
    material = canonical_json([prev_hash, repr(at), actor, action, subject, detail])
    return hashlib.sha256(material.encode()).hexdigest()


def append_audit(conn: Connection, actor: str, action: str, subject: str, detail: dict) -> str:
    """Append one entry chained to the one before it and return its hash.

    Call inside a write transaction: the serialised writer keeps the chain a single line.
    """
    prev = conn.scalar(select(audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1))
    prev_hash = prev or GENESIS_HASH
    at = time.time()
    detail_text = canonical_json(detail)
    entry_hash = _entry_hash(prev_hash, at, actor, action, subject, detail_text)
    conn.execute(
        audit_log.insert().values(
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            detail=detail_text,
            prev_hash=prev_hash,
            hash=entry_hash,
        )
    )
    return entry_hash


def read_audit(conn: Connection, after: int = 0, limit: int = 500) -> list[dict]:
    """Return audit entries after sequence `after`, oldest first."""
    rows = conn.execute(
        select(audit_log).where(audit_log.c.seq > after).order_by(audit_log.c.seq).limit(limit)
    )
    return [
        {
            "seq": row.seq,
            "at": row.at,
            "actor": row.actor,
            "action": row.action,
            "subject": row.subject,
            "detail": json.loads(row.detail),
            "prev_hash": row.prev_hash,
            "hash": row.hash,
        }
        for row in rows
    ]


def verify_audit_chain(conn: Connection) -> int | None:
    """Return the sequence number of the first entry that breaks the chain, or None if intact."""
    expected_prev = GENESIS_HASH
    for row in conn.execute(select(audit_log).order_by(audit_log.c.seq)):
        recomputed = _entry_hash(
            row.prev_hash, row.at, row.actor, row.action, row.subject, row.detail
        )
        if row.prev_hash != expected_prev or row.hash != recomputed:
            return row.seq
        expected_prev = row.hash
    return None
