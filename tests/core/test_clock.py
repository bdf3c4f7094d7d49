from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.clock import ClockError, HybridClock, Timestamp

DAY_MS = 86_400_000
NOW = 1_772_416_800_000

timestamps = st.builds(
    Timestamp,
    st.integers(0, (1 << 48) - 1),
    st.integers(0, (1 << 24) - 1),
    st.from_regex(r"[A-Za-z0-9._:-]{1,12}", fullmatch=True),
)


class Wall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


@given(timestamps, timestamps)
def test_encoding_sorts_like_the_clock(a, b):
    assert (a.encode() < b.encode()) == (a < b)
    assert Timestamp.decode(a.encode()) == a


def test_encoding_is_fixed_width_hex():
    assert Timestamp(1_700_000_000_000, 5, "tablet-1").encode() == "018bcfe56800-000005-tablet-1"


@pytest.mark.parametrize(
    "encoded", ["", "018bcfe56800-000005", "018BCFE56800-000005-x", "18bcfe56800-000005-x", None]
)
def test_malformed_encodings_are_refused(encoded):
    with pytest.raises(ClockError):
        Timestamp.decode(encoded)


@pytest.mark.parametrize(
    "args",
    [
        (-1, 0, "n"),
        (1 << 48, 0, "n"),
        (0, -1, "n"),
        (0, 1 << 24, "n"),
        (0, 0, ""),
        (0, 0, "có dấu"),
        (True, 0, "n"),
        (0, 0, "x" * 65),
    ],
)
def test_out_of_range_readings_are_refused(args):
    with pytest.raises(ClockError) as caught:
        Timestamp(*args)
    assert caught.value.message("vi").startswith(("Thời gian", "Bộ đếm", "Tên nút"))


def test_tick_follows_the_wall_clock_and_counts_within_a_millisecond():
    wall = Wall(NOW)
    clock = HybridClock("a", now_ms=wall)
    assert clock.tick() == Timestamp(NOW, 0, "a")
    assert clock.tick() == Timestamp(NOW, 1, "a")
    wall.ms += 5
    assert clock.tick() == Timestamp(NOW + 5, 0, "a")


def test_tick_never_goes_back_when_the_wall_clock_jumps_back():
    wall = Wall(NOW)
    clock = HybridClock("a", now_ms=wall)
    first = clock.tick()
    wall.ms -= 3 * DAY_MS
    later = [clock.tick() for _ in range(3)]
    assert [first, *later] == sorted([first, *later])
    assert later[-1] == Timestamp(NOW, 3, "a")


def test_restarted_clock_resumes_after_its_last_reading():
    wall = Wall(NOW - DAY_MS)
    clock = HybridClock("a", now_ms=wall, last=Timestamp(NOW, 9, "a"))
    assert clock.tick() == Timestamp(NOW, 10, "a")


def test_observe_moves_past_a_remote_reading_from_a_fast_clock():
    clock = HybridClock("slow", now_ms=Wall(NOW))
    remote = Timestamp(NOW + 7 * DAY_MS, 4, "fast")
    merged = clock.observe(remote)
    assert merged == Timestamp(NOW + 7 * DAY_MS, 5, "slow")
    assert clock.tick() > merged


def test_observe_of_an_old_reading_keeps_local_time():
    clock = HybridClock("a", now_ms=Wall(NOW))
    local = clock.tick()
    merged = clock.observe(Timestamp(NOW - DAY_MS, 50, "b"))
    assert merged == Timestamp(NOW, local.counter + 1, "a")


def test_observe_of_an_equal_wall_time_takes_the_larger_counter():
    clock = HybridClock("a", now_ms=Wall(NOW))
    clock.tick()
    assert clock.observe(Timestamp(NOW, 7, "b")) == Timestamp(NOW, 8, "a")


def test_counter_overflow_borrows_the_next_millisecond():
    clock = HybridClock("a", now_ms=Wall(NOW), last=Timestamp(NOW, (1 << 24) - 1, "a"))
    assert clock.tick() == Timestamp(NOW + 1, 0, "a")


def test_bad_node_name_is_refused():
    with pytest.raises(ClockError):
        HybridClock("máy 1")


# One step of a simulated offline city: (node doing it, action, wall-clock drift, message source)
steps = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from(["tick", "send", "jump"]),
        st.integers(-7 * DAY_MS, 7 * DAY_MS),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(skews=st.tuples(*[st.integers(-7 * DAY_MS, 7 * DAY_MS)] * 3), script=steps)
def test_causal_order_survives_week_long_skews_and_jumps(skews, script):
    """Every reading sorts after everything its node had seen, whatever the wall clocks say."""
    walls = [Wall(NOW + skew) for skew in skews]
    clocks = [HybridClock(f"n{i}", now_ms=walls[i]) for i in range(3)]
    seen = [Timestamp(0, 0, "n") for _ in range(3)]  # latest reading each node knows of
    for node, action, drift in script:
        if action == "jump":
            walls[node].ms = max(0, walls[node].ms + drift)
            continue
        reading = clocks[node].tick()
        assert reading > seen[node]
        seen[node] = reading
        if action == "send":
            receiver = (node + 1) % 3
            merged = clocks[receiver].observe(reading)
            assert merged > reading and merged > seen[receiver]
            seen[receiver] = merged
