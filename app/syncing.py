"""Sync for the officer app: the engine on its own thread, with its own vault connection.

A sync run over a slow link can take minutes; running it on the app's vault thread would freeze
every screen meanwhile. So at unlock a second session shares the keys of the officer's session
(the PIN is stretched once) over a connection of its own, on a thread of its own (SQLite in WAL
mode lets both connections work at once).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from core.clock import HybridClock, Timestamp
from storage import Session
from sync.engine import RunReport
from sync.progress import Progress, ProgressSnapshot
from sync.runtime import CLOCK_OFFSET, HLC_LAST, DeviceRuntime

__all__ = ["SyncWorker"]


class SyncWorker:
    """Runs sync runs and bundle exports for one unlocked officer, one at a time.

    ``worker = SyncWorker(data_dir, session); worker.run_once(); worker.close()``
    """

    def __init__(self, data_dir: Path, session: Session, **vault_options) -> None:
        self.progress = Progress()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync")
        self._runtime: DeviceRuntime = self._thread.submit(
            partial(DeviceRuntime.open, data_dir, session, **vault_options)
        ).result()

    @property
    def identity(self):
        """The device's identity with the city server (sync.device.DeviceIdentity)."""
        return self._runtime.identity

    def hybrid_clock(self) -> HybridClock:
        """A hybrid clock for new events, continuing from the last stamp this device issued."""
        last = self._runtime.state.get(HLC_LAST)
        return HybridClock(
            self.identity.device_id,
            now_ms=self._runtime.clock.now_ms,
            last=Timestamp.decode(last) if last else None,
        )

    def remember(self, clock: HybridClock) -> None:
        """Save the last stamp of `clock`, so a restart never issues an older one."""
        self._runtime.state.set(HLC_LAST, clock.last.encode())

    def snapshot(self) -> ProgressSnapshot:
        """The engine's progress right now."""
        return self.progress.snapshot()

    def run_once(self) -> RunReport:
        """Run one sync (blobs up, events up, feed down) and wait for it.

        :raises sync.errors.SyncError: offline, refused, timed out; nothing is lost.
        """
        return self._thread.submit(self._run).result()

    def _run(self) -> RunReport:
        with self._runtime.http() as http:
            report = self._runtime.engine(http, progress=self.progress).run_once()
        self._runtime.state.set(CLOCK_OFFSET, self._runtime.clock.offset)
        return report

    def move_to(self, server_url: str):
        """Point the device at the city server's new address (sync.runtime.DeviceRuntime.move_to).

        :raises sync.errors.UnknownDevice: the server there does not know this device.
        :raises sync.errors.Offline: nobody answers there.
        """
        return self._thread.submit(self._runtime.move_to, server_url).result()

    def export_bundle(self) -> bytes:
        """Seal every unsent event and page into an offline bundle for a USB stick."""
        data, _events, _pages = self._thread.submit(self._runtime.export_bundle).result()
        return data

    def close(self) -> None:
        """Lock the sync session (and so the session it shares keys with) and stop the thread."""
        self._thread.submit(self._runtime.close).result()
        self._thread.shutdown(wait=True)
