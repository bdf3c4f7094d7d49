"""Typed lifecycle steps and forms 02–06 through the officer's desk, a real vault and city."""

from datetime import datetime, timedelta

import pypdfium2
import pytest

from app.state.lifecycle_steps import choose_unit, open_step, set_value, submit, unit_choices
from core.calendar import TIMEZONE
from core.events import EventType, make_event
from core.ids import new_id
from storage.errors import DossierRejected


def received(desk, on_vault):
    """Store a dossier received now at the desk's unit, as the intake flow would."""
    now = datetime.now(TIMEZONE)
    payload = {
        "code": "H31.11311-261127-0009",
        "procedure_code": "1.001193",
        "catalogue_version": desk.backend.catalogue.version,
        "applicant": {
            "cccd": "031090000123",
            "name": "Nguyễn Văn Ấn",
            "birth_date": "1990-05-17",
            "gender": "male",
            "phone": "",
            "address": "Hải Phòng",
            "residence_unit": "11311",  # the procedure is decided where the applicant lives
        },
        "channel": "counter",
        "receiving_unit": "11311",
        "competent_unit": "11311",
        "return_method": "counter",
        "return_address": None,
        "received_at": now.isoformat(),
        "due_at": (now + timedelta(days=3)).isoformat(),
        "components": [],
        "fee_vnd": 0,
    }
    event = make_event(
        new_id(),
        EventType.RECEIVED,
        payload,
        clock=desk.clock,
        device_id=desk.identity.device_id,
        officer_id=desk.officer_id,
        unit_code="11311",
    )
    return on_vault(desk.session.dossiers.save, [event], {})


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return document[0].get_textpage().get_text_range()
    finally:
        document.close()


def test_hand_over_and_stop_are_recorded_synced_and_printed(desk, on_vault, city):
    from server.dossiers import stored_events

    state = received(desk, on_vault)
    state = on_vault(desk.record, state.id, EventType.PROCESSING_STARTED)
    form = open_step(EventType.HANDED_OVER, state)
    form, payload = submit(choose_unit(form, unit_choices("le chan")[0]), state)
    state = on_vault(desk.record_step, state.id, EventType.HANDED_OVER, payload)
    assert state.current_unit == "11383"
    form = set_value(open_step(EventType.STOPPED, state), "reason", "Công dân rút hồ sơ")
    state = on_vault(desk.record_step, state.id, EventType.STOPPED, submit(form, state)[1])
    assert state.status == "stopped"

    report = desk.sync_now()
    assert report.events_confirmed == 4
    with city.context.db.read() as conn:
        kinds = [e.type for e in stored_events(conn, state.id)]
    assert kinds == ["received", "processing_started", "handed_over", "stopped"]

    stop = pdf_text(on_vault(desk.form_pdf, state.id, "05"))
    assert "H31.11311-261127-0009" in stop and "Công dân rút hồ sơ" in stop
    control = pdf_text(on_vault(desk.form_pdf, state.id, "06"))
    assert "Phường Lê Chân" in control and control.count("1. Giao:") == 2
    assert "Nguyễn Văn Ấn" in pdf_text(on_vault(desk.form_pdf, state.id, "01"))


def test_a_step_the_lifecycle_forbids_is_refused_and_nothing_is_stored(desk, on_vault):
    state = received(desk, on_vault)
    with pytest.raises(DossierRejected):
        on_vault(desk.record_step, state.id, EventType.STOPPED, {"reason": "Công dân rút hồ sơ"})
    assert [e.type for e in on_vault(desk.detail, state.id).state.history] == ["received"]
    with pytest.raises(ValueError):
        on_vault(desk.form_pdf, state.id, "05")
