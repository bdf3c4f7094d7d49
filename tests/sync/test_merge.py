"""Offline edits on two devices converge to one state everywhere; skewed clocks do not matter."""

from __future__ import annotations

import time

import pytest

from sync.signing import ServerClock


def _two_devices(city, tmp_path, kit):
    first = kit.enrol_device(city, tmp_path / "first")
    second = kit.enrol_device(city, tmp_path / "second")
    return first, second


@pytest.mark.parametrize("order", ["first-then-second", "second-then-first"])
def test_concurrent_offline_edits_converge_and_are_flagged(city, tmp_path, kit, order):
    first, second = _two_devices(city, tmp_path, kit)
    received = kit.receive(first, 1)
    dossier_id = received.dossier_id
    kit.sync_once(first)
    kit.sync_once(second)
    assert second.session.dossiers.get(dossier_id).code == received.payload["code"]
    # Both go offline and edit the same field (and one field each).
    kit.edit(first, dossier_id, {"applicant.phone": "0901000001", "return_address": "Số 1"})
    kit.edit(second, dossier_id, {"applicant.phone": "0902000002"})
    devices = [first, second] if order == "first-then-second" else [second, first]
    for device in devices + devices:
        kit.sync_once(device)
    on_first = first.session.dossiers.get(dossier_id)
    on_second = second.session.dossiers.get(dossier_id)
    on_server = kit.server_state(city, dossier_id)
    assert on_first == on_second == on_server
    assert on_server.has_conflict
    assert [conflict.field for conflict in on_server.conflicts] == ["applicant.phone"]
    conflict = on_server.conflicts[0]
    assert {conflict.kept.value, conflict.overwritten.value} == {"0901000001", "0902000002"}
    assert on_server.return_address == "Số 1"
    first.close()
    second.close()


@pytest.mark.parametrize("skew_days", [-7, 7])
def test_a_device_clock_a_week_off_still_syncs_and_orders_events(city, tmp_path, kit, skew_days):
    skewed, exact = _two_devices(city, tmp_path, kit)
    skewed.clock = ServerClock(wall=lambda: time.time() + skew_days * 86400)
    dossier_id = kit.receive(skewed, 2).dossier_id
    report = kit.sync_once(skewed)
    assert report.events_confirmed == 1
    assert abs(skewed.clock.now() - time.time()) < 60
    kit.sync_once(exact)
    kit.edit(exact, dossier_id, {"applicant.phone": "0903000003"})
    kit.sync_once(exact)
    kit.edit(skewed, dossier_id, {"applicant.address": "Cát Hải"})
    kit.sync_once(skewed)
    kit.sync_once(exact)
    states = [
        skewed.session.dossiers.get(dossier_id),
        exact.session.dossiers.get(dossier_id),
        kit.server_state(city, dossier_id),
    ]
    assert states[0] == states[1] == states[2]
    assert states[2].applicant["phone"] == "0903000003"
    assert states[2].applicant["address"] == "Cát Hải"
    assert states[2].rejected == () and not states[2].has_conflict
    skewed.close()
    exact.close()
