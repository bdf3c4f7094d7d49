from app.i18n import Translator
from app.state.sync_view import human_bytes, sync_figures
from sync.progress import Progress


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_figures_follow_the_engine_progress():
    clock = Clock()
    progress = Progress(clock=clock)
    progress.queue(items=4, nbytes=4 * 1024 * 1024)
    clock.now = 1.0
    progress.sent(nbytes=1024 * 1024)
    figures = sync_figures(progress.snapshot(), Translator("en"))
    assert figures.items == "0/4 items confirmed, 0 quarantined"
    assert figures.volume == "Sent 1.0 MiB of 4.0 MiB"
    assert 0.24 < figures.fraction < 0.26
    assert figures.error == ""


def test_nothing_queued_is_complete():
    figures = sync_figures(Progress().snapshot(), Translator("vi"))
    assert figures.fraction == 1.0
    assert "chưa rõ" in figures.time_left or "giây" in figures.time_left


def test_human_bytes():
    assert human_bytes(512) == "512 B"
    assert human_bytes(1536) == "1.5 KiB"
    assert human_bytes(5 * 1024**3) == "5.0 GiB"
