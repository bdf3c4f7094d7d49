from dataclasses import replace

import pytest

from app.state.actions import action_payload, can_finish_on_the_spot, one_tap_actions
from core.clock import HybridClock
from core.dossier import fold
from core.events import EventType, make_event
from core.ids import new_id

STAMP = {"device_id": "tablet-1", "officer_id": "cb01", "unit_code": "11311"}


def received(fee: int = 0, competent: str = "11311"):
    clock = HybridClock("tablet-1")
    payload = {
        "code": "H31.11311-261127-0001",
        "procedure_code": "1.001193",
        "catalogue_version": "2025.2",
        "applicant": {
            "cccd": "031090000123",
            "name": "Nguyễn Văn An",
            "birth_date": "1990-05-17",
            "gender": "male",
            "phone": "",
            "address": "Hải Phòng",
        },
        "channel": "counter",
        "receiving_unit": "11311",
        "competent_unit": competent,
        "return_method": "counter",
        "return_address": None,
        "received_at": "2026-11-27T09:00:00+07:00",
        "due_at": "2026-11-27T17:00:00+07:00",
        "components": [],
        "fee_vnd": fee,
    }
    event = make_event(new_id(), EventType.RECEIVED, payload, clock=clock, **STAMP)
    return fold([event]), clock


def test_a_received_dossier_offers_processing_and_the_fee_when_due():
    state, _ = received(fee=8000)
    assert one_tap_actions(state) == [EventType.PROCESSING_STARTED, EventType.FEE_PAID]
    free, _ = received(fee=0)
    assert one_tap_actions(free) == [EventType.PROCESSING_STARTED]


def test_payloads_follow_the_dossier():
    state, _ = received(fee=8000)
    assert action_payload(EventType.FEE_PAID, state) == {"amount_vnd": 8000, "online": False}
    assert action_payload(EventType.RETURNED, state) == {"method": "counter", "postal_ref": None}
    assert action_payload(EventType.RESULT_READY, state, "giay_khai_sinh")["result"] == {
        "document_type": "giay_khai_sinh",
        "pages": [],
        "digitised": False,
    }
    with pytest.raises(ValueError):
        action_payload(EventType.REFUSED, state)


def test_the_steps_of_five_on_the_spot_are_accepted_by_the_lifecycle():
    state, clock = received()
    events = list(state.history)
    for kind in (EventType.PROCESSING_STARTED, EventType.RESULT_READY, EventType.RETURNED):
        assert kind in one_tap_actions(state)
        payload = action_payload(kind, state, "giay_khai_sinh")
        events.append(make_event(state.id, kind, payload, clock=clock, **STAMP))
        state = fold(events)
    assert state.status == "returned" and one_tap_actions(state) == []


def test_on_the_spot_needs_a_same_day_procedure_decided_here():
    state, _ = received()
    assert can_finish_on_the_spot(state, same_day=True)
    assert not can_finish_on_the_spot(state, same_day=False)
    assert not can_finish_on_the_spot(replace(state, competent_unit="11314"), same_day=True)
