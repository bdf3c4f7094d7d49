"""The timeline lines of the dossier detail: unit names, hand-over targets, reasons."""

from __future__ import annotations

from datetime import datetime

from app.state.timeline import event_subtitle
from core.calendar import TIMEZONE
from core.clock import HybridClock
from core.events import EventType, make_event
from core.ids import new_id
from core.units import unit

STAMP = {"device_id": "tablet-1", "officer_id": "cb01", "unit_code": "11311"}
# 19:32 on 27 November 2026 in Vietnam.
WALL_MS = int(datetime(2026, 11, 27, 19, 32, tzinfo=TIMEZONE).timestamp() * 1000)


def event(kind: EventType, payload: dict, unit_code: str = "11311"):
    stamp = {**STAMP, "unit_code": unit_code}
    return make_event(new_id(), kind, payload, clock=HybridClock("tablet-1"), **stamp)


def test_a_step_names_its_unit_and_local_time():
    line = event_subtitle(event(EventType.PROCESSING_STARTED, {}), WALL_MS)
    assert line == f"19:32 27/11/2026 · {unit('11311').name}"


def test_a_hand_over_names_the_unit_it_went_to_and_the_note():
    payload = {"from_unit": "11311", "to_unit": "11383", "note": "Đúng thẩm quyền"}
    line = event_subtitle(event(EventType.HANDED_OVER, payload), WALL_MS)
    assert line.endswith(f"{unit('11311').name} » {unit('11383').name} · Đúng thẩm quyền")


def test_a_stop_shows_its_reason_and_an_unknown_unit_its_code():
    payload = {"reason": "Công dân rút hồ sơ"}
    line = event_subtitle(event(EventType.STOPPED, payload, unit_code="99999"), WALL_MS)
    assert line == "19:32 27/11/2026 · 99999 · Công dân rút hồ sơ"
