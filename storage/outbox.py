"""The outbox: local events and pages waiting for the city server, in the order they were written.

States: ``pending`` (not yet sent) → ``sent`` (sent, answer not yet seen; sent again after a
crash, which the server's idempotency makes safe) → ``confirmed``; or ``quarantined`` with the
server's reason, which never blocks the events behind it, until an officer retries it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from core.events import Event
from storage.blobs import BlobStore
from storage.errors import NotFound
from storage.keyring import Keyring
from storage.schema import guard_disk

__all__ = ["Outbox", "QuarantinedEvent"]


@dataclass(frozen=True)
class QuarantinedEvent:
    """An event the server rejected, with its reason."""

    event: Event
    reason: str


class Outbox:
    """What sync/ pushes, and the bookkeeping of what the server confirmed.

    >>> batch = session.outbox.pending_events(limit=200)
    >>> session.outbox.mark_confirmed([e.id for e in batch])
    """

    def __init__(self, db: Database, keyring: Keyring, blobs: BlobStore):
        self._db = db
        self._keys = keyring
        self._blobs = blobs

    def _events(self, states: tuple[str, ...], limit: int) -> list[tuple[Event, dict]]:
        rows = self._db.query(
            "SELECT o.event_id, o.dossier_id, o.reason_box, e.body_box, d.wrapped_key"
            " FROM outbox o JOIN events e ON e.id = o.event_id"
            " JOIN dossiers d ON d.id = o.dossier_id"
            f" WHERE o.state IN ({','.join('?' * len(states))}) ORDER BY o.seq LIMIT ?",
            [*states, limit],
        )
        keys: dict[str, bytes] = {}
        result = []
        for row in rows:
            dossier_id = row["dossier_id"]
            if dossier_id not in keys:
                keys[dossier_id] = self._keys.unwrap(row["wrapped_key"], "dossiers.wrapped_key")
            body = self._keys.open(
                keys[dossier_id],
                row["body_box"],
                "events",
                "body",
                f"{dossier_id}/{row['event_id']}",
            )
            result.append((Event.from_json(body), row))
        return result

    def pending_events(self, limit: int = 500) -> list[Event]:
        """Return up to `limit` events not yet confirmed (nor quarantined), oldest first."""
        return [event for event, _ in self._events(("pending", "sent"), limit)]

    def pending_blobs(self) -> list[str]:
        """Return the SHA-256 of every local page the server has not confirmed."""
        return self._blobs.hashes("pending")

    def _set(self, event_ids: list[str], sql: str, params: list) -> None:
        with guard_disk(), self._db.atomic():
            for event_id in event_ids:
                self._db.execute(sql, [*params, event_id])

    def mark_sent(self, event_ids: list[str]) -> None:
        """Record that these events went out (their answer is not known yet)."""
        self._set(
            event_ids,
            "UPDATE outbox SET state = 'sent', attempts = attempts + 1"
            " WHERE state IN ('pending', 'sent') AND event_id = ?",
            [],
        )

    def mark_confirmed(self, event_ids: list[str]) -> None:
        """Record that the server holds these events (accepted or duplicate)."""
        self._set(event_ids, "UPDATE outbox SET state = 'confirmed' WHERE event_id = ?", [])

    def mark_blobs_confirmed(self, hashes: list[str]) -> None:
        """Record that the server holds these pages."""
        with guard_disk():
            self._blobs.set_state(hashes, "confirmed")

    def quarantine(self, event_id: str, reason: str) -> None:
        """Set an event aside with the server's reason; the events behind it go on.

        :raises NotFound: when the outbox has no such event.
        """
        if not self._db.table("outbox").count_where("event_id = ?", [event_id]):
            raise NotFound("sự kiện/event", event_id)
        box = self._keys.seal(
            self._keys.derived("outbox"), reason.encode(), "outbox", "reason", event_id
        )
        self._set(
            [event_id],
            "UPDATE outbox SET state = 'quarantined', reason_box = ? WHERE event_id = ?",
            [box],
        )

    def quarantined(self) -> list[QuarantinedEvent]:
        """Return the events the server rejected, oldest first, with their reasons."""
        key = self._keys.derived("outbox")
        return [
            QuarantinedEvent(
                event,
                self._keys.open(key, row["reason_box"], "outbox", "reason", event.id).decode(),
            )
            for event, row in self._events(("quarantined",), -1)
        ]

    def retry(self, event_id: str) -> None:
        """Put a quarantined event back in the queue (after an officer fixed the cause).

        :raises NotFound: when no quarantined event has this id.
        """
        if not self._db.table("outbox").count_where(
            "event_id = ? AND state = 'quarantined'", [event_id]
        ):
            raise NotFound("sự kiện bị giữ lại/quarantined event", event_id)
        self._set(
            [event_id],
            "UPDATE outbox SET state = 'pending', reason_box = NULL WHERE event_id = ?",
            [],
        )

    def counts(self) -> dict[str, int]:
        """Return how many outbox events are in each state."""
        return {
            row["state"]: row["n"]
            for row in self._db.query("SELECT state, count(*) AS n FROM outbox GROUP BY state")
        }
