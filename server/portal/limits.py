"""A sliding-window rate limiter for citizen lookups, kept in the server process's memory."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

from server.portal.errors import TooManyLookups

__all__ = ["RateLimiter"]


class RateLimiter:
    """Allow at most `limit` hits per key within any `window_seconds`.

    ``limiter = RateLimiter(10, 600); limiter.hit("client:ab12")`` raises
    :class:`TooManyLookups` on the eleventh hit within ten minutes.
    """

    def __init__(
        self, limit: int, window_seconds: float, now: Callable[[], float] = time.monotonic
    ):
        self.limit = limit
        self.window_seconds = window_seconds
        self._now = now
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        # Flet handlers of different sessions may run on worker threads at once.
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window_seconds:
            hits.popleft()
        return hits

    def check(self, key: str) -> None:
        """Raise if `key` has no hit left now, without spending one.

        :raises TooManyLookups: the window is full; the error says when to retry
        """
        with self._lock:
            now = self._now()
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                raise TooManyLookups(int(hits[0] + self.window_seconds - now) + 1)

    def hit(self, key: str) -> None:
        """Spend one hit for `key`.

        :raises TooManyLookups: the window was already full (the hit is not counted)
        """
        self.check(key)
        with self._lock:
            self._hits[key].append(self._now())
