"""A unit's queue: the dossiers routed to it, soonest due first, overdue marked; opening one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.dossier import Status
from server.audit import read_audit
from server.console import open_dossier, unit_queue
from server.errors import NotFound
from server.portal.testing import UNIT, WARD
from server.staff import Role, StaffMember


def test_the_queue_holds_routed_dossiers_soonest_due_first_with_overdue_marked(context, ward, unit):
    later, _ = ward.receive(due_in_days=5)
    sooner, _ = ward.receive(due_in_days=1)
    returned, _ = ward.receive(due_in_days=2)
    unit.finish(returned)
    now = datetime.now(UTC)
    with context.db.read() as conn:
        queue = unit_queue(conn, UNIT, now)
        assert [row.dossier_id for row in queue] == [sooner, later]
        assert not any(row.overdue for row in queue)
        in_two_days = unit_queue(conn, UNIT, now + timedelta(days=2))
        assert [row.overdue for row in in_two_days] == [True, False]
        everything = unit_queue(conn, UNIT, now, include_closed=True)
        assert {row.dossier_id for row in everything} == {sooner, later, returned}
        assert next(r for r in everything if r.dossier_id == returned).status is Status.RETURNED
        assert unit_queue(conn, "11560", now) == []  # another ward sees none of them
        assert len(unit_queue(conn, None, now)) == 2  # city-wide staff see the whole city


def test_opening_a_dossier_is_audited_and_other_units_get_not_found(context, ward):
    dossier_id, code = ward.receive()
    member = StaffMember("lan", Role.PROCESSING_OFFICER, UNIT)
    with context.db.write() as conn:
        detail = open_dossier(conn, member, dossier_id)
    assert detail.state.code == code
    assert detail.pages == [("to_khai_khai_sinh", next(iter(detail.state.pages)))]
    assert detail.handoffs[0]["to_unit"] == UNIT and detail.handoffs[0]["from_unit"] == WARD
    with context.db.read() as conn:
        entry = read_audit(conn, limit=10_000)[-1]
    assert (entry["actor"], entry["action"], entry["subject"]) == (
        "staff:lan",
        "console.open_dossier",
        dossier_id,
    )
    stranger = StaffMember("minh", Role.PROCESSING_OFFICER, "11560")
    with context.db.write() as conn, pytest.raises(NotFound):
        open_dossier(conn, stranger, dossier_id)
