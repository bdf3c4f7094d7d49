"""Index-766 figures per unit and for the city, from one summary row per dossier.

Ingest keeps a row per dossier in ``dossier_figures`` with what :func:`core.figures.index766`
reads of a folded state, so figures are one aggregate query however long the histories grow.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    case,
    func,
    not_,
    select,
    update,
)

from core.dossier import fold
from core.dossier_state import VIETNAM, DossierState
from core.errors import SohoaError
from core.events import Event
from core.figures import Figures, index766
from core.lifecycle import Status
from server.schema import dossier_figures, dossiers, events

__all__ = [
    "Period",
    "backfill_summaries",
    "figures_by_unit",
    "figures_for",
    "instant_us",
    "summary_row",
    "write_summaries",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_IDS_PER_QUERY = 500  # well under SQLite's and PostgreSQL's bound-parameter limits
_COUNTS = tuple(f.name for f in fields(Figures) if f.name != "as_of")
_UPDATE_SUMMARY = (
    update(dossier_figures)
    .where(dossier_figures.c.dossier_id == bindparam("dossier_key"))
    .values({c.name: bindparam(c.name) for c in dossier_figures.c if c.name != "dossier_id"})
)


class BadPeriod(SohoaError):
    """A period that ends before it starts."""

    code = "bad_period"


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included, in Vietnam's time.

    :raises BadPeriod: `end` comes before `start`
    """

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise BadPeriod("Ngày kết thúc trước ngày bắt đầu", "The period ends before it starts")

    @property
    def begins(self) -> datetime:
        """Return the first moment of the period."""
        return datetime.combine(self.start, time(0), VIETNAM)

    @property
    def ends(self) -> datetime:
        """Return the moment right after the period."""
        return datetime.combine(self.end + timedelta(days=1), time(0), VIETNAM)


def instant_us(moment: datetime) -> int:
    """Return an aware datetime as whole microseconds since the epoch (exact, unlike a float)."""
    return (moment - _EPOCH) // _MICROSECOND


def summary_row(state: DossierState) -> dict[str, Any]:
    """Return the ``dossier_figures`` row of a folded dossier."""
    # index766 of the dossier alone counts its facts exactly as the figures do: as of its receipt
    # the ones no moment changes, and as of its finish (never before its receipt) the outcome a
    # finished dossier keeps, which only counts while it is not closed.
    at_receipt = index766([state], state.received_at)
    finished = state.finished_at is not None
    outcome = index766([state], max(state.received_at, state.finished_at or state.received_at))
    return {
        "dossier_id": state.id,
        "competent_unit": state.competent_unit,
        "status": str(state.status),
        "received_us": instant_us(state.received_at),
        "original_due_us": instant_us(state.original_due_at),
        "finished_us": instant_us(state.finished_at) if state.finished_at else None,
        "closed_us": instant_us(state.closed_at) if state.closed_at else None,
        "online": bool(at_receipt.online),
        "digitised_dossier": bool(at_receipt.digitised_dossiers),
        "components": at_receipt.components,
        "reused_components": at_receipt.reused_components,
        "fee_bearing": bool(at_receipt.fee_bearing),
        "paid_online": bool(at_receipt.paid_online),
        "finished_on_time": finished and bool(outcome.finished_on_time),
        "digitised_result": finished and bool(outcome.digitised_results),
        "unsatisfied_or_late": finished and bool(outcome.unsatisfied_or_late),
    }


def write_summaries(
    conn: Connection, new: Iterable[DossierState], changed: Iterable[DossierState]
) -> None:
    """Insert the summary rows of new dossiers and update those of dossiers that changed."""
    inserts = [summary_row(state) for state in new]
    updates = [{"dossier_key": row.pop("dossier_id"), **row} for row in map(summary_row, changed)]
    if inserts:
        conn.execute(dossier_figures.insert(), inserts)
    if updates:
        conn.execute(_UPDATE_SUMMARY, updates)


def backfill_summaries(conn: Connection) -> int:
    """Fold every stored dossier once and insert its summary row; return how many."""
    ids = list(conn.scalars(select(dossiers.c.id).order_by(dossiers.c.id)))
    for start in range(0, len(ids), _IDS_PER_QUERY):
        by_dossier: dict[str, list[Event]] = defaultdict(list)
        rows = conn.execute(
            select(events.c.dossier_id, events.c.body)
            .where(events.c.dossier_id.in_(ids[start : start + _IDS_PER_QUERY]))
            .order_by(events.c.seq)
        )
        for row in rows:
            by_dossier[row.dossier_id].append(Event.from_wire(json.loads(row.body)))
        write_summaries(conn, [fold(history) for history in by_dossier.values()], [])
    return len(ids)


def _count_columns(as_of: int) -> list[ColumnElement]:
    """Return one SUM per Index-766 count, each as :func:`core.figures.index766` decides it."""
    f = dossier_figures.c
    counted = f.received_us <= as_of
    closed = and_(f.closed_us.is_not(None), f.closed_us <= as_of)
    finished = and_(not_(closed), f.finished_us.is_not(None), f.finished_us <= as_of)
    in_process = and_(not_(closed), not_(finished))
    conditions: dict[str, ColumnElement] = {
        "received": counted,
        "online": f.online,
        "finished": finished,
        "finished_on_time": and_(finished, f.finished_on_time),
        "in_process": in_process,
        "in_process_within_time": and_(in_process, f.original_due_us >= as_of),
        "refused": and_(closed, f.status == str(Status.REFUSED)),
        "stopped": and_(closed, f.status != str(Status.REFUSED)),
        "digitised_dossiers": f.digitised_dossier,
        "digitised_results": and_(finished, f.digitised_result),
        "unsatisfied_or_late": and_(finished, f.unsatisfied_or_late),
        "fee_bearing": f.fee_bearing,
        "paid_online": f.paid_online,
    }
    amounts: dict[str, ColumnElement] = {
        "components": f.components,
        "reused_components": f.reused_components,
    }
    columns = []
    for name in _COUNTS:
        if name in amounts:
            summed = case((counted, amounts[name]), else_=0)
        else:
            summed = case((and_(counted, conditions[name]), 1), else_=0)
        columns.append(func.coalesce(func.sum(summed), 0).label(name))
    return columns


def figures_by_unit(
    conn: Connection,
    unit_code: str | None,
    period: Period | None = None,
    now: datetime | None = None,
) -> tuple[Figures, dict[str, Figures]]:
    """Return the total figures of a unit's dossiers (None: the city's) and each unit's figures.

    :param unit_code: one unit, or None for the whole city
    :param period: only dossiers received in it, counted as of its end (or now, if sooner)
    :param now: the moment the figures are as of when the period has not ended (default: now)
    """
    as_of = now or datetime.now(UTC)
    f = dossier_figures.c
    where = []
    if period is not None:
        as_of = min(as_of, period.ends - _MICROSECOND)
        where += [
            f.received_us >= instant_us(period.begins),
            f.received_us < instant_us(period.ends),
        ]
    if unit_code is not None:
        where.append(f.competent_unit == unit_code)
    query = select(f.competent_unit, *_count_columns(instant_us(as_of))).where(*where)
    by_unit = {
        row.competent_unit: Figures(
            as_of=as_of, **{name: int(row._mapping[name]) for name in _COUNTS}
        )
        for row in conn.execute(query.group_by(f.competent_unit).order_by(f.competent_unit))
    }
    totals = {name: sum(getattr(figures, name) for figures in by_unit.values()) for name in _COUNTS}
    return Figures(as_of=as_of, **totals), by_unit


def figures_for(
    conn: Connection,
    unit_code: str | None,
    period: Period | None = None,
    now: datetime | None = None,
) -> dict:
    """Return :func:`figures_by_unit` as JSON: the total, and each unit's when asked for all."""
    total, by_unit = figures_by_unit(conn, unit_code, period, now)
    answer: dict = {"unit_code": unit_code, "figures": total.to_dict()}
    if unit_code is None:
        answer["units"] = {code: figures.to_dict() for code, figures in by_unit.items()}
    return answer
