"""Calendar publications: one parser for shipped CSV tables and published bodies, and the
calendar that shipped plus received years make."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core.calendar import (
    TIMEZONE,
    CalendarError,
    WorkCalendar,
    due_at,
    parse_calendar,
    shipped_tables,
    usable_calendar,
)
from core.catalogue import catalogue_at

BIRTH = catalogue_at(date(2026, 1, 1)).get("1.001193")  # same day
MONDAY_OFF = {"date": "2027-01-04", "kind": "off", "note_vi": "Nghỉ bù", "note_en": "Day off"}
# Thursday after the 15:00 cut-off: counts from the next working day (Friday 1 January is a
# holiday, then the weekend), so a same-day procedure is due Monday 4 January 2027 at 17:00.
NEW_YEAR_EVE = datetime(2026, 12, 31, 16, 0, tzinfo=TIMEZONE)


def body(*days: dict, year: int = 2027) -> dict:
    return {"year": year, "days": list(days)}


def test_a_good_body_gives_its_year_table():
    make_up = {"date": "2027-01-09", "kind": "work", "note_vi": "Làm bù", "note_en": "Make-up"}
    table = parse_calendar("2027.1", body(MONDAY_OFF, make_up))
    assert (table.year, table.version, table.number) == (2027, "2027.1", 1)
    assert [(d.day, d.kind) for d in table.days] == [
        (date(2027, 1, 4), "off"),
        (date(2027, 1, 9), "work"),
    ]
    assert table.body() == body(MONDAY_OFF, make_up)
    assert parse_calendar("2099.3", body(year=2099)).days == ()  # a year without swaps


def test_shipped_tables_round_trip_through_a_publication_body():
    tables = shipped_tables()
    assert [t.version for t in tables] == ["2025.0", "2026.0"]
    for table in tables:
        assert parse_calendar(table.version, table.body()) == table


@pytest.mark.parametrize(
    ("raw", "where", "field"),
    [
        (body(MONDAY_OFF, {**MONDAY_OFF, "date": "2027-02-30"}), "days[1]", "date"),
        (body(MONDAY_OFF, {**MONDAY_OFF, "date": "04/01/2027"}), "days[1]", "date"),
        (body({**MONDAY_OFF, "date": "2026-01-04"}), "days[0]", "date"),  # another year
        (body(MONDAY_OFF, MONDAY_OFF), "days[1]", "date"),  # twice
        (body({**MONDAY_OFF, "kind": "holiday"}), "days[0]", "kind"),
        (body({**MONDAY_OFF, "note_vi": " "}), "days[0]", "note_vi"),
        (body({k: v for k, v in MONDAY_OFF.items() if k != "note_en"}), "days[0]", "note_en"),
        (body("2027-01-04"), "days[0]", "(row)"),
        (body(MONDAY_OFF, year=2026), "body", "version"),  # version 2027.1 names 2027
        ({"year": "2027", "days": []}, "body", "year"),
        ({"year": 2027, "days": {}}, "body", "days"),
    ],
)
def test_a_bad_body_names_version_day_and_field(raw, where, field):
    with pytest.raises(CalendarError) as caught:
        parse_calendar("2027.1", raw)
    english = caught.value.message("en")
    assert english.startswith("2027.1.json") and where in english and f"'{field}'" in english
    assert f"'{field}'" in caught.value.message("vi") and "trường" in caught.value.message("vi")


def test_a_version_id_must_be_year_dot_number():
    with pytest.raises(CalendarError) as caught:
        parse_calendar("2027-new", body(MONDAY_OFF))
    assert "'version'" in caught.value.message("en")


def test_a_csv_table_goes_through_the_same_checks(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(
        "date,kind,note_vi,note_en\n2027-01-04,off,a,b\n2026-12-31,off,a,b\n", encoding="utf-8"
    )
    with pytest.raises(CalendarError) as caught:
        WorkCalendar.load(path)
    english = caught.value.message("en")
    assert "2027.csv, line 3, field 'date'" in english and "2027" in english
    assert "2027.csv, dòng 3" in caught.value.message("vi")


def test_a_received_year_moves_a_due_date_off_the_day_it_makes_off():
    assert due_at(BIRTH, NEW_YEAR_EVE).date() == date(2027, 1, 4)
    calendar, errors = usable_calendar({"2027.1": body(MONDAY_OFF)})
    assert errors == []
    assert not calendar.is_working_day(date(2027, 1, 4))
    assert calendar.day_off_reason(date(2027, 1, 4), "en") == "Day off"
    assert due_at(BIRTH, NEW_YEAR_EVE, calendar) == datetime(2027, 1, 5, 17, tzinfo=TIMEZONE)
    assert not calendar.is_working_day(date(2026, 1, 2))  # the shipped 2026 table still holds


def test_a_received_year_replaces_the_shipped_table_and_a_newer_version_the_older():
    without_swaps = body(year=2026)
    calendar, _ = usable_calendar({"2026.1": without_swaps})
    assert calendar.is_working_day(date(2026, 1, 2))  # shipped extra day off gone
    assert not calendar.is_working_day(date(2026, 1, 10))  # shipped make-up Saturday gone
    same_number, _ = usable_calendar({"2026.0": without_swaps})
    assert not same_number.is_working_day(date(2026, 1, 2))  # the shipped table stays
    later = {"2027.2": body(), "2027.1": body(MONDAY_OFF)}
    for received in (later, dict(reversed(later.items()))):
        calendar, _ = usable_calendar(received)
        assert calendar.is_working_day(date(2027, 1, 4))


def test_a_bad_received_body_is_left_out_and_reported():
    bad = body({**MONDAY_OFF, "kind": "maybe"}, year=2027)
    calendar, errors = usable_calendar({"2027.2": bad, "2027.1": body(MONDAY_OFF)})
    assert [e.code for e in errors] == ["bad_calendar"]
    assert "2027.2.json" in errors[0].message("en")
    assert not calendar.is_working_day(date(2027, 1, 4))
