"""Figures over a period, per unit and for the city, and their CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from core.dossier_state import VIETNAM
from core.figures import RATES
from server.console import CITY, ConsoleError, figures_csv, parse_period, period_figures
from server.console.figures import COUNTS
from server.portal import Portal
from server.portal.testing import UNIT


@pytest.mark.parametrize(
    ("start", "end"),
    [("2026-13-01", "2026-12-31"), ("x", "2026-01-01"), ("2026-02-01", "2026-01-31")],
)
def test_bad_periods_are_refused(start, end):
    with pytest.raises(ConsoleError) as refused:
        parse_period(start, end)
    assert refused.value.code == "bad_period"


def test_a_period_covers_whole_days_in_vietnam():
    period = parse_period("2026-03-01", "2026-03-31")
    assert period.begins.isoformat() == "2026-03-01T00:00:00+07:00"
    assert period.ends.isoformat() == "2026-04-01T00:00:00+07:00"


def test_figures_count_the_period_per_unit_and_change_with_the_rating(context, ward, unit):
    today = datetime.now(VIETNAM).date()
    period = parse_period(str(today), str(today))
    finished, _ = ward.receive()
    ward.receive(due_in_days=2)
    unit.finish(finished)

    def rows():
        with context.db.read() as conn:
            return {r.unit: r.figures for r in period_figures(conn, None, period)}

    before = rows()
    assert set(before) == {CITY, UNIT}
    assert (before[CITY].received, before[CITY].finished, before[CITY].in_process) == (2, 1, 1)
    assert before[UNIT].satisfaction_rate == 100.0
    Portal(context).rate(finished, "unsatisfied")
    assert rows()[UNIT].satisfaction_rate == 0.0
    yesterday = today - timedelta(days=1)
    with context.db.read() as conn:
        before_today = parse_period(str(yesterday), str(yesterday))
        empty = period_figures(conn, UNIT, before_today)
    assert [(r.unit, r.figures.received) for r in empty] == [(CITY, 0)]


def test_a_past_period_is_counted_as_of_its_end(context, ward):
    ward.receive(due_in_days=1)
    today = datetime.now(VIETNAM).date()
    period = parse_period(str(today), str(today))
    with context.db.read() as conn:
        (city, _) = period_figures(conn, None, period, now=datetime.now(UTC) + timedelta(days=30))
    assert city.figures.as_of == period.ends - timedelta(microseconds=1)


def test_the_csv_has_a_header_and_one_line_per_row(context, ward):
    ward.receive()
    today = str(datetime.now(VIETNAM).date())
    with context.db.read() as conn:
        period = parse_period(today, today)
        rows = period_figures(conn, None, period)
    lines = list(csv.DictReader(io.StringIO(figures_csv(rows))))
    assert list(lines[0]) == ["unit", *COUNTS, *RATES]
    assert [line["unit"] for line in lines] == [CITY, UNIT]
    assert lines[0]["received"] == "1" and lines[0]["result_digitisation_rate"] == ""


def test_only_the_period_and_the_units_dossiers_are_counted(context, ward):
    ward.receive()
    today = datetime.now(VIETNAM).date()
    this_day = parse_period(str(today), str(today))
    next_day = parse_period(str(today + timedelta(days=1)), str(today + timedelta(days=1)))

    def received(unit_code, period):  # type: ignore[no-untyped-def]
        with context.db.read() as conn:
            return [(r.unit, r.figures.received) for r in period_figures(conn, unit_code, period)]

    assert received(UNIT, this_day) == [(CITY, 1), (UNIT, 1)]
    assert received(None, next_day) == [(CITY, 0)]
    assert received("11560", this_day) == [(CITY, 0)]
