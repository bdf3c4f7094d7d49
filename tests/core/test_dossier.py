from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.dossier import (
    EDITABLE_FIELDS,
    FORM_FOR_EVENT,
    IllegalTransition,
    Status,
    Timeliness,
    allowed_events,
    apply,
    edit_payload,
    fold,
    timeliness,
)
from core.dossier_state import VIETNAM
from core.events import EventType as T
from core.ids import new_id

HAND_OVER = {"from_unit": "11311", "to_unit": "11314", "note": "Chuyển tư pháp"}
RESULT = {"document_type": "giay-khai-sinh", "pages": [], "digitised": True}


def run(desk, *steps):
    """Make the events of `steps` (type, payload, hours to wait before it) and fold them."""
    events = [desk.receive()]
    for event_type, payload, hours in steps:
        desk.time.advance(hours=hours)
        events.append(desk.make(event_type, payload))
    return events, fold(events)


def test_received_dossier_takes_the_receipt_details(desk):
    state = fold([desk.receive()])
    assert state.status is Status.RECEIVED
    assert state.code == "000.00.31.H31-260302-0001"
    assert state.current_unit == state.receiving_unit == "11311"
    assert state.applicant["name"] == "Nguyễn Văn An"
    assert state.pages == {"a" * 64}
    assert state.due_at == state.original_due_at
    assert state.forms[0][0] == "01"


def test_full_path_to_returned_produces_each_form(desk):
    events, state = run(
        desk,
        (T.PROCESSING_STARTED, {}, 1),
        (T.HANDED_OVER, HAND_OVER, 2),
        (T.HANDED_OVER, {"from_unit": "11314", "to_unit": "11311", "note": ""}, 20),
        (T.RESULT_READY, {"result": RESULT}, 1),
        (T.FEE_PAID, {"amount_vnd": 8000, "online": False}, 1),
        (T.RETURNED, {"method": "counter", "postal_ref": None}, 1),
        (T.RATED, {"score": "satisfied"}, 0),
    )
    assert state.status is Status.RETURNED
    assert [form for form, _ in state.forms] == ["01", "06", "06", "06"]
    assert state.current_unit == "11311"
    assert [h.to_unit for h in state.hand_offs] == ["11314", "11311"]
    assert state.hand_offs[0].result is Timeliness.EARLY
    assert state.hand_offs[0].at.astimezone(VIETNAM).hour == 11
    assert state.result_digitised and state.paid_vnd == 8000 and state.rating == "satisfied"
    assert state.finished_at is not None and state.returned_at >= state.finished_at
    assert state.history == tuple(events)


def test_hand_off_after_the_due_time_is_late(desk):
    _, state = run(desk, (T.PROCESSING_STARTED, {}, 1), (T.HANDED_OVER, HAND_OVER, 24 * 4))
    assert state.hand_offs[0].result is Timeliness.LATE


def test_hand_off_time_ignores_a_week_fast_peer(desk):
    """After syncing with a tablet a week fast, the hlc runs ahead but hand-off times do not."""
    received = desk.receive()
    fast = desk.other_device("tablet-fast")
    fast.time.advance(days=7)
    desk.clock.observe(fast.make(T.FEE_PAID, {"amount_vnd": 8000, "online": False}).timestamp)
    desk.time.advance(hours=1)
    started = desk.make(T.PROCESSING_STARTED)
    desk.time.advance(hours=1)
    state = fold([received, started, desk.make(T.HANDED_OVER, HAND_OVER)])
    assert state.hand_offs[0].result is Timeliness.EARLY
    assert state.hand_offs[0].at.astimezone(VIETNAM).hour == 10
    assert started.timestamp.wall_ms > desk.time.ms + 6 * 86_400_000


def test_extension_moves_the_due_time_and_prints_the_apology(desk):
    _, state = run(
        desk,
        (T.PROCESSING_STARTED, {}, 1),
        (T.EXTENDED, {"new_due_at": "2026-03-10T17:00:00+07:00", "reason": "Xác minh"}, 1),
        (T.HANDED_OVER, HAND_OVER, 24 * 4),
    )
    assert state.due_at == datetime.fromisoformat("2026-03-10T17:00:00+07:00")
    assert state.original_due_at < state.due_at
    assert state.extensions[0].previous_due_at == state.original_due_at
    assert state.hand_offs[0].result is Timeliness.EARLY
    assert "04" in [form for form, _ in state.forms]


def test_supplement_round_trip_and_only_once(desk):
    request = {"missing": ["Giấy chứng sinh"], "note": "Bản chính"}
    _, state = run(
        desk,
        (T.SUPPLEMENT_REQUESTED, request, 1),
        (T.PAGES_ADDED, {"component_id": "giay-chung-sinh", "pages": [desk.page("b" * 64)]}, 24),
        (T.SUPPLEMENTED, {}, 0),
    )
    assert state.status is Status.RECEIVED
    assert state.components["giay-chung-sinh"] == ("b" * 64,)
    assert state.pages == {"a" * 64, "b" * 64}
    assert T.SUPPLEMENT_REQUESTED not in allowed_events(state)
    with pytest.raises(IllegalTransition) as caught:
        apply(state, desk.make(T.SUPPLEMENT_REQUESTED, request))
    assert "một lần" in caught.value.message("vi") and "only once" in caught.value.message("en")


@pytest.mark.parametrize(
    ("steps", "status"),
    [
        ([(T.REFUSED, {"reason": "Không thuộc thẩm quyền"}, 1)], Status.REFUSED),
        ([(T.PROCESSING_STARTED, {}, 1), (T.STOPPED, {"reason": "Rút hồ sơ"}, 1)], Status.STOPPED),
    ],
)
def test_refused_and_stopped_dossiers_are_closed(desk, steps, status):
    _, state = run(desk, *steps)
    assert state.status is status
    assert state.reason and state.closed_at is not None
    assert allowed_events(state) == {T.RATED}
    assert state.forms[-1][0] == {Status.REFUSED: "03", Status.STOPPED: "05"}[status]


ILLEGAL = [
    ([], T.RESULT_READY, {"result": RESULT}, "đã tiếp nhận"),
    ([], T.RETURNED, {"method": "counter", "postal_ref": None}, "received"),
    ([(T.REFUSED, {"reason": "x"}, 1)], T.PROCESSING_STARTED, {}, "đã từ chối"),
    (
        [(T.SUPPLEMENT_REQUESTED, {"missing": ["x"], "note": ""}, 1)],
        T.PROCESSING_STARTED,
        {},
        "chờ bổ sung",
    ),
    ([(T.PROCESSING_STARTED, {}, 1)], T.REFUSED, {"reason": "x"}, "in processing"),
    (
        [(T.PROCESSING_STARTED, {}, 1)],
        T.HANDED_OVER,
        {"from_unit": "99999", "to_unit": "11314", "note": ""},
        "11311",
    ),
    (
        [(T.PROCESSING_STARTED, {}, 1)],
        T.HANDED_OVER,
        {"from_unit": "11311", "to_unit": "11311", "note": ""},
        "chính đơn vị",
    ),
    (
        [(T.PROCESSING_STARTED, {}, 1)],
        T.EXTENDED,
        {"new_due_at": "2026-03-01T17:00:00+07:00", "reason": "x"},
        "after the current",
    ),
    (
        [(T.PROCESSING_STARTED, {}, 1), (T.RESULT_READY, {"result": RESULT}, 1)],
        T.RETURNED,
        {"method": "post", "postal_ref": ""},
        "postal reference",
    ),
    (
        [(T.PROCESSING_STARTED, {}, 1), (T.RESULT_READY, {"result": RESULT}, 1)],
        T.FIELDS_EDITED,
        {"fields": {"applicant.phone": "1"}},
        "result ready",
    ),
    ([], T.FIELDS_EDITED, {"fields": {"code": "X"}}, "cannot be edited"),
    ([], T.FIELDS_EDITED, {"fields": {"applicant.gender": "Nam"}}, "applicant.gender"),
    (
        [(T.REFUSED, {"reason": "x"}, 1), (T.RATED, {"score": 1}, 1)],
        T.RATED,
        {"score": 2},
        "already been rated",
    ),
    ([], T.RECEIVED, None, "received"),
]


@pytest.mark.parametrize(("steps", "event_type", "payload", "reason"), ILLEGAL)
def test_illegal_transitions_are_refused_with_a_reason(desk, steps, event_type, payload, reason):
    _, state = run(desk, *steps)
    desk.time.advance(hours=1)
    event = desk.receive() if event_type is T.RECEIVED else desk.make(event_type, payload)
    with pytest.raises(IllegalTransition) as caught:
        apply(state, event)
    message = caught.value.message("vi") + caught.value.message("en")
    assert reason in message
    assert caught.value.message("vi") != caught.value.message("en")


def test_events_before_receipt_are_refused(desk):
    with pytest.raises(IllegalTransition) as caught:
        apply(None, desk.make(T.PROCESSING_STARTED))
    assert "chưa được tiếp nhận" in caught.value.message("vi")


def test_due_time_before_receipt_is_refused(desk):
    with pytest.raises(IllegalTransition) as caught:
        apply(None, desk.receive(due_at="2026-03-01T08:00:00+07:00"))
    assert "before the receipt" in caught.value.message("en")


def test_fold_needs_a_received_event_and_one_dossier(desk, new_desk):
    with pytest.raises(IllegalTransition):
        fold([])
    with pytest.raises(IllegalTransition):
        fold([desk.make(T.PROCESSING_STARTED)])
    with pytest.raises(IllegalTransition):
        fold([desk.receive(), new_desk(new_id()).receive()])


def test_fold_sets_aside_events_that_lost_a_race(desk):
    """Two devices act on the same received dossier offline: one refuses, one starts processing."""
    received = desk.receive()
    other = desk.other_device("tablet-2")
    desk.time.advance(minutes=5)
    other.time.advance(minutes=10)
    refused = desk.make(T.REFUSED, {"reason": "Thiếu giấy tờ"})
    started = other.make(T.PROCESSING_STARTED)
    state = fold([started, refused, received])
    assert state.status is Status.REFUSED
    assert [r.event for r in state.rejected] == [started]
    assert "đã từ chối" in state.rejected[0].reason_vi


def test_apply_is_idempotent_and_places_late_events_in_order(desk):
    events, _ = run(desk, (T.PROCESSING_STARTED, {}, 1), (T.HANDED_OVER, HAND_OVER, 1))
    fee = desk.other_device("tablet-2").make(T.FEE_PAID, {"amount_vnd": 8000, "online": True})
    desk.time.advance(hours=1)
    result = desk.make(T.RESULT_READY, {"result": RESULT})
    state = None
    for event in [events[0], events[1], result, events[2], fee, result, events[1]]:
        state = apply(state, event)
    assert state == fold([*events, fee, result])
    assert state.paid_online and state.status is Status.RESULT_READY


def test_late_event_from_another_device_can_overtake_a_decision(desk):
    """A refusal made offline before another device started processing wins once it arrives."""
    received = desk.receive()
    other = desk.other_device("tablet-2")
    desk.time.advance(minutes=1)
    other.time.advance(minutes=2)
    refused = desk.make(T.REFUSED, {"reason": "Thiếu giấy tờ"})
    started = other.make(T.PROCESSING_STARTED)
    state = apply(fold([received, started]), refused)
    assert state.status is Status.REFUSED
    assert [r.event for r in state.rejected] == [started]
    assert state == fold([refused, started, received])


def test_late_illegal_event_is_refused_by_apply(desk):
    received = desk.receive()
    other = desk.other_device("tablet-2")
    desk.time.advance(minutes=1)
    request = {"missing": ["x"], "note": ""}
    asked = desk.make(T.SUPPLEMENT_REQUESTED, request)
    other.time.advance(minutes=2)
    asked_again = other.make(T.SUPPLEMENT_REQUESTED, request)
    desk.time.advance(minutes=5)
    state = fold([received, asked, desk.make(T.SUPPLEMENTED)])
    with pytest.raises(IllegalTransition) as caught:
        apply(state, asked_again)
    assert "chờ bổ sung" in caught.value.message("vi")


def test_forms_map_covers_the_six_forms():
    assert sorted(set(FORM_FOR_EVENT.values())) == ["01", "02", "03", "04", "05", "06"]


def test_allowed_events_start_with_receipt(desk):
    assert allowed_events(None) == {T.RECEIVED}
    state = fold([desk.receive()])
    assert allowed_events(state) == {
        T.FIELDS_EDITED,
        T.PAGES_ADDED,
        T.FEE_PAID,
        T.SUPPLEMENT_REQUESTED,
        T.REFUSED,
        T.PROCESSING_STARTED,
    }


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("2026-03-04T16:00:00+07:00", Timeliness.EARLY),
        ("2026-03-05T09:00:00+07:00", Timeliness.ON_TIME),
        ("2026-03-05T17:00:00+07:00", Timeliness.ON_TIME),
        ("2026-03-05T17:00:01+07:00", Timeliness.LATE),
        ("2026-03-04T20:00:00+00:00", Timeliness.ON_TIME),  # 03:00 on the 5th in Vietnam
    ],
)
def test_timeliness_against_the_due_day(at, expected):
    due = datetime.fromisoformat("2026-03-05T17:00:00+07:00")
    assert timeliness(datetime.fromisoformat(at), due) is expected


# --- field edits ----------------------------------------------------------------------------


def test_sequential_edits_keep_the_last_value_without_conflict(desk):
    state = fold([desk.receive()])
    desk.time.advance(minutes=1)
    state = apply(state, desk.make(T.FIELDS_EDITED, edit_payload(state, {"applicant.phone": "1"})))
    other = desk.other_device("tablet-2")
    state = apply(state, other.make(T.FIELDS_EDITED, edit_payload(state, {"applicant.phone": "2"})))
    assert state.applicant["phone"] == "2"
    assert state.fields["applicant.phone"].device_id == "tablet-2"
    assert not state.has_conflict


def test_concurrent_edits_merge_by_hlc_and_flag_a_conflict(desk):
    state = fold([desk.receive()])
    other = desk.other_device("tablet-2")
    desk.time.advance(minutes=1)
    other.time.advance(minutes=2)
    mine = desk.make(T.FIELDS_EDITED, edit_payload(state, {"applicant.address": "Số 1"}))
    theirs = other.make(T.FIELDS_EDITED, edit_payload(state, {"applicant.address": "Số 2"}))
    merged = fold([theirs, state.history[0], mine])
    assert merged.applicant["address"] == "Số 2"
    assert merged.has_conflict
    conflict = merged.conflicts[0]
    assert conflict.field == "applicant.address"
    assert (conflict.kept.value, conflict.overwritten.value) == ("Số 2", "Số 1")
    assert {e.id for e in merged.history} >= {mine.id, theirs.id}


def test_an_edit_that_saw_both_values_resolves_the_conflict(desk):
    state = fold([desk.receive()])
    other = desk.other_device("tablet-2")
    desk.time.advance(minutes=1)
    other.time.advance(minutes=2)
    mine = desk.make(T.FIELDS_EDITED, edit_payload(state, {"applicant.address": "Số 1"}))
    theirs = other.make(T.FIELDS_EDITED, edit_payload(state, {"applicant.address": "Số 2"}))
    late = desk.make(T.FIELDS_EDITED, edit_payload(state, {"applicant.address": "Số 3"}))
    merged = fold([state.history[0], mine, theirs])
    desk.time.advance(minutes=5)
    resolved = apply(
        merged, desk.make(T.FIELDS_EDITED, edit_payload(merged, {"applicant.address": "Số 1"}))
    )
    assert not resolved.has_conflict
    assert resolved.applicant["address"] == "Số 1"
    # An edit that had not seen the other device's value does not clear the flag.
    assert fold([state.history[0], mine, theirs, late]).has_conflict


def test_editable_fields_cover_the_applicant_and_return_address():
    assert "applicant.cccd" in EDITABLE_FIELDS and "return_address" in EDITABLE_FIELDS


def script_strategy():
    """A random sequence of actions by three devices on one dossier."""
    action = st.sampled_from(
        ["edit_phone", "edit_address", "start", "hand_over", "refuse", "pay", "sync", "pages"]
    )
    return st.lists(st.tuples(st.integers(0, 2), action, st.integers(0, 90)), max_size=25)


PAYLOADS = {
    "start": (T.PROCESSING_STARTED, {}),
    "hand_over": (T.HANDED_OVER, HAND_OVER),
    "refuse": (T.REFUSED, {"reason": "x"}),
    "pay": (T.FEE_PAID, {"amount_vnd": 1000, "online": False}),
}


def play(desk, script):
    """Play `script` with three devices that sync only on 'sync', returning every event made."""
    received = desk.receive()
    desks = [desk, desk.other_device("tablet-2"), desk.other_device("tablet-3")]
    known = [[received] for _ in desks]
    for index, action, minutes in script:
        actor = desks[index]
        actor.time.advance(minutes=minutes)
        if action == "sync":
            for other in known:
                merged = {e.id: e for e in known[index] + other}
                other[:] = known[index][:] = list(merged.values())
            for other in desks:
                for event in known[index]:
                    other.clock.observe(event.timestamp)
            continue
        state = fold(known[index])
        if action.startswith("edit"):
            name = "applicant.phone" if action == "edit_phone" else "applicant.address"
            event_type, payload = T.FIELDS_EDITED, edit_payload(state, {name: f"{index}-{minutes}"})
        elif action == "pages":
            event_type, payload = T.PAGES_ADDED, {"component_id": "c", "pages": [desk.page()]}
        else:
            event_type, payload = PAYLOADS[action]
        known[index].append(actor.make(event_type, payload))
    return list({e.id: e for events in known for e in events}.values())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=script_strategy(), data=st.data())
def test_any_arrival_order_folds_to_the_same_state(new_desk, script, data):
    events = play(new_desk(new_id()), script)
    shuffled = data.draw(st.permutations(events))
    duplicated = shuffled + data.draw(st.lists(st.sampled_from(events), max_size=5))
    assert fold(duplicated) == fold(events)
