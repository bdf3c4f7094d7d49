"""Backoff grows exponentially, stays within its jitter band and cap, and resets on success."""

from __future__ import annotations

import random

import pytest

from sync.backoff import Backoff


def test_delays_double_within_their_upper_half_until_the_cap():
    backoff = Backoff(base=1.0, cap=16.0, rng=random.Random(1))
    for ceiling in (1, 2, 4, 8, 16, 16, 16):
        delay = backoff.failed()
        assert ceiling / 2 <= delay <= ceiling


def test_success_starts_again_from_base():
    backoff = Backoff(base=2.0, cap=100.0, rng=random.Random(2))
    for _ in range(5):
        backoff.failed()
    backoff.succeeded()
    assert backoff.peek_ceiling() == 2.0
    assert 1.0 <= backoff.failed() <= 2.0


def test_two_devices_with_different_seeds_do_not_retry_in_step():
    first = Backoff(rng=random.Random(1))
    second = Backoff(rng=random.Random(2))
    assert [first.failed() for _ in range(5)] != [second.failed() for _ in range(5)]


def test_bad_bounds_are_refused():
    with pytest.raises(ValueError):
        Backoff(base=5.0, cap=1.0)


def test_weeks_of_failures_stay_at_the_cap():
    backoff = Backoff(base=1.0, cap=300.0, rng=random.Random(3))
    for _ in range(5000):
        delay = backoff.failed()
    assert 150.0 <= delay <= 300.0
