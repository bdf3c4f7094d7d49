"""Event batches: per-event answers, idempotency, lifecycle rules, and nothing stored half-way."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from core.codes import CodeIssuer
from core.events import EventType
from core.ids import new_id


def test_batch_answers_each_event_and_a_rejection_blocks_nothing(device):
    first, second = device.received(), device.received()
    illegal = device.event(
        first.dossier_id, EventType.RETURNED, {"method": "counter", "postal_ref": None}
    )
    take = device.event(second.dossier_id, EventType.PROCESSING_STARTED, {})
    response = device.send([first, illegal, second, take])
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted", "accepted"]
    assert results[1]["reason"] == "illegal_transition"
    assert results[1]["message_vi"] and results[1]["message_en"]


def test_retry_with_the_same_key_replays_the_first_answer(device):
    event = device.received()
    first = device.send([event], key="batch-1")
    again = device.send([event], key="batch-1")
    assert again.json()["results"] == first.json()["results"]
    assert again.headers["Idempotent-Replay"] == "1"
    resent = device.send([event], key="batch-2")
    assert resent.json()["results"][0]["status"] == "duplicate"


def test_same_key_with_a_different_batch_is_refused(device):
    device.send([device.received()], key="batch-x")
    response = device.send([device.received()], key="batch-x")
    assert response.status_code == 422
    assert response.json()["reason"] == "idempotency_key_reused"


def test_same_id_with_other_content_is_rejected(device):
    event = device.received()
    device.send([event])
    wire = event.to_wire()
    wire["payload"]["fee_vnd"] = 999
    response = device.http.post(
        "/v1/events", json={"events": [wire]}, headers={"Idempotency-Key": new_id()}
    )
    assert response.json()["results"][0] == {
        **response.json()["results"][0],
        "status": "rejected",
        "reason": "id_conflict",
    }


def test_unknown_procedure_and_malformed_events_are_rejected_by_reason(device, city):
    unknown = city.received_payload(device.unit_code, {}, device.next_code())
    unknown["procedure_code"] = "9.999999"
    bad = device.received().to_wire()
    bad["payload"]["fee_vnd"] = "free"
    response = device.http.post(
        "/v1/events",
        json={
            "events": [
                device.event(new_id(), EventType.RECEIVED, unknown).to_wire(),
                bad,
                "not an event",
            ]
        },
        headers={"Idempotency-Key": new_id()},
    )
    reasons = [r.get("reason") for r in response.json()["results"]]
    assert reasons == ["unknown_procedure", "bad_wire_format", "bad_wire_format"]


def test_an_event_for_another_unit_or_device_is_rejected(device, city):
    other = city.enrol(city.OTHER_UNIT)
    foreign = other.received()
    response = device.send([foreign])
    assert response.json()["results"][0]["reason"] == "wrong_device"
    other.send([foreign])
    probe = device.event(foreign.dossier_id, EventType.PROCESSING_STARTED, {})
    assert device.send([probe]).json()["results"][0]["reason"] == "unknown_dossier"


def test_bad_bodies_get_a_4xx_with_a_reason_and_store_nothing(device, server):
    cases = [
        (b"{not json", 400, "malformed_json"),
        (json.dumps({"events": "many"}).encode(), 422, "invalid_field"),
        (json.dumps([1, 2]).encode(), 422, "invalid_field"),
        (b"x" * (server.context.settings.max_body_bytes + 1), 413, "body_too_large"),
    ]
    for body, status, reason in cases:
        response = device.http.post(
            "/v1/events",
            content=body,
            headers={"Idempotency-Key": new_id(), "Content-Type": "application/json"},
        )
        assert (response.status_code, response.json()["reason"]) == (status, reason)
    missing_key = device.http.post("/v1/events", json={"events": []})
    assert missing_key.json()["reason"] == "missing_idempotency_key"
    feed = device.http.get("/v1/feed", params={"cursor": 0, "limit": 500}).json()
    assert all(item["body"].get("device_id") != device.id for item in feed["items"])


def test_batches_larger_than_the_limit_are_refused(device, server):
    limit = server.context.settings.max_batch_events
    response = device.http.post(
        "/v1/events", json={"events": [{}] * (limit + 1)}, headers={"Idempotency-Key": new_id()}
    )
    assert (response.status_code, response.json()["reason"]) == (413, "batch_too_large")


def test_concurrent_retries_of_one_batch_take_effect_once(device, city):
    events = [device.received() for _ in range(5)]
    body = {"events": [e.to_wire() for e in events]}

    def post(key):
        return device.http.post("/v1/events", json=body, headers={"Idempotency-Key": key})

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(post, ["same-key"] * 3 + [new_id() for _ in range(3)]))
    statuses = [[r["status"] for r in a.json()["results"]] for a in answers]
    accepted = [s for s in statuses if s == ["accepted"] * 5]
    assert len(accepted) in (1, 3)  # one first answer, replayed to its retries if they won
    assert all(s in (["accepted"] * 5, ["duplicate"] * 5) for s in statuses)
    leader = city.staff("leader", None)
    for event in events:
        stored = leader.get(f"/v1/dossiers/{event.dossier_id}").json()["events"]
        assert [e["id"] for e in stored] == [event.id]


def test_dossier_codes_must_be_legal_this_units_this_devices_and_unused(device, city):
    first = device.received()
    device.send([first])
    reused = first.payload["code"]
    own_slot = device.enrolment["code_issuer"]["device_slot"]
    foreign_slot = CodeIssuer("H31.11311", (own_slot + 1) % 33).issue(date(2026, 3, 2))
    cases = {
        reused: "duplicate_code",
        foreign_slot: "code_outside_slot",
        CodeIssuer("H31.11533", own_slot).issue(date(2026, 3, 2)): "bad_dossier_code",
        "HS-2026-1": "bad_dossier_code",
    }
    events = []
    for code in cases:
        payload = city.received_payload(device.unit_code, {}, code)
        events.append(device.event(new_id(), EventType.RECEIVED, payload))
    results = device.send(events).json()["results"]
    assert [r.get("reason") for r in results] == list(cases.values())
