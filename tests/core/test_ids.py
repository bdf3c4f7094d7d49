from __future__ import annotations

import time
import uuid

import pytest

from core import ids
from core.ids import BadId, id_time_ms, is_id, new_id


def test_new_id_is_a_canonical_uuid7():
    value = new_id()
    parsed = uuid.UUID(value)
    assert str(parsed) == value
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122
    assert len(value) == 36


def test_new_id_carries_the_current_millisecond():
    before = time.time_ns() // 1_000_000
    stamped = id_time_ms(new_id())
    after = time.time_ns() // 1_000_000
    assert before <= stamped <= after + 1


@pytest.mark.parametrize("now_ms", [0, 1, 1_772_416_800_000, (1 << 48) - 1])
def test_explicit_time_is_stamped_exactly(now_ms):
    value = new_id(now_ms)
    assert id_time_ms(value) == now_ms
    assert uuid.UUID(value).version == 7


@pytest.mark.parametrize("now_ms", [-1, 1 << 48])
def test_time_outside_48_bits_is_refused(now_ms):
    with pytest.raises(BadId) as caught:
        new_id(now_ms)
    assert "UUIDv7" in caught.value.message("vi") and "UUIDv7" in caught.value.message("en")


def test_ids_from_one_process_sort_in_the_order_they_were_made():
    made = [new_id() for _ in range(5000)]
    assert made == sorted(made)
    assert len(set(made)) == len(made)


def test_sequence_stays_monotonic_when_the_clock_steps_back():
    sequence = ids._MonotonicSequence()
    made = [sequence.next(ms) for ms in (5000, 5000, 4000, 3000, 5000, 5001, 10)]
    assert made == sorted(made)
    assert len(set(made)) == len(made)
    assert id_time_ms(made[0]) == 5000
    assert id_time_ms(made[5]) == 5001


def test_sequence_borrows_the_next_millisecond_when_the_tail_is_exhausted():
    sequence = ids._MonotonicSequence()
    first = sequence.next(7)
    sequence._last_tail = (1 << 74) - 1
    second = sequence.next(7)
    assert id_time_ms(first) == 7 and id_time_ms(second) == 8
    assert second > first


@pytest.mark.parametrize(
    "value",
    [
        "not-an-id",
        str(uuid.uuid4()),
        new_id().upper(),
        new_id().replace("-", ""),
        "01a21ba7-cfd1-7736-cf95-cf62ad46d4f3",  # variant bits 11
        None,
        12,
    ],
)
def test_non_uuid7_values_are_refused(value):
    assert not is_id(value)
    with pytest.raises(BadId):
        id_time_ms(value)


def test_threads_never_share_an_id():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        batches = list(pool.map(lambda _: [new_id() for _ in range(2000)], range(4)))
    made = [value for batch in batches for value in batch]
    assert len(set(made)) == len(made)
    assert all(batch == sorted(batch) for batch in batches)
