"""Who may take which step: every role against every step over HTTP on a real server, and the
console's buttons and workflow for roles that may not take a step."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from core.events import EventType
from server.audit import read_audit
from server.console import inputs_for, offered_steps, open_dossier, take_step
from server.permissions import StepNotAllowed
from server.portal.testing import UNIT, Ward
from server.routes.dossiers import WORKFLOW_EVENTS
from server.staff import Role, StaffMember
from server.testing import RunningServer, running_server

# The one-stop rules written out again, independently of server.permissions.
EXPECTED = {
    Role.RECEIVING_OFFICER: {
        "fields_edited",
        "pages_added",
        "supplement_requested",
        "supplemented",
        "refused",
        "returned",
        "fee_paid",
    },
    Role.PROCESSING_OFFICER: {"processing_started", "handed_over"},
    Role.LEADER: {"result_ready", "extended", "stopped"},
    Role.ADMIN: set(),
}
PASSWORD = "mat-khau-123"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[RunningServer]:
    """One real server for the module, with one staff member per role in the competent unit."""
    with running_server(tmp_path_factory.mktemp("permissions")) as running:
        for role in Role:
            running.admin.add_staff(f"can-bo-{role}", PASSWORD, role, UNIT)
        yield running


def _client(server: RunningServer, role: Role) -> httpx.Client:
    token = server.admin.login(f"can-bo-{role}", PASSWORD)
    return httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


@pytest.mark.parametrize("step", WORKFLOW_EVENTS, ids=str)
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_takes_only_its_own_steps(server, role, step):
    dossier_id, _ = Ward(server.context).receive()
    with _client(server, role) as client:
        before = client.get(f"/v1/dossiers/{dossier_id}").json()["events"]
        # An empty payload is malformed for most steps (422) or out of turn (409): both mean the
        # role check let the step through to the lifecycle.
        response = client.post(f"/v1/dossiers/{dossier_id}/{step}", json={})
        after = client.get(f"/v1/dossiers/{dossier_id}").json()["events"]
    if step in EXPECTED[role]:
        assert response.status_code in (201, 409, 422), response.text
        return
    body = response.json()
    assert (response.status_code, body["reason"]) == (403, "step_not_allowed")
    assert role in body["detail_vi"] and step in body["detail_en"]
    assert after == before
    with server.context.db.read() as conn:
        entry = read_audit(conn, limit=100_000)[-1]
    assert (entry["actor"], entry["action"], entry["subject"]) == (
        f"staff:can-bo-{role}",
        "dossier.step_refused",
        dossier_id,
    )
    assert entry["detail"] == {"step": step, "role": role}


def test_a_refused_step_on_another_units_dossier_is_not_found_and_not_audited(server):
    dossier_id, _ = Ward(server.context).receive()
    server.admin.add_staff("can-bo-xa-khac", PASSWORD, Role.RECEIVING_OFFICER, "11560")
    token = server.admin.login("can-bo-xa-khac", PASSWORD)
    with server.context.db.read() as conn:
        entries = len(read_audit(conn, limit=100_000))
    response = httpx.post(
        f"{server.base_url}/v1/dossiers/{dossier_id}/result_ready",
        json={},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (response.status_code, response.json()["reason"]) == (404, "unknown_dossier")
    with server.context.db.read() as conn:
        assert len(read_audit(conn, limit=100_000)) == entries


def test_the_console_offers_only_the_roles_steps_and_refuses_the_rest(context, ward, unit):
    dossier_id, _ = ward.receive()
    unit.step(dossier_id, EventType.PROCESSING_STARTED, {})
    members = {role: StaffMember(f"can-bo-{role}", role, UNIT) for role in Role}
    with context.db.write() as conn:
        state = open_dossier(conn, members[Role.LEADER], dossier_id).state
    offered = {role: offered_steps(member, state) for role, member in members.items()}
    assert EventType.RESULT_READY not in offered[Role.RECEIVING_OFFICER]
    assert EventType.RESULT_READY in offered[Role.LEADER]
    assert offered[Role.PROCESSING_OFFICER] == [EventType.HANDED_OVER]
    assert offered[Role.ADMIN] == []
    inputs = {role: inputs_for(steps, state) for role, steps in offered.items()}
    assert inputs[Role.PROCESSING_OFFICER] == {"note", "to_unit"}
    assert inputs[Role.LEADER] == {"note", "new_due"}
    assert inputs[Role.ADMIN] == set()
    with pytest.raises(StepNotAllowed) as refused:
        take_step(context, members[Role.RECEIVING_OFFICER], dossier_id, EventType.STOPPED, {})
    assert refused.value.message_vi.startswith("Vai trò") and refused.value.code
    with context.db.write() as conn:
        assert open_dossier(conn, members[Role.LEADER], dossier_id).state == state
