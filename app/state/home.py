"""The home screen: today's counts, the work queue, and the state of the link to the city."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.i18n import Translator

__all__ = ["LinkState", "Counts", "link_text", "time_ago"]


@dataclass(frozen=True)
class LinkState:
    """Whether the city server answers, since when it does not, and the sync in progress."""

    online: bool
    since: datetime | None = None
    syncing: bool = False
    items_left: int = 0
    fraction: float | None = None
    last_sync: datetime | None = None


@dataclass(frozen=True)
class Counts:
    """Today's figures for this device's unit."""

    received_today: int
    due_today: int
    overdue: int
    unsynced: int


def time_ago(moment: datetime, now: datetime, tr: Translator) -> str:
    """Say how long ago `moment` was ("5 phút trước" / "5 min ago")."""
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return tr("time.just_now")
    if seconds < 3600:
        return tr("time.minutes_ago", n=seconds // 60)
    if seconds < 86400:
        return tr("time.hours_ago", n=seconds // 3600)
    return tr("time.days_ago", n=seconds // 86400)


def link_text(link: LinkState, now: datetime, tr: Translator) -> str:
    """The always-visible line about the link: online, offline since when, or syncing how far."""
    if link.syncing:
        if link.fraction is not None:
            return tr("link.syncing_pct", pct=round(link.fraction * 100), n=link.items_left)
        return tr("link.syncing", n=link.items_left)
    if link.online:
        text = tr("link.online")
    elif link.since is not None:
        text = tr("link.offline_since", when=link.since.strftime("%H:%M %d/%m"))
    else:
        text = tr("link.offline")
    if link.last_sync is not None:
        text += " · " + tr("link.last_sync", ago=time_ago(link.last_sync, now, tr))
    return text
