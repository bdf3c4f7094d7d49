"""Exponential backoff with jitter, so retrying devices neither hammer the city nor move in step."""

from __future__ import annotations

import random

__all__ = ["Backoff"]

MAX_DOUBLINGS = 64


class Backoff:
    """Delays that grow exponentially after each failure, each drawn at random in its upper half.

    Half the delay is fixed so a device never retries at once in a loop; the other half is random
    so a ward's tablets, cut off together, do not come back at the same instant::

        backoff = Backoff(base=1.0, cap=300.0, rng=random.Random(7))
        delay = backoff.failed()   # 0.5..1.0 s, then 1..2 s, 2..4 s, ... up to 150..300 s
        backoff.succeeded()        # the next failure starts again from `base`
    """

    def __init__(self, *, base: float = 1.0, cap: float = 300.0, rng: random.Random | None = None):
        if base <= 0 or cap < base:
            raise ValueError("Backoff needs 0 < base <= cap")
        self.base = base
        self.cap = cap
        self.failures = 0
        self._rng = rng or random.Random()

    def peek_ceiling(self) -> float:
        """Return the largest delay the next failure may draw."""
        # The exponent is bounded so a device offline for weeks never overflows a float.
        return min(self.cap, self.base * 2.0 ** min(self.failures, MAX_DOUBLINGS))

    def failed(self) -> float:
        """Record one more failure and return how many seconds to wait before the next attempt."""
        ceiling = self.peek_ceiling()
        self.failures += 1
        return ceiling / 2 + self._rng.uniform(0.0, ceiling / 2)

    def succeeded(self) -> None:
        """Forget past failures, so the next one waits only `base` again."""
        self.failures = 0
