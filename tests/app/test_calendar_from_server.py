"""The officer app computes due dates on the calendar the city publishes: shipped plus synced."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime

from core.calendar import TIMEZONE, default_calendar, due_at, shipped_tables
from server.dossiers import list_dossiers
from server.feed import work_calendar
from storage import CatalogueCache

from .test_desk import receive

# Thursday after the 15:00 cut-off, then the New Year holiday and a weekend: a same-day
# procedure is due Monday 4 January 2027 at 17:00, unless the city makes that Monday a day off.
NEW_YEAR_EVE = datetime(2026, 12, 31, 16, 0, tzinfo=TIMEZONE)
MONDAY_OFF = {"date": "2027-01-04", "kind": "off", "note_vi": "Nghỉ bù", "note_en": "Day off"}


def stored_calendars(desk) -> list[str]:
    reader = CatalogueCache.reader(desk.backend.data_dir)
    try:
        return sorted(reader.versions("calendar"))
    finally:
        reader.close()


def test_a_year_published_after_enrolment_moves_due_dates_on_device_and_server(desk, city):
    backend = desk.backend
    birth = backend.catalogue.get("1.001193")  # same day
    assert stored_calendars(desk) == ["2025.0", "2026.0"]  # handed out at enrolment
    before = backend.calendar
    assert backend.calendar is before  # built once, not on every call
    assert due_at(birth, NEW_YEAR_EVE, before).date() == date(2027, 1, 4)

    assert city.admin.publish("calendar", "2027.1", {"year": 2027, "days": [MONDAY_OFF]})
    desk.sync_now()
    assert stored_calendars(desk) == ["2025.0", "2026.0", "2027.1"]
    expected = datetime(2027, 1, 5, 17, tzinfo=TIMEZONE)
    assert due_at(birth, NEW_YEAR_EVE, backend.calendar) == expected
    assert backend.calendar.day_off_reason(date(2027, 1, 4)) == "Nghỉ bù"
    with city.context.db.read() as conn:
        assert due_at(birth, NEW_YEAR_EVE, work_calendar(conn)) == expected


def test_receive_gives_the_next_working_day_when_the_city_makes_the_due_day_off(
    desk, on_vault, photos, city
):
    backend = desk.backend
    first = receive(desk, on_vault, photos)
    birth = backend.catalogue.get("1.001193")
    due_day = datetime.fromisoformat(first.due_at).astimezone(TIMEZONE).date()
    received = datetime.fromisoformat(first.received_at)
    assert datetime.fromisoformat(first.due_at) == due_at(birth, received, default_calendar())

    # The city republishes the due day's year with that day off, keeping the shipped swaps.
    shipped = [t.body()["days"] for t in shipped_tables() if t.year == due_day.year]
    days = [d for d in (shipped[0] if shipped else []) if d["date"] != due_day.isoformat()]
    day_off = {"date": due_day.isoformat(), "kind": "off", "note_vi": "Nghỉ", "note_en": "Off"}
    table = {"year": due_day.year, "days": [*days, day_off]}
    assert city.admin.publish("calendar", f"{due_day.year}.5", table)
    desk.sync_now()
    assert not backend.calendar.is_working_day(due_day)

    second = receive(desk, on_vault, photos)
    second_due = datetime.fromisoformat(second.due_at)
    assert second_due.astimezone(TIMEZONE).date() != due_day
    assert second_due == due_at(birth, datetime.fromisoformat(second.received_at), backend.calendar)

    report = desk.sync_now()
    assert report.events_quarantined == 0
    with city.context.db.read() as conn:
        (summary,) = [d for d in list_dossiers(conn, None, None, 50, 0) if d["code"] == second.code]
        on_server = due_at(birth, datetime.fromisoformat(second.received_at), work_calendar(conn))
    assert datetime.fromisoformat(summary["due_at"]) == second_due == on_server


def test_a_bad_stored_calendar_is_skipped_with_a_warning(desk, on_vault, caplog):
    backend = desk.backend
    bad = {"year": 2027, "days": [{**MONDAY_OFF, "kind": "maybe"}]}
    on_vault(lambda: backend.vault.catalogue.put("2027.9", json.dumps(bad).encode(), "calendar"))
    on_vault(lambda: backend.vault.catalogue.put("2027.8", b"\xff{not json", "calendar"))
    with caplog.at_level(logging.WARNING, logger="sohoa.storage"):
        calendar = backend.calendar
    assert calendar.is_working_day(date(2027, 1, 4))
    assert not calendar.is_working_day(date(2026, 1, 2))  # shipped tables still hold
    assert "2027.9.json" in caplog.text and "'kind'" in caplog.text and "2027.8" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="sohoa.storage"):
        assert backend.calendar is calendar
    assert caplog.text == ""  # warned once, when the stored versions changed
    assert backend.catalogue.version == "2025.2"  # a calendar row is no catalogue version
