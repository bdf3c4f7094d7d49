"""The working-day calendar of state offices, and the due date of a dossier.

Days off are weekends, the public holidays of the `holidays` package for Vietnam (lunar Tết and
Hùng Kings' Day included), and the yearly official schedule in ``assets/calendar/<year>.csv``
(extra days off, and make-up working days that turn a Saturday into a working day).

The city publishes a year's table late, as a calendar publication (version ``<year>.<n>``, body
``{"year", "days": [{"date", "kind", "note_vi", "note_en"}]}``); `usable_calendar` lays the
received ones over the shipped tables. CSV rows and body days go through the same checks.

Time rules, all in Asia/Ho_Chi_Minh:

- `CUTOFF` 15:00: a dossier received up to 15:00:00 on a working day counts from that day; later,
  or on a day off, it counts from the next working day.
- `END_OF_DAY` 17:00: results are due at the end of the working day (offices work 07:30–11:30 and
  13:30–17:00), so a same-day procedure received Monday 10:00 is due Monday 17:00.
- A procedure of N working days is due at 17:00 on the N-th working day after the receipt day.

    >>> calendar = WorkCalendar.load()
    >>> calendar.add_working_days(date(2026, 2, 13), 1)
    datetime.date(2026, 2, 23)
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import holidays

from core.errors import SohoaError

if TYPE_CHECKING:
    from core.catalogue_model import Timed

__all__ = [
    "CALENDAR_DIR",
    "CUTOFF",
    "END_OF_DAY",
    "TIMEZONE",
    "CalendarError",
    "DayOverride",
    "WorkCalendar",
    "YearTable",
    "add_working_days",
    "default_calendar",
    "due_at",
    "is_working_day",
    "local_text",
    "parse_calendar",
    "shipped_tables",
    "usable_calendar",
]

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CUTOFF = time(15, 0)
END_OF_DAY = time(17, 0)


def local_text(moment: datetime) -> str:
    """Return an aware `moment` as Vietnam's local time, written "HH:MM dd/mm/yyyy"."""
    return moment.astimezone(TIMEZONE).strftime("%H:%M %d/%m/%Y")


CALENDAR_DIR = Path(__file__).resolve().parent.parent / "assets" / "calendar"
OVERRIDE_KINDS = ("off", "work")
_COLUMNS = ("date", "kind", "note_vi", "note_en")
_YEAR = re.compile(r"\d{4}")
_BODY = ("nội dung", "body")
_VERSION = re.compile(r"(\d{4})\.(\d+)")


class CalendarError(SohoaError):
    """The yearly schedule table is malformed, or a time cannot be placed on the calendar."""

    code = "bad_calendar"


@dataclass(frozen=True)
class DayOverride:
    """One row of the official schedule: an extra day off or a make-up working day."""

    day: date
    kind: str
    note_vi: str
    note_en: str


@dataclass(frozen=True)
class YearTable:
    """One year's official schedule under a version id ``<year>.<n>`` (shipped tables are n=0)."""

    year: int
    version: str
    days: tuple[DayOverride, ...]

    @property
    def number(self) -> int:
        """The ``<n>`` of the version id: a higher one replaces a lower one of the same year."""
        return int(self.version.partition(".")[2])

    def body(self) -> dict[str, Any]:
        """Return the table as the body of a calendar publication."""
        return {
            "year": self.year,
            "days": [
                {
                    "date": d.day.isoformat(),
                    "kind": d.kind,
                    "note_vi": d.note_vi,
                    "note_en": d.note_en,
                }
                for d in self.days
            ],
        }


def _bad(
    source: str, where: tuple[str, str], field: str, value: Any, allowed: str
) -> CalendarError:
    return CalendarError(
        f"{source}, {where[0]}, trường '{field}': giá trị {value!r} không hợp lệ ({allowed})",
        f"{source}, {where[1]}, field '{field}': invalid value {value!r} ({allowed})",
    )


def _parse_days(
    source: str, rows: Iterable[tuple[tuple[str, str], Any]], year: int | None
) -> tuple[DayOverride, ...]:
    """Check schedule rows given as ((where vi, where en), row); CSV lines and JSON days alike.

    :raises CalendarError: a row is not an object, or a value is bad (source, row and field named).
    """
    days: dict[date, DayOverride] = {}
    for where, row in rows:
        if not isinstance(row, Mapping):
            raise _bad(source, where, "(row)", row, "{date, kind, note_vi, note_en}")
        value = row.get("date")
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None:
            raise _bad(source, where, "date", value, "YYYY-MM-DD")
        if year is not None and day.year != year:
            raise _bad(source, where, "date", value, f"năm / year {year}")
        if day in days:
            raise _bad(source, where, "date", value, "trùng ngày / duplicate day")
        if row.get("kind") not in OVERRIDE_KINDS:
            raise _bad(source, where, "kind", row.get("kind"), "off | work")
        for field in ("note_vi", "note_en"):
            note = row.get(field)
            if not isinstance(note, str) or not note.strip():
                raise _bad(source, where, field, note, "bắt buộc / required")
        days[day] = DayOverride(day, row["kind"], row["note_vi"], row["note_en"])
    return tuple(days.values())


def _table_year(path: Path) -> int | None:
    return int(path.stem) if _YEAR.fullmatch(path.stem) else None


def _read_table(path: Path) -> tuple[DayOverride, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != _COLUMNS:
            header = ",".join(reader.fieldnames or ())
            raise _bad(path.name, ("dòng 1", "line 1"), "header", header, ",".join(_COLUMNS))
        rows = (((f"dòng {reader.line_num}", f"line {reader.line_num}"), row) for row in reader)
        return _parse_days(path.name, rows, _table_year(path))


def parse_calendar(version: str, body: Any) -> YearTable:
    """Check the body of a calendar publication and return its year table.

    The body is ``{"year": 2027, "days": [{"date", "kind", "note_vi", "note_en"}, ...]}`` and the
    version id ``<year>.<n>`` names the same year.

    :raises CalendarError: a value is bad (``<version>.json``, the day and the field are named).
    """
    source = f"{version}.json"
    if not isinstance(body, Mapping):
        raise _bad(source, _BODY, "(JSON)", type(body).__name__, "{year, days}")
    year = body.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise _bad(source, _BODY, "year", year, "1900–9999")
    match = _VERSION.fullmatch(version)
    if match is None or int(match[1]) != year:
        raise _bad(source, _BODY, "version", version, f"{year}.<n>")
    days = body.get("days")
    if not isinstance(days, list):
        raise _bad(source, _BODY, "days", days, "[...]")
    rows = (((f"days[{i}]",) * 2, row) for i, row in enumerate(days))
    return YearTable(year, version, _parse_days(source, rows, year))


def shipped_tables(folder: Path | None = None) -> list[YearTable]:
    """Return the yearly tables shipped in `folder` (default: assets), each as version ``<year>.0``.

    :raises CalendarError: a file is not named ``<year>.csv``, or a row is malformed.
    """
    tables = []
    for path in sorted((folder or CALENDAR_DIR).glob("*.csv")):
        year = _table_year(path)
        if year is None:
            raise _bad(path.name, ("tên tệp", "file name"), "name", path.name, "<year>.csv")
        tables.append(YearTable(year, f"{year}.0", _read_table(path)))
    return tables


class WorkCalendar:
    """Working days of Vietnamese state offices: weekends, public holidays, official swaps.

    >>> WorkCalendar().is_working_day(date(2026, 2, 17))  # Tết
    False
    """

    def __init__(self, overrides: Iterable[DayOverride] = ()):
        self._holidays = holidays.country_holidays("VN", language="vi")
        self._holiday_names_en = holidays.country_holidays("VN", language="en_US")
        self.overrides: dict[date, DayOverride] = {}
        for override in overrides:
            if override.day in self.overrides:
                raise CalendarError(
                    f"Ngày {override.day:%d/%m/%Y} có hai dòng trong lịch nghỉ, làm bù",
                    f"{override.day.isoformat()} appears twice in the schedule table",
                )
            self.overrides[override.day] = override

    @classmethod
    def load(cls, path: Path | None = None) -> WorkCalendar:
        """Read one yearly table, or every ``*.csv`` table of a folder (default: the shipped ones).

        :raises CalendarError: a row is malformed (file, line and column are named).
        """
        source = CALENDAR_DIR if path is None else path
        files = sorted(source.glob("*.csv")) if source.is_dir() else [source]
        return cls(override for file in files for override in _read_table(file))

    @classmethod
    def of_tables(cls, tables: Iterable[YearTable]) -> WorkCalendar:
        """Build the calendar of the year tables given."""
        return cls(override for table in tables for override in table.days)

    def is_working_day(self, day: date) -> bool:
        """Return whether state offices work on `day`."""
        override = self.overrides.get(day)
        if override is not None:
            return override.kind == "work"
        return day.weekday() < 5 and day not in self._holidays

    def day_off_reason(self, day: date, language: str = "vi") -> str | None:
        """Return why `day` is a day off (table note, holiday name, weekend), or None."""
        if self.is_working_day(day):
            return None
        english = language == "en"
        override = self.overrides.get(day)
        if override is not None:
            return override.note_en if english else override.note_vi
        if day in self._holidays:
            return self._holiday_names_en.get(day) if english else self._holidays.get(day)
        return "Weekend" if english else "Ngày nghỉ cuối tuần"

    def next_working_day(self, day: date) -> date:
        """Return the first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """Return the `count`-th working day after `day`; with 0, `day` itself or the next one.

        :raises CalendarError: `count` is negative.
        """
        if count < 0:
            raise CalendarError(
                f"Số ngày làm việc không được âm ({count})",
                f"The number of working days cannot be negative ({count})",
            )
        if not self.is_working_day(day):
            day = self.next_working_day(day)
            count -= 1 if count else 0
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def receipt_day(self, received_at: datetime) -> date:
        """Return the working day a dossier counts from, applying the 15:00 cut-off.

        :raises CalendarError: `received_at` has no time zone.
        """
        if received_at.tzinfo is None or received_at.utcoffset() is None:
            raise CalendarError(
                f"Thời điểm tiếp nhận thiếu múi giờ: {received_at.isoformat()}",
                f"The receipt time has no time zone: {received_at.isoformat()}",
            )
        local = received_at.astimezone(TIMEZONE)
        day = local.date()
        if self.is_working_day(day) and local.time() <= CUTOFF:
            return day
        return self.next_working_day(day)

    def due_at(self, procedure: Timed, received_at: datetime) -> datetime:
        """Return when the result of a procedure received at `received_at` is due (17:00 local).

        :raises CalendarError: `received_at` has no time zone.
        """
        start = self.receipt_day(received_at)
        due_day = self.add_working_days(start, procedure.processing.working_days)
        return datetime.combine(due_day, END_OF_DAY, tzinfo=TIMEZONE)


def usable_calendar(received: Mapping[str, Any]) -> tuple[WorkCalendar, list[CalendarError]]:
    """Return the shipped tables with the received publications (by version id) on top.

    A received year replaces the shipped table of that year, and a higher ``<n>`` replaces a lower
    one; at an equal ``<n>`` the shipped table stays. A bad body is left out, its error returned.
    """
    tables = {table.year: table for table in _shipped()}
    errors = []
    for version, body in received.items():
        try:
            table = parse_calendar(version, body)
        except CalendarError as error:
            errors.append(error)
            continue
        kept = tables.get(table.year)
        if kept is None or table.number > kept.number:
            tables[table.year] = table
    return WorkCalendar.of_tables(tables.values()), errors


@cache
def _shipped() -> tuple[YearTable, ...]:
    return tuple(shipped_tables())


@cache
def default_calendar() -> WorkCalendar:
    """Return the calendar of the shipped yearly tables (read once)."""
    return WorkCalendar.of_tables(_shipped())


def is_working_day(day: date) -> bool:
    """Return whether state offices work on `day` (shipped calendar)."""
    return default_calendar().is_working_day(day)


def add_working_days(day: date, count: int) -> date:
    """Return the `count`-th working day after `day` (shipped calendar)."""
    return default_calendar().add_working_days(day, count)


def due_at(
    procedure: Timed, received_at: datetime, calendar: WorkCalendar | None = None
) -> datetime:
    """Return when the result is due, on `calendar` or the shipped one.

    :raises CalendarError: `received_at` has no time zone.
    """
    return (calendar or default_calendar()).due_at(procedure, received_at)
