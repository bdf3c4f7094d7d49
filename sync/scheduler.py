"""When to sync: a pure state machine fed with connectivity events, probe results and the clock.

It imports nothing from Flet. The app forwards Flet's connectivity events to
`connectivity_changed`, and a runner asks `next_step` what to do and sleeps until then, waking
early on any event, so there is never a busy loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sync.backoff import Backoff

__all__ = ["Action", "Step", "SyncScheduler"]


class Action(StrEnum):
    """What the runner should do next."""

    probe = "probe"
    sync = "sync"


@dataclass(frozen=True)
class Step:
    """Do `action` at monotonic time `at` (or now, when `at` has passed)."""

    action: Action
    at: float


class SyncScheduler:
    """Decides when to probe the city server and when to sync, on reconnect, timer or demand.

    A Wi-Fi without internet is not a link: every sync after a change of connectivity or a failure
    is preceded by a health probe. Failures back off exponentially with jitter; while the operating
    system says the device is offline, probes still run every `interval`, in case a reconnect event
    is missed::

        scheduler = SyncScheduler(interval=300, backoff=Backoff(), now=clock())
        step = scheduler.next_step()          # Step(Action.probe, at=now)
        scheduler.probe_finished(ok=True, now=clock())
        scheduler.next_step()                 # Step(Action.sync, at=now)
    """

    def __init__(self, *, interval: float, backoff: Backoff, now: float):
        self.interval = interval
        self.backoff = backoff
        self.online: bool | None = None
        self.reachable = False
        self._step = Step(Action.probe, now)

    def next_step(self) -> Step:
        """Return what to do next and when."""
        return self._step

    def connectivity_changed(self, online: bool, now: float) -> None:
        """Take in a connectivity event from the platform (Flet): reconnects probe at once."""
        was_online = self.online
        self.online = online
        if online and was_online is not True:
            self.backoff.succeeded()
            self._step = Step(Action.probe, now)
        elif not online:
            self.reachable = False
            self._step = Step(Action.probe, now + self.interval)

    def probe_finished(self, ok: bool, now: float) -> None:
        """Take in the result of a health probe of the city server."""
        self.reachable = ok
        if ok:
            self._step = Step(Action.sync, now)
        else:
            self._retry_later(now)

    def sync_finished(self, ok: bool, now: float) -> None:
        """Take in the outcome of a sync run; success waits for the timer, failure backs off."""
        if ok:
            self.backoff.succeeded()
            self._step = Step(Action.sync, now + self.interval)
        else:
            self.reachable = False
            self._retry_later(now)

    def sync_requested(self, now: float) -> None:
        """Sync as soon as possible because the officer asked for it (or new work was saved)."""
        self.backoff.succeeded()
        self._step = Step(Action.sync if self.reachable else Action.probe, now)

    def _retry_later(self, now: float) -> None:
        delay = self.backoff.failed()
        if self.online is False:
            delay = max(delay, self.interval)
        self._step = Step(Action.probe, now + delay)
