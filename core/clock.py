"""Hybrid logical clock (Kulkarni et al., 2014): causal order that stays close to wall time.

Each device stamps its events with a :class:`Timestamp` from its own :class:`HybridClock` and
feeds every timestamp it receives to :meth:`HybridClock.observe`. Whatever a tablet's wall clock
says (a week fast, a week slow, or jumping back after a battery swap), an event stamped after
seeing another one always sorts after it, and the clock never runs backwards.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import SohoaError

__all__ = ["ClockError", "HybridClock", "Timestamp"]

_MAX_WALL_MS = (1 << 48) - 1
_MAX_COUNTER = (1 << 24) - 1
_NODE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_ENCODED = re.compile(r"^([0-9a-f]{12})-([0-9a-f]{6})-(.+)$")


class ClockError(SohoaError):
    """A timestamp or node name is malformed or out of range."""

    code = "bad_timestamp"


@dataclass(frozen=True, order=True)
class Timestamp:
    """One hybrid-logical-clock reading, ordered by (wall_ms, counter, node).

    >>> Timestamp(1_700_000_000_000, 0, "tablet-1").encode()
    '018bcfe56800-000000-tablet-1'
    """

    wall_ms: int
    counter: int
    node: str

    def __post_init__(self) -> None:
        if isinstance(self.wall_ms, bool) or not isinstance(self.wall_ms, int):
            raise ClockError("Thời gian HLC phải là số nguyên", "HLC wall time must be an integer")
        if not 0 <= self.wall_ms <= _MAX_WALL_MS:
            raise ClockError(
                f"Thời gian HLC ngoài phạm vi: {self.wall_ms}",
                f"HLC wall time out of range: {self.wall_ms}",
            )
        if isinstance(self.counter, bool) or not isinstance(self.counter, int):
            raise ClockError("Bộ đếm HLC phải là số nguyên", "HLC counter must be an integer")
        if not 0 <= self.counter <= _MAX_COUNTER:
            raise ClockError(
                f"Bộ đếm HLC ngoài phạm vi: {self.counter}",
                f"HLC counter out of range: {self.counter}",
            )
        if not isinstance(self.node, str) or not _NODE.match(self.node):
            raise ClockError(
                f"Tên nút HLC không hợp lệ: {self.node!r} (1–64 ký tự A-Z a-z 0-9 . _ : -)",
                f"Bad HLC node name: {self.node!r} (1–64 of A-Z a-z 0-9 . _ : -)",
            )

    def encode(self) -> str:
        """Return a string whose lexicographic order is the clock order."""
        return f"{self.wall_ms:012x}-{self.counter:06x}-{self.node}"

    @classmethod
    def decode(cls, encoded: str) -> Timestamp:
        """Parse a string made by :meth:`encode`.

        :raises ClockError: if `encoded` is not a well-formed timestamp.
        """
        match = _ENCODED.match(encoded) if isinstance(encoded, str) else None
        if match is None:
            raise ClockError(
                f"Dấu thời gian HLC không hợp lệ: {encoded!r}",
                f"Malformed HLC timestamp: {encoded!r}",
            )
        return cls(int(match[1], 16), int(match[2], 16), match[3])


def _system_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridClock:
    """The hybrid logical clock of one node (device or server).

    >>> clock = HybridClock("tablet-1", now_ms=lambda: 1_000)
    >>> [clock.tick().counter, clock.tick().counter]
    [0, 1]

    :param node: this node's name, the last tie-breaker between equal readings.
    :param now_ms: the physical clock in Unix milliseconds (the system clock by default).
    :param last: the last reading this node issued before a restart, so it never goes back.
    """

    def __init__(
        self,
        node: str,
        now_ms: Callable[[], int] = _system_ms,
        last: Timestamp | None = None,
    ) -> None:
        Timestamp(0, 0, node)  # validates the node name
        self.node = node
        self._now_ms = now_ms
        self._wall_ms = last.wall_ms if last else 0
        self._counter = last.counter if last else 0
        self._lock = threading.Lock()

    def now_ms(self) -> int:
        """Return this node's physical clock in Unix milliseconds (no logical adjustment)."""
        return self._now_ms()

    @property
    def last(self) -> Timestamp:
        """Return the latest reading issued or observed (persist it to survive restarts)."""
        return Timestamp(self._wall_ms, self._counter, self.node)

    def tick(self) -> Timestamp:
        """Return a reading for a local event, later than every reading seen so far."""
        with self._lock:
            physical = self._now_ms()
            if physical > self._wall_ms:
                self._wall_ms, self._counter = physical, 0
            else:
                self._advance_counter(self._counter + 1)
            return self.last

    def observe(self, remote: Timestamp) -> Timestamp:
        """Merge a reading received from another node and return a reading later than both."""
        with self._lock:
            physical = self._now_ms()
            wall = max(self._wall_ms, remote.wall_ms, physical)
            if wall == self._wall_ms == remote.wall_ms:
                counter = max(self._counter, remote.counter) + 1
            elif wall == self._wall_ms:
                counter = self._counter + 1
            elif wall == remote.wall_ms:
                counter = remote.counter + 1
            else:
                counter = 0
            self._wall_ms = wall
            self._advance_counter(counter)
            return self.last

    def _advance_counter(self, counter: int) -> None:
        # A counter overflow (16 million events in one millisecond) borrows the next millisecond
        # instead of failing: order is preserved and the drift is one millisecond.
        if counter > _MAX_COUNTER:
            self._wall_ms, self._counter = self._wall_ms + 1, 0
        else:
            self._counter = counter
