"""The sync screen's figures, worded for an officer: items, bytes, speed and time left."""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import Translator

__all__ = ["SyncFigures", "sync_figures", "human_bytes"]


@dataclass(frozen=True)
class SyncFigures:
    """The lines of the sync screen, ready to show."""

    items: str
    volume: str
    speed: str
    time_left: str
    fraction: float
    error: str


def human_bytes(count: float) -> str:
    """Write a byte count with a binary unit ("1.5 MiB")."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    raise AssertionError("unreachable")


def sync_figures(snapshot, tr: Translator) -> SyncFigures:
    """Word a sync.progress.ProgressSnapshot for the sync screen."""
    if snapshot.seconds_left is None:
        left = tr("sync.unknown")
    elif snapshot.seconds_left < 60:
        left = tr("sync.seconds", n=round(snapshot.seconds_left))
    else:
        left = tr("sync.minutes", n=round(snapshot.seconds_left / 60))
    fraction = snapshot.bytes_sent / snapshot.bytes_queued if snapshot.bytes_queued else 1.0
    error = snapshot.error_en if tr.language == "en" else snapshot.error_vi
    return SyncFigures(
        items=tr(
            "sync.items",
            done=snapshot.items_confirmed,
            total=snapshot.items_queued,
            quarantined=snapshot.items_quarantined,
        ),
        volume=tr(
            "sync.volume",
            sent=human_bytes(snapshot.bytes_sent),
            total=human_bytes(snapshot.bytes_queued),
        ),
        speed=tr("sync.speed", rate=human_bytes(snapshot.bytes_per_second) + "/s"),
        time_left=tr("sync.time_left", left=left),
        fraction=min(1.0, fraction),
        error=error or "",
    )
