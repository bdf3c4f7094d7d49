"""Console actions: payloads from the officer's inputs, taken through the server's workflow."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.dossier import Status
from core.events import EventType
from server.console import BadStepInput, open_dossier, step_payload, take_step
from server.errors import Conflict


def _state(context, unit, dossier_id):
    with context.db.write() as conn:
        return open_dossier(conn, unit.member, dossier_id).state


@pytest.mark.parametrize(
    ("event_type", "inputs"),
    [
        (EventType.SUPPLEMENT_REQUESTED, {"note": "thiếu"}),
        (EventType.REFUSED, {}),
        (EventType.STOPPED, {"note": "  "}),
        (EventType.EXTENDED, {"note": "xin lỗi", "new_due": "03/12/2026"}),
        (EventType.HANDED_OVER, {"to_unit": " "}),
    ],
)
def test_missing_inputs_are_refused_before_anything_is_sent(
    context, ward, unit, event_type, inputs
):
    dossier_id, _ = ward.receive()
    with pytest.raises(BadStepInput) as refused:
        step_payload(event_type, _state(context, unit, dossier_id), **inputs)
    assert refused.value.message_vi and refused.value.message_en


def test_payloads_carry_what_the_officer_typed(context, ward, unit):
    dossier_id, _ = ward.receive()
    state = _state(context, unit, dossier_id)
    extended = step_payload(EventType.EXTENDED, state, note="xin lỗi", new_due="2030-01-15")
    assert datetime.fromisoformat(extended["new_due_at"]).date().isoformat() == "2030-01-15"
    assert datetime.fromisoformat(extended["new_due_at"]).timetz() == state.due_at.timetz()
    handed = step_payload(EventType.HANDED_OVER, state, to_unit=" 11560 ")
    assert handed == {"from_unit": state.current_unit, "to_unit": "11560", "note": ""}
    asked = step_payload(EventType.SUPPLEMENT_REQUESTED, state, missing=["giay_chung_sinh"])
    assert asked == {"missing": ["giay_chung_sinh"], "note": ""}
    page = {"sha256": "c" * 64, "media_type": "image/jpeg", "mode": "color", "dpi": 200, "bytes": 5}
    procedure = context.catalogue_version(state.catalogue_version).get(state.procedure_code)
    result = step_payload(EventType.RESULT_READY, state, result_pages=[page], procedure=procedure)
    result = result["result"]
    assert result == {"document_type": "giay_khai_sinh", "pages": [page], "digitised": True}
    assert step_payload(EventType.RETURNED, state) == {"method": "counter", "postal_ref": None}


def test_steps_go_through_the_lifecycle_and_illegal_ones_are_refused(context, ward, unit):
    dossier_id, _ = ward.receive()
    state = _state(context, unit, dossier_id)
    with pytest.raises(Conflict) as refused:
        unit.step(dossier_id, EventType.RETURNED, step_payload(EventType.RETURNED, state))
    assert refused.value.code == "illegal_transition"
    answer = take_step(context, unit.member, dossier_id, EventType.PROCESSING_STARTED, {})
    assert answer["dossier"]["status"] == "in_processing"
    state = _state(context, unit, dossier_id)
    payload = step_payload(EventType.HANDED_OVER, state, to_unit="11560", note="chuyển")
    take_step(context, unit.member, dossier_id, EventType.HANDED_OVER, payload)
    after = _state(context, unit, dossier_id)
    assert after.status is Status.IN_PROCESSING and after.current_unit == "11560"
    last = after.hand_offs[-1]
    assert (last.from_unit, last.to_unit, last.note) == (state.current_unit, "11560", "chuyển")
