"""A real device syncs with a real city server: blobs once, events once, the feed back."""

from __future__ import annotations

import hashlib
from datetime import date

from core.codes import format_dossier_code
from core.events import EventType, make_event
from core.ids import new_id
from sync.engine import FEED_CURSOR


def test_first_sync_sends_every_page_and_event_once(city, tmp_path, kit):
    device = kit.enrol_device(city, tmp_path / "device")
    events = [kit.receive(device, seed) for seed in range(3)]
    with device.http() as http:
        report = device.engine(http).run_once()
    assert report.blobs_uploaded == 6 and report.events_confirmed == 3
    stored = kit.server_events(city)
    assert set(stored) == {event.id for event in events}
    for event in events:
        for page in event.payload["components"][0]["pages"]:
            assert (
                hashlib.sha256(city.context.blobs.read(page["sha256"])).hexdigest()
                == (page["sha256"])
            )
    assert device.session.outbox.pending_events() == []
    assert device.session.outbox.pending_blobs() == []
    assert device.state.get(FEED_CURSOR) > 0
    device.close()


def test_a_second_run_sends_nothing_again(city, tmp_path, kit):
    device = kit.enrol_device(city, tmp_path / "device")
    kit.receive(device, 1)
    with device.http() as http:
        device.engine(http).run_once()
        again = device.engine(http).run_once()
    assert (again.blobs_uploaded, again.events_confirmed, again.feed_events) == (0, 0, 0)
    device.close()


def test_a_rejected_event_is_quarantined_with_its_reason_and_blocks_nothing(
    city, tmp_path, kit, make_dossier
):
    device = kit.enrol_device(city, tmp_path / "device")
    first = kit.receive(device, 1)
    # A code from another device's slot: the server refuses this dossier, and only this one.
    foreign = make_event(
        new_id(),
        EventType.RECEIVED,
        {**first.payload, "code": format_dossier_code("H31.11311", date(2026, 3, 2), 900)},
        clock=device.hybrid_clock(),
        device_id=device.identity.device_id,
        officer_id=device.session.officer_id,
        unit_code="11311",
    )
    device.session.dossiers.save([foreign])
    last = kit.receive(device, 3)
    report = kit.sync_once(device)
    assert (report.events_confirmed, report.events_quarantined) == (2, 1)
    [held] = device.session.outbox.quarantined()
    assert held.event.id == foreign.id and "code_outside_slot" in held.reason
    assert set(kit.server_events(city)) == {first.id, last.id}
    assert device.session.outbox.pending_events() == []
    device.close()
