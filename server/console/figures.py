"""Index-766 figures over a chosen period, per unit and for the city, as table rows and CSV.

A dossier counts when it was received within the period; its outcome counts as of the period's
end (or now, for a period that has not ended), as :func:`core.figures.index766` defines.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection

from core.figures import RATES, Figures
from server.console.errors import ConsoleError
from server.figures import BadPeriod, Period, figures_by_unit

__all__ = [
    "CITY",
    "COUNTS",
    "FiguresRow",
    "Period",
    "figures_csv",
    "parse_period",
    "period_figures",
]

CITY = "city"
COUNTS = ("received", "finished", "finished_on_time", "in_process", "refused", "stopped")


def parse_period(start: str, end: str) -> Period:
    """Return the period between two ISO dates.

    :raises ConsoleError: a date is malformed, or the period ends before it starts
    """
    try:
        first, last = date.fromisoformat(start.strip()), date.fromisoformat(end.strip())
    except ValueError as exc:
        raise ConsoleError(
            "Ngày phải có dạng YYYY-MM-DD", "Dates must look like YYYY-MM-DD", code="bad_period"
        ) from exc
    try:
        return Period(first, last)
    except BadPeriod as exc:  # shown like every other console error
        raise ConsoleError(exc.message_vi, exc.message_en, code=exc.code) from exc


@dataclass(frozen=True)
class FiguresRow:
    """The figures of one unit, or of the city (unit ``CITY``), over a period."""

    unit: str
    figures: Figures

    def values(self) -> dict[str, object]:
        """Return the counts and rates shown in the table and the CSV, in column order."""
        data = self.figures.to_dict()
        return {"unit": self.unit, **{name: data[name] for name in (*COUNTS, *RATES)}}


def period_figures(
    conn: Connection, unit_code: str | None, period: Period, now: datetime | None = None
) -> list[FiguresRow]:
    """Return the total row (unit ``CITY``) first, then one row per competent unit, for `period`.

    The rows come from the per-dossier summary, so a period costs one aggregate query.

    :param unit_code: one unit's dossiers, or None for the whole city's
    :param now: the moment a period that has not ended is counted as of (default: now)
    """
    total, by_unit = figures_by_unit(conn, unit_code, period, now)
    return [FiguresRow(CITY, total), *(FiguresRow(unit, f) for unit, f in by_unit.items())]


def figures_csv(rows: list[FiguresRow]) -> str:
    """Return the rows as CSV with a header line (rates in percent, empty when undefined)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["unit", *COUNTS, *RATES], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.values().items()})
    return out.getvalue()
