from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.calendar import (
    CUTOFF,
    END_OF_DAY,
    TIMEZONE,
    CalendarError,
    DayOverride,
    WorkCalendar,
    add_working_days,
    due_at,
    is_working_day,
    local_text,
)
from core.catalogue import catalogue_at

CATALOGUE = catalogue_at(date(2026, 1, 1))
BIRTH = CATALOGUE.get("1.001193")  # same day
MARITAL_STATUS = CATALOGUE.get("1.004873")  # 3 working days
BIRTH_BUNDLE = CATALOGUE.bundle("3.000722")  # 3 working days
CALENDAR = WorkCalendar.load()


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TIMEZONE)


def test_working_hours_are_the_documented_ones():
    assert (CUTOFF.hour, CUTOFF.minute, END_OF_DAY.hour) == (15, 0, 17)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 2), True),  # Monday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 1, 1), False),  # New Year
        (date(2026, 1, 2), False),  # extra day off, only in the local table
        (date(2026, 1, 10), True),  # make-up Saturday
        (date(2026, 4, 27), False),  # Hùng Kings (observed; lunar 10/3 is a Sunday)
        (date(2026, 8, 22), True),  # make-up Saturday for 31 Aug
        (date(2026, 8, 31), False),
        (date(2026, 9, 2), False),
        (date(2025, 1, 29), False),  # Tết Ất Tỵ
        (date(2025, 2, 8), True),  # make-up Saturday
        (date(2025, 4, 26), True),  # make-up Saturday for 2 May
        (date(2025, 5, 2), False),
    ],
)
def test_days_off_and_make_up_days(day, working):
    assert is_working_day(day) is working
    assert CALENDAR.is_working_day(day) is working


def test_tet_2026_is_nine_days_off_from_14_to_22_february():
    tet = [date(2026, 2, 14) + timedelta(days=i) for i in range(9)]
    assert not any(CALENDAR.is_working_day(d) for d in tet)
    assert CALENDAR.is_working_day(date(2026, 2, 13))
    assert CALENDAR.is_working_day(date(2026, 2, 23))


def test_2026_public_sector_plan_has_25_days_off_in_its_breaks():
    breaks = [
        (date(2025, 12, 31), date(2026, 1, 5)),
        (date(2026, 2, 13), date(2026, 2, 23)),
        (date(2026, 4, 24), date(2026, 4, 28)),
        (date(2026, 4, 29), date(2026, 5, 4)),
        (date(2026, 8, 28), date(2026, 9, 3)),
    ]
    off = [
        start + timedelta(days=i)
        for start, end in breaks
        for i in range((end - start).days + 1)
        if not CALENDAR.is_working_day(start + timedelta(days=i))
    ]
    assert len(off) == 25


def test_day_off_reason_names_the_holiday_or_the_table_row():
    assert "Tết Dương lịch" in CALENDAR.day_off_reason(date(2026, 1, 2))
    assert "New Year" in CALENDAR.day_off_reason(date(2026, 1, 2), "en")
    assert CALENDAR.day_off_reason(date(2026, 3, 7), "en") == "Weekend"
    assert CALENDAR.day_off_reason(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert CALENDAR.day_off_reason(date(2026, 2, 17), "en") == "Lunar New Year"
    assert CALENDAR.day_off_reason(date(2026, 3, 2)) is None


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (local(2026, 3, 2, 10, 0), local(2026, 3, 2, 17, 0)),  # Monday morning: same day
        (local(2026, 3, 2, 6, 30), local(2026, 3, 2, 17, 0)),  # before opening
        (local(2026, 3, 2, 15, 0), local(2026, 3, 2, 17, 0)),  # 15:00:00 is not "after 15:00"
        (local(2026, 3, 2, 15, 0, 1), local(2026, 3, 3, 17, 0)),
        (local(2026, 3, 6, 16, 0), local(2026, 3, 9, 17, 0)),  # Friday late -> Monday
        (local(2026, 3, 7, 9, 0), local(2026, 3, 9, 17, 0)),  # Saturday
        (local(2026, 2, 13, 15, 30), local(2026, 2, 23, 17, 0)),  # into Tết
        (local(2026, 1, 9, 16, 0), local(2026, 1, 10, 17, 0)),  # make-up Saturday works
        (datetime(2026, 3, 2, 2, 0, tzinfo=UTC), local(2026, 3, 2, 17, 0)),  # 09:00 in Hà Nội
        (datetime(2026, 3, 2, 8, 30, tzinfo=UTC), local(2026, 3, 3, 17, 0)),  # 15:30 there
    ],
)
def test_same_day_procedure_is_due_exact_to_the_hour(received, due):
    assert due_at(BIRTH, received) == due
    assert due_at(BIRTH, received).tzinfo == TIMEZONE


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (local(2026, 3, 2, 10, 0), local(2026, 3, 5, 17, 0)),  # Mon + 3 -> Thu
        (local(2026, 3, 2, 15, 30), local(2026, 3, 6, 17, 0)),  # counts from Tuesday
        (local(2026, 4, 24, 9, 0), local(2026, 5, 4, 17, 0)),  # across Hùng Kings and 30/4
    ],
)
def test_working_day_procedures_and_bundles(received, due):
    assert due_at(MARITAL_STATUS, received) == due
    assert due_at(BIRTH_BUNDLE, received, CALENDAR) == due


def test_naive_receipt_time_is_refused():
    with pytest.raises(CalendarError) as caught:
        due_at(BIRTH, datetime(2026, 3, 2, 10, 0))
    assert "time zone" in caught.value.message("en")


def test_add_working_days_edges():
    assert add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 9)
    assert add_working_days(date(2026, 3, 2), 0) == date(2026, 3, 2)
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)
    with pytest.raises(CalendarError):
        add_working_days(date(2026, 3, 2), -1)


def _write(tmp_path, text, name="2027.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "date,kind,note_vi,note_en\n"


def test_table_folder_is_read_and_overrides_the_package(tmp_path):
    _write(tmp_path, HEADER + "2027-03-01,off,Nghỉ thử,Test day off\n")
    _write(tmp_path, HEADER + "2027-03-06,work,Làm bù,Make-up day\n", "2027b.csv")
    calendar = WorkCalendar.load(tmp_path)
    assert not calendar.is_working_day(date(2027, 3, 1))
    assert calendar.is_working_day(date(2027, 3, 6))
    assert calendar.add_working_days(date(2027, 2, 26), 1) == date(2027, 3, 2)


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("2027-02-30,off,a,b", "date"),
        ("27/03/2027,off,a,b", "date"),
        ("2027-03-01,holiday,a,b", "kind"),
        ("2027-03-01,off,,b", "note_vi"),
        ("2027-03-01,off,a,", "note_en"),
    ],
)
def test_bad_table_row_names_file_line_and_column(tmp_path, row, column):
    path = _write(tmp_path, HEADER + "2027-01-04,off,ok,ok\n" + row + "\n")
    with pytest.raises(CalendarError) as caught:
        WorkCalendar.load(path)
    for language in ("vi", "en"):
        message = caught.value.message(language)
        assert "2027.csv" in message and "3" in message and f"'{column}'" in message


def test_bad_header_and_duplicate_dates_are_refused(tmp_path):
    with pytest.raises(CalendarError):
        WorkCalendar.load(_write(tmp_path, "day,kind\n2027-01-04,off\n"))
    twice = DayOverride(date(2027, 1, 4), "off", "a", "b")
    with pytest.raises(CalendarError):
        WorkCalendar([twice, twice])


_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
_times = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(TIMEZONE)
)


@settings(max_examples=300, deadline=None)
@given(received=_times, procedure=st.sampled_from([BIRTH, MARITAL_STATUS, BIRTH_BUNDLE]))
def test_due_date_never_falls_on_a_day_off(received, procedure):
    due = due_at(procedure, received, CALENDAR)
    assert CALENDAR.is_working_day(due.date())
    assert due > received
    assert due.time() == END_OF_DAY


@settings(max_examples=300, deadline=None)
@given(first=_days, second=_days, count=st.integers(0, 40), more=st.integers(0, 10))
def test_adding_working_days_is_monotonic(first, second, count, more):
    early, late = sorted((first, second))
    assert CALENDAR.add_working_days(early, count) <= CALENDAR.add_working_days(late, count)
    assert CALENDAR.add_working_days(early, count) <= CALENDAR.add_working_days(early, count + more)


@settings(max_examples=200, deadline=None)
@given(day=_days, count=st.integers(1, 40))
def test_adding_n_working_days_passes_exactly_n_working_days(day, count):
    result = CALENDAR.add_working_days(day, count)
    between = [day + timedelta(days=i) for i in range(1, (result - day).days + 1)]
    assert sum(CALENDAR.is_working_day(d) for d in between) == count
    assert CALENDAR.is_working_day(result)


def test_local_text_is_vietnams_time_whatever_the_zone_given():
    assert local_text(datetime(2026, 1, 1, tzinfo=UTC)) == "07:00 01/01/2026"
    assert local_text(datetime(2026, 1, 1, 7, tzinfo=TIMEZONE)) == "07:00 01/01/2026"
