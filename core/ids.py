"""Time-ordered identifiers (UUIDv7, RFC 9562) that devices mint offline without collisions."""

from __future__ import annotations

import re
import secrets
import threading
import time

from core.errors import SohoaError

__all__ = ["BadId", "id_time_ms", "is_id", "new_id"]

_MAX_MS = (1 << 48) - 1
_TAIL_BITS = 74  # rand_a (12 bits) + rand_b (62 bits): everything after the timestamp
_TAIL_MAX = (1 << _TAIL_BITS) - 1
# A random step (not +1) keeps ids minted in the same millisecond hard to guess (RFC 9562 §6.2,
# method 2) while 2^32 steps still leave room for billions of ids per millisecond.
_MAX_STEP = 1 << 32
_CANONICAL = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


class BadId(SohoaError):
    """A string that should be a canonical UUIDv7 is not one."""

    code = "bad_id"


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _format(ms: int, tail: int) -> str:
    rand_a = tail >> 62
    rand_b = tail & ((1 << 62) - 1)
    value = (ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    digits = f"{value:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


class _MonotonicSequence:
    """Process-wide generator: each id sorts after the last, even if the clock steps back."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = -1
        self._last_tail = 0

    def next(self, ms: int) -> str:
        with self._lock:
            if ms > self._last_ms:
                self._last_ms, self._last_tail = ms, secrets.randbits(_TAIL_BITS - 1)
            else:
                tail = self._last_tail + 1 + secrets.randbelow(_MAX_STEP)
                if tail > _TAIL_MAX:
                    self._last_ms, tail = self._last_ms + 1, secrets.randbits(_TAIL_BITS - 1)
                self._last_tail = tail
            if self._last_ms > _MAX_MS:
                raise BadId("Đồng hồ vượt giới hạn UUIDv7", "Clock is beyond the UUIDv7 range")
            return _format(self._last_ms, self._last_tail)


_SEQUENCE = _MonotonicSequence()


def new_id(now_ms: int | None = None) -> str:
    """Return a new UUIDv7 as its canonical 36-character lower-case string.

    Without `now_ms` the id comes from the process-wide monotonic sequence, so every id sorts
    after the previous one. With `now_ms` (imports, tests) the id carries exactly that
    millisecond and a fresh random tail, outside the sequence.

    :param now_ms: Unix time in milliseconds to stamp into the id instead of the clock.
    :raises BadId: if `now_ms` does not fit the 48-bit timestamp.
    """
    if now_ms is None:
        return _SEQUENCE.next(_now_ms())
    if not 0 <= now_ms <= _MAX_MS:
        raise BadId(
            f"Thời điểm {now_ms} ngoài phạm vi UUIDv7", f"Time {now_ms} is outside the UUIDv7 range"
        )
    return _format(now_ms, secrets.randbits(_TAIL_BITS))


def is_id(value: object) -> bool:
    """Return whether `value` is a canonical lower-case UUIDv7 string."""
    return isinstance(value, str) and _CANONICAL.match(value) is not None


def id_time_ms(id: str) -> int:
    """Return the Unix millisecond timestamp stamped into UUIDv7 `id`.

    :param id: a canonical UUIDv7 string.
    :raises BadId: if `id` is not a canonical UUIDv7 (wrong shape, version or variant).
    """
    if not is_id(id):
        raise BadId(f"Mã định danh không phải UUIDv7: {id!r}", f"Not a UUIDv7 id: {id!r}")
    return int(id[:8] + id[9:13], 16)
