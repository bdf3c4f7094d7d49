"""The scheduler probes before syncing, syncs on reconnect, timer and demand, and backs off."""

from __future__ import annotations

import random

from sync.backoff import Backoff
from sync.scheduler import Action, Step, SyncScheduler


def _scheduler(now: float = 0.0) -> SyncScheduler:
    return SyncScheduler(
        interval=300, backoff=Backoff(base=2, cap=60, rng=random.Random(0)), now=now
    )


def test_starts_with_a_probe_then_syncs_when_the_server_answers():
    scheduler = _scheduler()
    assert scheduler.next_step() == Step(Action.probe, 0.0)
    scheduler.probe_finished(ok=True, now=1.0)
    assert scheduler.next_step() == Step(Action.sync, 1.0)


def test_wifi_without_internet_backs_off_probing():
    scheduler = _scheduler()
    scheduler.connectivity_changed(True, now=0.0)
    delays = []
    for _ in range(4):
        scheduler.probe_finished(ok=False, now=10.0)
        step = scheduler.next_step()
        assert step.action is Action.probe
        delays.append(step.at - 10.0)
    assert delays[0] <= 2 and delays[-1] >= 8


def test_success_waits_for_the_timer():
    scheduler = _scheduler()
    scheduler.probe_finished(ok=True, now=0.0)
    scheduler.sync_finished(ok=True, now=5.0)
    assert scheduler.next_step() == Step(Action.sync, 305.0)


def test_reconnect_probes_at_once_even_after_long_backoff():
    scheduler = _scheduler()
    scheduler.connectivity_changed(False, now=0.0)
    for _ in range(6):
        scheduler.probe_finished(ok=False, now=0.0)
    assert scheduler.next_step().at >= 300
    scheduler.connectivity_changed(True, now=50.0)
    assert scheduler.next_step() == Step(Action.probe, 50.0)


def test_offline_devices_still_probe_on_the_timer_in_case_an_event_is_missed():
    scheduler = _scheduler()
    scheduler.connectivity_changed(False, now=0.0)
    assert scheduler.next_step() == Step(Action.probe, 300.0)


def test_failed_sync_probes_again_before_the_next_sync():
    scheduler = _scheduler()
    scheduler.probe_finished(ok=True, now=0.0)
    scheduler.sync_finished(ok=False, now=1.0)
    step = scheduler.next_step()
    assert step.action is Action.probe and 1.0 < step.at <= 3.0


def test_demand_syncs_now_when_reachable_and_probes_first_otherwise():
    scheduler = _scheduler()
    scheduler.probe_finished(ok=True, now=0.0)
    scheduler.sync_finished(ok=True, now=0.0)
    scheduler.sync_requested(now=7.0)
    assert scheduler.next_step() == Step(Action.sync, 7.0)
    scheduler.sync_finished(ok=False, now=8.0)
    scheduler.sync_requested(now=9.0)
    assert scheduler.next_step() == Step(Action.probe, 9.0)
