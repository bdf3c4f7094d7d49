"""The run loops retry with backoff, believe final refusals only when repeated, obey wipes."""

from __future__ import annotations

import random
import threading
import time

import httpx
import pytest

from sync.backoff import Backoff
from sync.errors import Offline, ServerRefused
from sync.runner import PERMANENT_AFTER, run_scheduled, sync_until_done
from sync.scheduler import SyncScheduler
from sync.state import STATE_FILE


def test_a_revoked_device_stops_after_a_few_identical_refusals(city, tmp_path, kit):
    device = kit.enrol_device(city, tmp_path / "device")
    kit.receive(device, 1)
    city.admin.revoke(device.identity.device_id)
    sleeps: list[float] = []
    with device.http() as http, pytest.raises(ServerRefused) as refused:
        sync_until_done(device.engine(http), backoff=Backoff(base=0.01), sleep=sleeps.append)
    assert refused.value.status == 403
    assert len(sleeps) == PERMANENT_AFTER - 1
    assert len(device.session.outbox.pending_events()) == 1
    device.close()


def test_an_unreachable_server_backs_off_until_the_deadline(city, tmp_path, kit):
    device = kit.enrol_device(city, tmp_path / "device")
    kit.receive(device, 1)
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        time.sleep(seconds)

    http = device.http("http://127.0.0.1:9", timeout=1)
    with pytest.raises(Offline):
        sync_until_done(
            device.engine(http),
            backoff=Backoff(base=0.01, cap=0.4, rng=random.Random(1)),
            sleep=sleep,
            deadline=time.monotonic() + 1.5,
        )
    assert len(sleeps) >= 5 and sleeps[-1] > sleeps[0]
    http.close()
    device.close()


def test_a_signed_wipe_command_shreds_the_vault(city, tmp_path, kit):
    data_dir = tmp_path / "device"
    device = kit.enrol_device(city, data_dir)
    kit.receive(device, 1)
    kit.sync_once(device)
    city.admin.wipe(device.identity.device_id)
    report = kit.sync_once(device)
    assert report.wiped and device.wiped
    assert not (data_dir / STATE_FILE).exists()
    assert not any(path.suffix in (".db", ".sqlite") for path in data_dir.iterdir())
    device.close()


def test_the_scheduled_loop_probes_syncs_and_stops_on_request(city, tmp_path, kit):
    device = kit.enrol_device(city, tmp_path / "device")
    event = kit.receive(device, 1)
    stop, wake, lock = threading.Event(), threading.Event(), threading.Lock()
    scheduler = SyncScheduler(interval=3600, backoff=Backoff(base=0.01), now=time.monotonic())
    outcomes: list = []

    def after_run(outcome) -> None:
        outcomes.append(outcome)
        stop.set()

    with device.http() as http:
        loop = threading.Thread(
            target=run_scheduled,
            args=(device.engine(http), scheduler),
            kwargs={"stop": stop, "wake": wake, "lock": lock, "on_run": after_run},
        )
        loop.start()
        loop.join(timeout=30)
    assert not loop.is_alive()
    assert len(outcomes) == 1 and outcomes[0].events_confirmed == 1
    assert event.id in kit.server_events(city)
    assert scheduler.next_step().at > time.monotonic() + 3000
    device.close()


def test_health_probe_tells_a_server_from_a_dead_end(city):
    from sync.client import SyncClient

    assert SyncClient(httpx.Client(base_url=city.base_url)).health()
    assert not SyncClient(httpx.Client(base_url="http://127.0.0.1:9", timeout=1)).health()
