from __future__ import annotations

import json
import uuid

import pytest

from core.clock import HybridClock, Timestamp
from core.events import PAYLOAD_CHECKS, Event, EventType, WireFormatError, make_event
from core.ids import id_time_ms

MINIMAL_PAYLOADS = {
    EventType.FIELDS_EDITED: {"fields": {"applicant.phone": "0987654321"}},
    EventType.PAGES_ADDED: {"component_id": "giay-chung-sinh", "pages": ["PAGE"]},
    EventType.SUPPLEMENT_REQUESTED: {"missing": ["Giấy chứng sinh"], "note": ""},
    EventType.SUPPLEMENTED: {},
    EventType.REFUSED: {"reason": "Không thuộc thẩm quyền"},
    EventType.PROCESSING_STARTED: {},
    EventType.HANDED_OVER: {"from_unit": "11311", "to_unit": "11314", "note": ""},
    EventType.EXTENDED: {"new_due_at": "2026-03-09T17:00:00+07:00", "reason": "Cần xác minh"},
    EventType.STOPPED: {"reason": "Công dân rút hồ sơ"},
    EventType.RESULT_READY: {
        "result": {"document_type": "giay-khai-sinh", "pages": ["PAGE"], "digitised": True}
    },
    EventType.RETURNED: {"method": "post", "postal_ref": "EB123456789VN"},
    EventType.FEE_PAID: {"amount_vnd": 8000, "online": True},
    EventType.RATED: {"score": 5},
}


def payload_for(desk, event_type):
    if event_type is EventType.RECEIVED:
        return desk.received_payload()
    text = json.dumps(MINIMAL_PAYLOADS[event_type]).replace('"PAGE"', json.dumps(desk.page()))
    return json.loads(text)


def test_every_event_type_has_a_payload_schema():
    assert set(PAYLOAD_CHECKS) == set(EventType)
    assert set(MINIMAL_PAYLOADS) | {EventType.RECEIVED} == set(EventType)


@pytest.mark.parametrize("event_type", list(EventType))
def test_each_event_type_round_trips_through_json(desk, event_type):
    event = desk.make(event_type, payload_for(desk, event_type))
    assert Event.from_json(event.to_json()) == event
    assert Event.from_wire(event.to_wire()) == event
    assert event.type is event_type


def test_json_is_canonical_sorted_compact_utf8(desk):
    event = desk.receive()
    raw = event.to_json()
    assert (
        raw
        == json.dumps(
            json.loads(raw), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    )
    assert "Nguyễn Văn An".encode() in raw
    assert b'"fee_vnd":8000,"procedure_code"' in raw and b"\n" not in raw
    assert list(json.loads(raw)) == sorted(json.loads(raw))


def test_make_event_stamps_a_fresh_uuid7_and_the_clock(desk):
    first = desk.receive()
    second = desk.make(EventType.PROCESSING_STARTED)
    assert uuid.UUID(first.id).version == 7
    assert first.id != second.id
    assert second.timestamp > first.timestamp
    assert desk.clock.last == second.timestamp


def test_events_can_be_kept_in_sets(desk):
    event = desk.receive()
    assert {event, Event.from_json(event.to_json())} == {event}


def test_to_wire_is_a_copy(desk):
    event = desk.receive()
    wire = event.to_wire()
    wire["payload"]["applicant"]["name"] = "Khác"
    assert event.payload["applicant"]["name"] == "Nguyễn Văn An"


def test_from_wire_copies_the_payload(desk):
    wire = desk.receive().to_wire()
    event = Event.from_wire(wire)
    wire["payload"]["fee_vnd"] = 1
    assert event.payload["fee_vnd"] == 8000


def broken(desk, change):
    wire = desk.receive().to_wire()
    change(wire)
    with pytest.raises(WireFormatError) as caught:
        Event.from_wire(wire)
    return caught.value


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda w: w.pop("hlc"), "hlc"),
        (lambda w: w.update(extra=1), "extra"),
        (lambda w: w.update(type="deleted"), "type"),
        (lambda w: w.update(id=str(uuid.uuid4())), "id"),
        (lambda w: w.update(dossier_id="D-1"), "dossier_id"),
        (lambda w: w.update(hlc="yesterday"), "hlc"),
        (lambda w: w.update(device_id=""), "device_id"),
        (lambda w: w.update(officer_id=7), "officer_id"),
        (lambda w: w.update(payload=[]), "payload"),
        (lambda w: w["payload"].pop("due_at"), "payload.due_at"),
        (lambda w: w["payload"].update(fee_vnd="8000"), "payload.fee_vnd"),
        (lambda w: w["payload"].update(fee_vnd=True), "payload.fee_vnd"),
        (lambda w: w["payload"].update(fee_vnd=-1), "payload.fee_vnd"),
        (lambda w: w["payload"].update(channel="fax"), "payload.channel"),
        (lambda w: w["payload"].update(received_at="2026-03-02T08:00:00"), "payload.received_at"),
        (lambda w: w["payload"].update(due_at="tomorrow"), "payload.due_at"),
        (lambda w: w["payload"]["applicant"].pop("name"), "payload.applicant.name"),
        (lambda w: w["payload"]["applicant"].update(gender="Nam"), "payload.applicant.gender"),
        (
            lambda w: w["payload"]["applicant"].update(birth_date="17/05/1990"),
            "payload.applicant.birth_date",
        ),
        (
            lambda w: w["payload"]["components"][0]["pages"][0].update(sha256="XYZ"),
            "payload.components[0].pages[0].sha256",
        ),
        (
            lambda w: w["payload"]["components"][0]["pages"][0].update(dpi=0),
            "payload.components[0].pages[0].dpi",
        ),
        (lambda w: w["payload"].update(note={1, 2}), "payload.note"),
    ],
)
def test_malformed_events_name_the_field(desk, change, field):
    error = broken(desk, change)
    assert error.field == field
    assert f"'{field}'" in error.message("vi") and f"'{field}'" in error.message("en")
    assert error.message("vi").startswith("Trường") and error.message("en").startswith("Field")


@pytest.mark.parametrize(
    ("event_type", "payload", "field"),
    [
        (EventType.FIELDS_EDITED, {"fields": {}}, "payload.fields"),
        (EventType.FIELDS_EDITED, {"fields": {"x": 1}, "base": "nope"}, "payload.base"),
        (EventType.PAGES_ADDED, {"component_id": "c", "pages": []}, "payload.pages"),
        (EventType.SUPPLEMENT_REQUESTED, {"missing": [], "note": ""}, "payload.missing"),
        (EventType.REFUSED, {"reason": "  "}, "payload.reason"),
        (EventType.RATED, {"score": 6}, "payload.score"),
        (EventType.RATED, {"score": "happy"}, "payload.score"),
        (EventType.FEE_PAID, {"amount_vnd": 8000, "online": "yes"}, "payload.online"),
        (EventType.RETURNED, {"method": "drone", "postal_ref": None}, "payload.method"),
        (
            EventType.RESULT_READY,
            {"result": {"document_type": "x", "pages": []}},
            "payload.result.digitised",
        ),
    ],
)
def test_make_event_refuses_bad_payloads(desk, event_type, payload, field):
    with pytest.raises(WireFormatError) as caught:
        desk.make(event_type, payload)
    assert caught.value.field == field


@pytest.mark.parametrize("score", [1, 5, "satisfied", "unsatisfied"])
def test_ratings_take_a_score_or_a_verdict(desk, score):
    assert desk.make(EventType.RATED, {"score": score}).payload["score"] == score


@pytest.mark.parametrize("raw", [b"\xff\xfe", b"{not json", b'{"id": NaN}', b"[]", b'"event"'])
def test_from_json_refuses_what_is_not_an_event_object(raw):
    with pytest.raises(WireFormatError):
        Event.from_json(raw)


def test_make_event_refuses_a_bad_dossier_id():
    with pytest.raises(WireFormatError) as caught:
        make_event(
            "HS-1",
            EventType.SUPPLEMENTED,
            {},
            clock=HybridClock("t"),
            device_id="t",
            officer_id="o",
            unit_code="u",
        )
    assert caught.value.field == "dossier_id"


def test_unknown_payload_keys_are_kept_for_newer_peers(desk):
    payload = desk.received_payload(note_from_future_version="x")
    event = desk.make(EventType.RECEIVED, payload)
    assert Event.from_json(event.to_json()).payload["note_from_future_version"] == "x"


def test_event_ids_carry_the_physical_time_of_the_device(desk):
    desk.clock.observe(Timestamp(desk.time.ms + 7 * 86_400_000, 0, "fast"))
    event = desk.make(EventType.FEE_PAID, {"amount_vnd": 1, "online": False})
    assert id_time_ms(event.id) == desk.time.ms
    assert event.timestamp.wall_ms == desk.time.ms + 7 * 86_400_000
