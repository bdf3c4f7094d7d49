"""Index-766 figures for a unit or the whole city."""

from __future__ import annotations

from fastapi import APIRouter

from server.deps import ContextDep, StaffDep
from server.errors import NotFound
from server.figures import figures_for

router = APIRouter(prefix="/v1/figures", tags=["figures"])


@router.get("")
def city_or_own_unit(member: StaffDep, context: ContextDep) -> dict:
    """Return the figures of the member's unit, or the city's for city-wide staff."""
    with context.db.read() as conn:
        return figures_for(conn, member.unit_code)


@router.get("/{unit_code}")
def one_unit(unit_code: str, member: StaffDep, context: ContextDep) -> dict:
    """Return one unit's figures (its own staff, or city-wide staff)."""
    if member.unit_code is not None and member.unit_code != unit_code:
        raise NotFound(
            f"Không có số liệu cho đơn vị {unit_code}",
            f"No figures for unit {unit_code}",
            code="not_found",
        )
    with context.db.read() as conn:
        return figures_for(conn, unit_code)
