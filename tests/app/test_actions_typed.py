from datetime import datetime

from app.state.lifecycle_steps import (
    choose_unit,
    extend_by,
    open_step,
    set_value,
    submit,
    toggle_missing,
    typed_actions,
    unit_choices,
)
from core.calendar import TIMEZONE, WorkCalendar
from core.clock import HybridClock
from core.dossier import apply, fold
from core.events import EventType, make_event
from core.ids import new_id

STAMP = {"device_id": "tablet-1", "officer_id": "cb01", "unit_code": "11311"}
CALENDAR = WorkCalendar()  # weekends only, so the expected days do not depend on holidays


def received():
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
        "competent_unit": "11311",
        "return_method": "counter",
        "return_address": None,
        "received_at": "2026-11-27T09:00:00+07:00",  # a Friday
        "due_at": "2026-11-27T17:00:00+07:00",
        "components": [],
        "fee_vnd": 0,
    }
    event = make_event(new_id(), EventType.RECEIVED, payload, clock=clock, **STAMP)
    return fold([event]), clock


def record(state, clock, kind, payload):
    return apply(state, make_event(state.id, kind, payload, clock=clock, **STAMP))


def processing():
    state, clock = received()
    return record(state, clock, EventType.PROCESSING_STARTED, {}), clock


def test_typed_steps_follow_the_lifecycle():
    state, clock = received()
    assert typed_actions(state) == [EventType.SUPPLEMENT_REQUESTED, EventType.REFUSED]
    started = record(state, clock, EventType.PROCESSING_STARTED, {})
    assert typed_actions(started) == [EventType.EXTENDED, EventType.STOPPED, EventType.HANDED_OVER]
    refused = record(state, clock, EventType.REFUSED, {"reason": "Sai thẩm quyền"})
    assert typed_actions(refused) == []


def test_supplement_needs_a_missing_document_and_keeps_the_note_on_error():
    state, clock = received()
    form = set_value(open_step(EventType.SUPPLEMENT_REQUESTED, state), "note", "Nộp trước thứ Hai")
    form, payload = submit(form, state)
    assert payload is None and "missing" in form.errors
    assert form.values["note"] == "Nộp trước thứ Hai"
    form = toggle_missing(form, "Giấy chứng sinh")
    assert "missing" not in form.errors
    form = toggle_missing(toggle_missing(form, "Tờ khai"), "Tờ khai")
    form, payload = submit(form, state)
    assert payload == {"missing": ["Giấy chứng sinh"], "note": "Nộp trước thứ Hai"}
    after = record(state, clock, EventType.SUPPLEMENT_REQUESTED, payload)
    assert after.status == "supplement_requested" and after.missing == ("Giấy chứng sinh",)
    assert typed_actions(after) == []  # guidance is given once


def test_refusal_and_stop_need_a_reason():
    state, _ = received()
    form, payload = submit(set_value(open_step(EventType.REFUSED, state), "reason", " ab "), state)
    assert payload is None and form.errors["reason"][0].startswith("Ghi rõ lý do")
    assert form.values["reason"] == " ab "
    form = set_value(form, "reason", "Không thuộc thẩm quyền")
    assert "reason" not in form.errors
    assert submit(form, state)[1] == {"reason": "Không thuộc thẩm quyền"}
    started, _ = processing()
    stop = set_value(open_step(EventType.STOPPED, started), "reason", "Công dân rút hồ sơ")
    assert submit(stop, started)[1] == {"reason": "Công dân rút hồ sơ"}


def test_extension_counts_working_days_from_the_due_day():
    state, clock = processing()
    form = open_step(EventType.EXTENDED, state, CALENDAR)
    assert form.values == {"days": "3", "new_due": "02/12/2026"}  # Fri + 3 working days = Wed
    form = extend_by(form, state, "x", CALENDAR)
    assert form.values["days"] == "x" and "days" in form.errors
    assert form.values["new_due"] == "02/12/2026"  # the last good day stays
    form = set_value(extend_by(form, state, "1", CALENDAR), "reason", "Chờ xác minh")
    assert form.values["new_due"] == "30/11/2026" and "days" not in form.errors
    form, payload = submit(form, state, CALENDAR)
    expected = datetime(2026, 11, 30, 17, 0, tzinfo=TIMEZONE)
    assert payload == {"new_due_at": expected.isoformat(), "reason": "Chờ xác minh"}
    after = record(state, clock, EventType.EXTENDED, payload)
    assert after.due_at == expected and after.extensions[-1].reason == "Chờ xác minh"


def test_extension_refuses_a_weekend_a_past_day_and_a_bad_date():
    state, _ = processing()
    form = set_value(open_step(EventType.EXTENDED, state, CALENDAR), "reason", "Chờ xác minh")
    for typed, start in (
        ("28/11/2026", "Ngày hẹn mới phải là ngày làm việc"),
        ("26/11/2026", "Ngày hẹn mới phải sau"),
        ("31/11/2026", "Ngày hẹn mới dạng"),
    ):
        checked, payload = submit(set_value(form, "new_due", typed), state, CALENDAR)
        assert payload is None and checked.errors["new_due"][0].startswith(start), typed
        assert checked.values["new_due"] == typed


def test_hand_over_picks_a_unit_by_name_without_diacritics():
    state, clock = processing()
    choices = unit_choices("le chan")
    assert choices and all("Lê Chân" in u.name for u in choices)
    form = set_value(open_step(EventType.HANDED_OVER, state), "unit", "le chan")
    checked, payload = submit(form, state)
    assert payload is None and "unit" in checked.errors
    form = set_value(choose_unit(checked, choices[0]), "note", "Chuyển xác minh")
    assert form.values["unit"] == choices[0].name and "unit" not in form.errors
    form, payload = submit(form, state)
    assert payload == {"from_unit": "11311", "to_unit": choices[0].code, "note": "Chuyển xác minh"}
    after = record(state, clock, EventType.HANDED_OVER, payload)
    assert after.current_unit == choices[0].code and len(after.hand_offs) == 1


def test_hand_over_to_the_unit_that_holds_the_dossier_is_refused():
    state, _ = processing()
    here = unit_choices("Hồng Bàng")[0]
    checked, payload = submit(choose_unit(open_step(EventType.HANDED_OVER, state), here), state)
    assert payload is None and checked.errors["unit"][1] == "The dossier is already at this unit"
