"""The adaptive chunk size of resumable uploads: grow after quick successes, halve on timeouts."""

from __future__ import annotations

__all__ = ["ChunkPolicy"]

KIB = 1024


class ChunkPolicy:
    """Chooses how many bytes the next tus PATCH carries, from how the last ones went.

    A chunk should take about `target_seconds` on the current link: long enough that the round
    trip and headers cost little, short enough that a cut re-sends little. A chunk that finished in
    under half the target doubles the size; a timeout halves it::

        policy = ChunkPolicy()
        size = policy.size
        policy.succeeded(size, seconds=1.2)   # fast link: the next chunk is twice as big
        policy.timed_out()                    # slow link: the next chunk is half as big
    """

    def __init__(
        self,
        *,
        initial: int = 64 * KIB,
        minimum: int = 16 * KIB,
        maximum: int = 4096 * KIB,
        target_seconds: float = 15.0,
    ):
        if not 0 < minimum <= initial <= maximum:
            raise ValueError("ChunkPolicy needs 0 < minimum <= initial <= maximum")
        self.minimum = minimum
        self.maximum = maximum
        self.target_seconds = target_seconds
        self.size = initial

    def succeeded(self, sent: int, seconds: float) -> None:
        """Record a chunk of `sent` bytes that took `seconds`; grow when it was quick and full."""
        full = sent >= self.size
        if full and seconds < self.target_seconds / 2:
            self.size = min(self.maximum, self.size * 2)
        elif seconds > self.target_seconds:
            self.size = max(self.minimum, self.size // 2)

    def timed_out(self) -> None:
        """Record a chunk that did not finish in time; the next one is half as big."""
        self.size = max(self.minimum, self.size // 2)
