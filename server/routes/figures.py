"""Index-766 figures for a unit or the whole city, over all time or the days of a period."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter

from core.dossier_state import VIETNAM
from server.deps import ContextDep, StaffDep
from server.errors import BadRequest, NotFound
from server.figures import Period, figures_for

router = APIRouter(prefix="/v1/figures", tags=["figures"])


def _period(since: date | None, until: date | None) -> Period | None:
    """Return the period the query asks for (until defaults to today), or None for all time.

    :raises BadRequest: `until` comes without `since`
    :raises BadPeriod: `until` comes before `since`
    """
    if since is None:
        if until is not None:
            raise BadRequest(
                "Cần ngày bắt đầu (since) khi có ngày kết thúc (until)",
                "until needs since",
                code="bad_period",
                status=422,
            )
        return None
    return Period(since, until or datetime.now(VIETNAM).date())


@router.get("")
def city_or_own_unit(
    member: StaffDep, context: ContextDep, since: date | None = None, until: date | None = None
) -> dict:
    """Return the figures of the member's unit, or the city's for city-wide staff."""
    period = _period(since, until)
    with context.db.read() as conn:
        return figures_for(conn, member.unit_code, period)


@router.get("/{unit_code}")
def one_unit(
    unit_code: str,
    member: StaffDep,
    context: ContextDep,
    since: date | None = None,
    until: date | None = None,
) -> dict:
    """Return one unit's figures (its own staff, or city-wide staff)."""
    if member.unit_code is not None and member.unit_code != unit_code:
        raise NotFound(
            f"Không có số liệu cho đơn vị {unit_code}",
            f"No figures for unit {unit_code}",
            code="not_found",
        )
    period = _period(since, until)
    with context.db.read() as conn:
        return figures_for(conn, unit_code, period)
