"""Pure decisions of a sync run: what to send, how to batch it, what each answer means.

Nothing here does I/O, so every rule is tested with plain values. Merging itself is
``core.dossier.fold`` (per-field last-writer-wins by hybrid clock, conflicts flagged, pages as
sets, the lifecycle deciding transitions); sync only makes sure both sides fold the same events.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from core.events import Event, EventType, WireFormatError

__all__ = [
    "FeedPage",
    "Outcomes",
    "event_batches",
    "page_hashes",
    "page_sizes",
    "read_feed_page",
    "sort_outcomes",
    "verify_command",
]

ACCEPTED = ("accepted", "duplicate")


def page_sizes(events: Iterable[Event]) -> dict[str, int]:
    """Return the size in bytes of every page blob that `events` refer to, by SHA-256."""
    sizes: dict[str, int] = {}
    for event in events:
        payload = event.payload
        if event.type is EventType.RECEIVED:
            pages = [page for part in payload["components"] for page in part["pages"]]
        elif event.type is EventType.PAGES_ADDED:
            pages = payload["pages"]
        elif event.type is EventType.RESULT_READY:
            pages = payload["result"]["pages"]
        else:
            pages = []
        sizes.update((page["sha256"], page["bytes"]) for page in pages)
    return sizes


def page_hashes(events: Iterable[Event]) -> set[str]:
    """Return the SHA-256 of every page blob that `events` refer to."""
    return set(page_sizes(events))


def event_batches(
    events: list[Event], *, max_events: int = 200, max_bytes: int = 256 * 1024
) -> list[list[Event]]:
    """Split `events`, in order, into batches under both an event count and a byte size."""
    batches: list[list[Event]] = []
    current: list[Event] = []
    size = 0
    for event in events:
        length = len(event.to_json()) + 1
        if current and (len(current) >= max_events or size + length > max_bytes):
            batches.append(current)
            current, size = [], 0
        current.append(event)
        size += length
    if current:
        batches.append(current)
    return batches


@dataclass(frozen=True)
class Outcomes:
    """What the server's per-event answers to one batch mean for the outbox."""

    confirmed: list[str] = field(default_factory=list)
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)


def sort_outcomes(batch: list[Event], results: object) -> Outcomes:
    """Sort the server's answers: accepted or duplicate → confirmed, rejected → quarantined.

    An event the answer does not mention stays pending and is sent again in a later batch.
    """
    answers: dict[str, dict[str, Any]] = {}
    if isinstance(results, list):
        for answer in results:
            if isinstance(answer, dict) and isinstance(answer.get("id"), str):
                answers[answer["id"]] = answer
    outcomes = Outcomes()
    for event in batch:
        answer = answers.get(event.id)
        status = answer.get("status") if answer else None
        if status in ACCEPTED:
            outcomes.confirmed.append(event.id)
        elif status == "rejected":
            outcomes.quarantined.append((event.id, _reason(answer)))
        else:
            outcomes.unanswered.append(event.id)
    return outcomes


def _reason(answer: dict[str, Any] | None) -> str:
    answer = answer or {}
    parts = [answer.get(key) for key in ("reason", "message_vi", "message_en")]
    return " — ".join(str(part) for part in parts if part) or "rejected"


@dataclass(frozen=True)
class FeedPage:
    """One page of the change feed, sorted by kind."""

    events: list[Event]
    commands: list[dict[str, Any]]
    publications: list[dict[str, Any]]
    malformed: list[int]
    cursor: int
    more: bool
    garbled: bool = False


def read_feed_page(reply: object, cursor: int) -> FeedPage:
    """Sort a feed reply into events, commands and publications, and check its cursor.

    Malformed items are listed by sequence number; the engine retries such a page a few times
    (it may have been garbled on the way) and then skips the items, so one bad item never
    blocks the feed behind it.
    """
    reply = reply if isinstance(reply, dict) else {}
    events, commands, publications, malformed = [], [], [], []
    for item in reply.get("items") or []:
        if not isinstance(item, dict):
            continue
        kind, body, seq = item.get("kind"), item.get("body"), item.get("seq", -1)
        try:
            if kind == "event":
                events.append(Event.from_wire(body))
            elif kind == "command" and isinstance(body, dict):
                commands.append(body)
            elif kind in ("catalogue", "calendar") and isinstance(body, dict):
                publications.append(body)
            else:
                malformed.append(seq)
        except WireFormatError:
            malformed.append(seq)
    seqs = [item.get("seq") for item in reply.get("items") or [] if isinstance(item, dict)]
    next_cursor = reply.get("cursor")
    # The server's cursor is the last item's sequence number (or the old cursor when there is
    # nothing new); anything else is a reply garbled on the way.
    expected = max((s for s in seqs if isinstance(s, int)), default=cursor)
    garbled = next_cursor != expected or not all(isinstance(s, int) and s > cursor for s in seqs)
    return FeedPage(
        events,
        commands,
        publications,
        malformed,
        expected if not garbled else cursor,
        bool(reply.get("more")),
        garbled,
    )


def verify_command(command: dict[str, Any], server_key: Ed25519PublicKey, device_id: str) -> bool:
    """Return whether a command is signed by the city server and addressed to this device."""
    body = {key: value for key, value in command.items() if key != "signature"}
    if body.get("device_id") != device_id or not isinstance(command.get("signature"), str):
        return False
    message = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    try:
        server_key.verify(base64.b64decode(command["signature"]), message.encode())
    except (InvalidSignature, ValueError):
        return False
    return True
