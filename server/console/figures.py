"""Index-766 figures over a chosen period, per unit and for the city, as table rows and CSV.

A dossier counts when it was received within the period; its outcome counts as of the period's
end (or now, for a period that has not ended), as :func:`core.figures.index766` defines.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, select

from core.dossier import fold
from core.dossier_state import DossierState
from core.events import Event
from core.figures import RATES, Figures, index766, index766_by_unit
from server.console.errors import ConsoleError
from server.figures import Period
from server.schema import dossiers, events

__all__ = [
    "CITY",
    "COUNTS",
    "FiguresRow",
    "Period",
    "figures_csv",
    "figures_rows",
    "load_states",
    "parse_period",
]

CITY = "city"
_IDS_PER_QUERY = 500  # well under SQLite's and PostgreSQL's bound-parameter limits
COUNTS = ("received", "finished", "finished_on_time", "in_process", "refused", "stopped")


def parse_period(start: str, end: str) -> Period:
    """Return the period between two ISO dates.

    :raises ConsoleError: a date is malformed, or the period ends before it starts
    """
    try:
        period = Period(date.fromisoformat(start.strip()), date.fromisoformat(end.strip()))
    except ValueError as exc:
        raise ConsoleError(
            "Ngày phải có dạng YYYY-MM-DD", "Dates must look like YYYY-MM-DD", code="bad_period"
        ) from exc
    if period.end < period.start:
        raise ConsoleError(
            "Ngày kết thúc trước ngày bắt đầu",
            "The period ends before it starts",
            code="bad_period",
        )
    return period


def load_states(conn: Connection, unit_code: str | None, period: Period) -> list[DossierState]:
    """Fold the dossiers received in `period` that a unit is competent for (None: the city's).

    Only those dossiers' events are read, so a month's figures cost a month of history.
    """
    query = select(dossiers.c.id, dossiers.c.received_at)
    if unit_code is not None:
        query = query.where(dossiers.c.competent_unit == unit_code)
    # Receipt times are stored as ISO text with their offset; compare them as times.
    wanted = [
        row.id
        for row in conn.execute(query)
        if period.begins <= datetime.fromisoformat(row.received_at) < period.ends
    ]
    by_dossier: dict[str, list[Event]] = defaultdict(list)
    for start in range(0, len(wanted), _IDS_PER_QUERY):
        chunk = wanted[start : start + _IDS_PER_QUERY]
        rows = conn.execute(
            select(events.c.dossier_id, events.c.body)
            .where(events.c.dossier_id.in_(chunk))
            .order_by(events.c.seq)
        )
        for row in rows:
            by_dossier[row.dossier_id].append(Event.from_wire(json.loads(row.body)))
    return [fold(history) for history in by_dossier.values()]


@dataclass(frozen=True)
class FiguresRow:
    """The figures of one unit, or of the city (unit ``CITY``), over a period."""

    unit: str
    figures: Figures

    def values(self) -> dict[str, object]:
        """Return the counts and rates shown in the table and the CSV, in column order."""
        data = self.figures.to_dict()
        return {"unit": self.unit, **{name: data[name] for name in (*COUNTS, *RATES)}}


def figures_rows(
    states: list[DossierState], period: Period, now: datetime | None = None
) -> list[FiguresRow]:
    """Return the city's row first, then one row per competent unit, for `period`."""
    now = now or datetime.now(UTC)
    as_of = min(period.ends - timedelta(microseconds=1), now)
    inside = [s for s in states if period.begins <= s.received_at < period.ends]
    by_unit = index766_by_unit(inside, as_of, unit_of=lambda dossier: dossier.competent_unit)
    return [
        FiguresRow(CITY, index766(inside, as_of)),
        *(FiguresRow(unit, figures) for unit, figures in by_unit.items()),
    ]


def figures_csv(rows: list[FiguresRow]) -> str:
    """Return the rows as CSV with a header line (rates in percent, empty when undefined)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["unit", *COUNTS, *RATES], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.values().items()})
    return out.getvalue()
