"""Progress tallies items and bytes, smooths speed, estimates time left and words errors."""

from __future__ import annotations

from sync.errors import Offline
from sync.progress import Progress


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_counts_speed_and_time_left():
    clock = _Clock()
    progress = Progress(clock=clock, smoothing=0.5)
    progress.queue(items=2, nbytes=10_000)
    progress.sent(nbytes=0)
    clock.now += 1.0
    progress.sent(nbytes=1_000)
    clock.now += 1.0
    progress.sent(nbytes=3_000, items=1)
    snap = progress.snapshot()
    assert (snap.items_queued, snap.items_sent, snap.bytes_sent) == (2, 1, 4_000)
    assert snap.bytes_per_second == 2_000.0
    assert snap.seconds_left == 3.0


def test_an_error_is_shown_in_both_languages_until_the_next_confirmation():
    progress = Progress()
    progress.queue(items=1, nbytes=10)
    progress.failed(Offline("timeout"))
    snap = progress.snapshot()
    assert "Không kết nối" in snap.error_vi and "Cannot reach" in snap.error_en
    assert "lỗi:" in snap.line("vi") and "error:" in snap.line("en")
    progress.confirmed(items=1, nbytes=10)
    snap = progress.snapshot()
    assert snap.error_vi is None and snap.last_success is not None
    assert snap.items_confirmed == 1


def test_quarantined_items_are_counted_apart():
    progress = Progress()
    progress.confirmed(items=3, quarantined=1)
    snap = progress.snapshot()
    assert (snap.items_confirmed, snap.items_quarantined) == (3, 1)
    assert "1 quarantined" in snap.line("en")


def test_nothing_queued_means_nothing_left():
    assert Progress().snapshot().seconds_left == 0.0
