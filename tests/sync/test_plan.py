"""Pure decisions: page hashes, batching, answers to outbox states, feed pages, commands."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.plan import (
    event_batches,
    page_hashes,
    page_sizes,
    read_feed_page,
    sort_outcomes,
    verify_command,
)


def test_page_hashes_and_sizes_come_from_every_component(make_dossier):
    event, pages = make_dossier(1, pages=3)
    assert page_hashes([event]) == set(pages)
    assert page_sizes([event]) == {sha: len(data) for sha, data in pages.items()}


def test_batches_keep_order_and_respect_both_limits(make_dossier):
    events = [make_dossier(seed)[0] for seed in range(7)]
    size = len(events[0].to_json()) + 1
    by_count = event_batches(events, max_events=3)
    assert [len(b) for b in by_count] == [3, 3, 1]
    by_bytes = event_batches(events, max_bytes=size * 2 + 10)
    assert [len(b) for b in by_bytes] == [2, 2, 2, 1]
    assert [e.id for b in by_bytes for e in b] == [e.id for e in events]


def test_an_event_larger_than_the_byte_limit_still_travels_alone(make_dossier):
    events = [make_dossier(seed)[0] for seed in range(2)]
    assert [len(b) for b in event_batches(events, max_bytes=10)] == [1, 1]


def test_answers_sort_into_confirmed_quarantined_and_unanswered(make_dossier):
    batch = [make_dossier(seed)[0] for seed in range(4)]
    results = [
        {"id": batch[0].id, "status": "accepted"},
        {"id": batch[1].id, "status": "duplicate"},
        {"id": batch[2].id, "status": "rejected", "reason": "code_used", "message_vi": "Mã"},
        {"id": "garbled", "status": "accepted"},
    ]
    outcomes = sort_outcomes(batch, results)
    assert outcomes.confirmed == [batch[0].id, batch[1].id]
    assert outcomes.quarantined == [(batch[2].id, "code_used — Mã")]
    assert outcomes.unanswered == [batch[3].id]


@pytest.mark.parametrize("results", [None, "oops", [1, None, {"status": "accepted"}]])
def test_unreadable_answers_leave_everything_pending(make_dossier, results):
    batch = [make_dossier(0)[0]]
    assert sort_outcomes(batch, results).unanswered == [batch[0].id]


def test_feed_page_sorts_items_and_skips_malformed_ones(make_dossier):
    event = make_dossier(3)[0]
    reply = {
        "items": [
            {"seq": 5, "kind": "event", "body": event.to_wire()},
            {"seq": 6, "kind": "event", "body": {"id": "bad"}},
            {"seq": 7, "kind": "command", "body": {"command": "wipe"}},
            {"seq": 8, "kind": "catalogue", "body": {"kind": "catalogue", "version": "2026.1"}},
            {"seq": 9, "kind": "mystery", "body": {}},
        ],
        "cursor": 9,
        "more": True,
    }
    page = read_feed_page(reply, cursor=4)
    assert page.events == [event]
    assert page.commands == [{"command": "wipe"}]
    assert page.publications == [{"kind": "catalogue", "version": "2026.1"}]
    assert page.malformed == [6, 9]
    assert (page.cursor, page.more, page.garbled) == (9, True, False)


@pytest.mark.parametrize(
    "reply",
    [
        {"items": [], "cursor": 3},
        {"items": [], "cursor": 12},
        {"items": [{"seq": 11, "kind": "calendar", "body": {}}], "cursor": 17},
        {"items": [{"seq": 9, "kind": "calendar", "body": {}}], "cursor": 9},
        "garbled",
    ],
)
def test_a_cursor_that_does_not_match_the_items_is_a_garbled_reply(reply):
    page = read_feed_page(reply, cursor=10)
    assert page.garbled and page.cursor == 10


def test_an_empty_page_keeps_the_cursor():
    page = read_feed_page({"items": [], "cursor": 10, "more": False}, cursor=10)
    assert (page.garbled, page.cursor, page.more) == (False, 10, False)


def _signed(key: Ed25519PrivateKey, body: dict) -> dict:
    message = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return {**body, "signature": base64.b64encode(key.sign(message.encode())).decode()}


def test_commands_count_only_when_signed_by_the_city_for_this_device():
    city = Ed25519PrivateKey.generate()
    command = _signed(city, {"command": "wipe", "device_id": "dev-1", "issued_at": 1})
    assert verify_command(command, city.public_key(), "dev-1")
    assert not verify_command(command, city.public_key(), "dev-2")
    assert not verify_command({**command, "issued_at": 2}, city.public_key(), "dev-1")
    forged = _signed(Ed25519PrivateKey.generate(), {"command": "wipe", "device_id": "dev-1"})
    assert not verify_command(forged, city.public_key(), "dev-1")
