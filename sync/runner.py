"""Drive the engine: until everything is sent (`--once`), or for good on the scheduler.

Neither loop spins: between attempts they sleep for the backoff delay, or until the next
scheduled step, waking early when the app reports a connectivity change or a sync request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sync.backoff import Backoff
from sync.engine import RunReport, SyncEngine
from sync.errors import NotEnrolled, Offline, ServerRefused, SyncError
from sync.scheduler import Action, SyncScheduler

__all__ = ["is_permanent", "run_scheduled", "sync_until_done"]

# A refusal that looks final may still be a reply garbled on a corrupting link; only the same
# kind of refusal this many times in a row is believed.
PERMANENT_AFTER = 4


def is_permanent(error: SyncError) -> bool:
    """Return whether retrying cannot help: unknown or revoked device, never enrolled."""
    if isinstance(error, NotEnrolled):
        return True
    if isinstance(error, ServerRefused):
        return error.status == 403 or (error.status == 401 and "unknown_device" in error.reason)
    return False


def sync_until_done(
    engine: SyncEngine,
    *,
    backoff: Backoff,
    sleep: Callable[[float], None] = time.sleep,
    deadline: float | None = None,
) -> RunReport:
    """Run the engine until a run ends without error, retrying failures with backoff.

    :raises SyncError: a permanent refusal (seen several times in a row), or the last error
        when `deadline` (a ``time.monotonic()`` value) has passed.
    """
    permanent_in_a_row = 0
    while True:
        before = _moved(engine)
        try:
            report = engine.run_once()
            if report.unanswered:
                # A garbled answer left some events unanswered: they are still queued.
                raise Offline(f"{report.unanswered} events unanswered")
        except SyncError as error:
            permanent_in_a_row = permanent_in_a_row + 1 if is_permanent(error) else 0
            if permanent_in_a_row >= PERMANENT_AFTER:
                raise
            if _moved(engine) != before:
                # The link works in bursts: a run that got something through starts the
                # backoff again from its shortest delay.
                backoff.succeeded()
            delay = backoff.failed()
            if deadline is not None and time.monotonic() + delay > deadline:
                raise
            sleep(delay)
            continue
        backoff.succeeded()
        return report


def _moved(engine: SyncEngine) -> tuple[int, int]:
    snapshot = engine.progress.snapshot()
    return snapshot.items_confirmed, snapshot.bytes_sent


def run_scheduled(
    engine: SyncEngine,
    scheduler: SyncScheduler,
    *,
    stop: threading.Event,
    wake: threading.Event,
    lock: threading.Lock,
    on_run: Callable[[RunReport | SyncError], None] = lambda outcome: None,
) -> None:
    """Probe and sync as `scheduler` says until `stop` is set.

    The app changes the scheduler (connectivity events, sync requests) under `lock`, then sets
    `wake` so this loop looks again at once instead of at the end of its sleep.
    """
    while not stop.is_set():
        with lock:
            step = scheduler.next_step()
        delay = step.at - time.monotonic()
        if delay > 0:
            wake.wait(delay)
            wake.clear()
            continue
        if step.action is Action.probe:
            ok = engine.client.health()
            with lock:
                scheduler.probe_finished(ok, time.monotonic())
            continue
        try:
            outcome: RunReport | SyncError = engine.run_once()
        except SyncError as error:
            outcome = error
        with lock:
            scheduler.sync_finished(isinstance(outcome, RunReport), time.monotonic())
        on_run(outcome)
        if isinstance(outcome, RunReport) and outcome.wiped:
            return
