"""The sliding-window rate limiter."""

from __future__ import annotations

import pytest

from server.portal import RateLimiter, TooManyLookups


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_hits_are_allowed_up_to_the_limit_then_refused_until_the_window_slides():
    clock = Clock()
    limiter = RateLimiter(2, 60, now=clock)
    limiter.hit("a")
    clock.now += 30
    limiter.hit("a")
    with pytest.raises(TooManyLookups) as refused:
        limiter.hit("a")
    assert refused.value.retry_after_seconds == 31
    limiter.hit("b")  # other keys keep their own windows
    clock.now += 30  # the first hit leaves the window
    limiter.hit("a")
    with pytest.raises(TooManyLookups):
        limiter.check("a")


def test_check_does_not_spend_a_hit():
    limiter = RateLimiter(1, 60, now=Clock())
    for _ in range(3):
        limiter.check("a")
    limiter.hit("a")
    with pytest.raises(TooManyLookups) as refused:
        limiter.check("a")
    assert "phút" in refused.value.message_vi and "min" in refused.value.message_en
