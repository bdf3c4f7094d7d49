"""What the sync engine reports while it works: items and bytes queued, sent and confirmed.

Pages downloaded for dossiers routed in count like uploads: queued when a run plans them, "sent"
as their bytes cross the link, confirmed once stored in the vault.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import SohoaError

__all__ = ["Progress", "ProgressSnapshot"]


@dataclass(frozen=True)
class ProgressSnapshot:
    """One consistent reading of the sync progress, for the UI or the terminal to render."""

    items_queued: int
    items_sent: int
    items_confirmed: int
    items_quarantined: int
    bytes_queued: int
    bytes_sent: int
    bytes_confirmed: int
    bytes_per_second: float
    seconds_left: float | None
    last_success: float | None
    error_vi: str | None
    error_en: str | None

    def line(self, language: str = "vi") -> str:
        """Return a one-line summary in `language` ("vi" or "en")."""
        rate = f"{self.bytes_per_second / 1024:.1f} KiB/s"
        left = "?" if self.seconds_left is None else f"{self.seconds_left:.0f}s"
        if language == "en":
            text = (
                f"items {self.items_confirmed}/{self.items_queued} confirmed, "
                f"{self.items_quarantined} quarantined; bytes {self.bytes_sent}/{self.bytes_queued}"
                f" sent; {rate}; {left} left"
            )
            return text + (f"; error: {self.error_en}" if self.error_en else "")
        text = (
            f"mục {self.items_confirmed}/{self.items_queued} đã xác nhận, "
            f"{self.items_quarantined} bị cách ly; byte {self.bytes_sent}/{self.bytes_queued}"
            f" đã gửi; {rate}; còn {left}"
        )
        return text + (f"; lỗi: {self.error_vi}" if self.error_vi else "")


class Progress:
    """A thread-safe tally the engine updates and the UI reads through `snapshot()`.

    Speed is an exponentially weighted average of bytes sent per second, so one stall or one
    burst does not make the time left jump about::

        progress = Progress()
        progress.queue(items=3, nbytes=120_000)
        progress.sent(nbytes=40_000)
        progress.snapshot().seconds_left
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, smoothing: float = 0.3):
        self._clock = clock
        self._smoothing = smoothing
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(
            (
                "items_queued",
                "items_sent",
                "items_confirmed",
                "items_quarantined",
                "bytes_queued",
                "bytes_sent",
                "bytes_confirmed",
            ),
            0,
        )
        self._rate = 0.0
        self._last_sample: float | None = None
        self._last_success: float | None = None
        self._error: SohoaError | None = None

    def queue(self, *, items: int = 0, nbytes: int = 0) -> None:
        """Add work waiting to be sent."""
        with self._lock:
            self._counts["items_queued"] += items
            self._counts["bytes_queued"] += nbytes

    def plan(self, *, items: int, nbytes: int) -> None:
        """Set the work still to do at the start of a run (queued = done so far + still to do)."""
        with self._lock:
            self._counts["items_queued"] = self._counts["items_confirmed"] + items
            self._counts["bytes_queued"] = self._counts["bytes_sent"] + nbytes

    def sent(self, *, items: int = 0, nbytes: int = 0) -> None:
        """Record bytes or items that crossed the link (either way), and update the speed."""
        with self._lock:
            self._counts["items_sent"] += items
            self._counts["bytes_sent"] += nbytes
            now = self._clock()
            if nbytes and self._last_sample is not None and now > self._last_sample:
                sample = nbytes / (now - self._last_sample)
                self._rate = (
                    sample
                    if self._rate == 0
                    else (self._smoothing * sample + (1 - self._smoothing) * self._rate)
                )
            if nbytes or self._last_sample is None:
                self._last_sample = now

    def confirmed(self, *, items: int = 0, nbytes: int = 0, quarantined: int = 0) -> None:
        """Record items the server acknowledged (or rejected into quarantine); clears the error."""
        with self._lock:
            self._counts["items_confirmed"] += items
            self._counts["bytes_confirmed"] += nbytes
            self._counts["items_quarantined"] += quarantined
            self._last_success = time.time()
            self._error = None

    def failed(self, error: SohoaError) -> None:
        """Remember the latest error, in plain words, until the next success."""
        with self._lock:
            self._error = error

    def snapshot(self) -> ProgressSnapshot:
        """Return a consistent copy of every figure."""
        with self._lock:
            counts = dict(self._counts)
            remaining = counts["bytes_queued"] - counts["bytes_sent"]
            left = remaining / self._rate if self._rate > 0 else (0.0 if remaining <= 0 else None)
            return ProgressSnapshot(
                **counts,
                bytes_per_second=self._rate,
                seconds_left=left,
                last_success=self._last_success,
                error_vi=self._error.message("vi") if self._error else None,
                error_en=self._error.message("en") if self._error else None,
            )
