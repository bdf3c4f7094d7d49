"""The working-day calendar of state offices, and the due date of a dossier.

Days off are weekends, the public holidays of the `holidays` package for Vietnam (lunar Tết and
Hùng Kings' Day included), and the yearly official schedule in ``assets/calendar/<year>.csv``
(extra days off, and make-up working days that turn a Saturday into a working day).

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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
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
    "add_working_days",
    "default_calendar",
    "due_at",
    "is_working_day",
]

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CUTOFF = time(15, 0)
END_OF_DAY = time(17, 0)
CALENDAR_DIR = Path(__file__).resolve().parent.parent / "assets" / "calendar"
OVERRIDE_KINDS = ("off", "work")
_COLUMNS = ("date", "kind", "note_vi", "note_en")


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


def _row_error(path: Path, line: int, column: str, value: str, allowed: str) -> CalendarError:
    return CalendarError(
        f"{path.name}, dòng {line}, cột '{column}': giá trị {value!r} không hợp lệ ({allowed})",
        f"{path.name}, line {line}, column '{column}': invalid value {value!r} ({allowed})",
    )


def _read_table(path: Path) -> list[DayOverride]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != _COLUMNS:
            raise _row_error(
                path, 1, "header", ",".join(reader.fieldnames or ()), ",".join(_COLUMNS)
            )
        rows = []
        for row in reader:
            line = reader.line_num
            try:
                day = date.fromisoformat(row["date"] or "")
            except ValueError:
                raise _row_error(path, line, "date", row["date"], "YYYY-MM-DD") from None
            if row["kind"] not in OVERRIDE_KINDS:
                raise _row_error(path, line, "kind", row["kind"], "off | work")
            for column in ("note_vi", "note_en"):
                if not (row[column] or "").strip():
                    raise _row_error(path, line, column, row[column] or "", "bắt buộc / required")
            rows.append(DayOverride(day, row["kind"], row["note_vi"], row["note_en"]))
        return rows


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


@cache
def default_calendar() -> WorkCalendar:
    """Return the calendar of the shipped yearly tables (read once)."""
    return WorkCalendar.load()


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
