"""Reading the vault for the lists: search, filters, keyset pages, and today's figures.

Only open dossiers are counted, and at most COUNT_CAP of each kind, so a vault of 100,000 closed
dossiers costs no more than an empty one.
"""

from __future__ import annotations

from datetime import datetime

from app.state.dossiers import DossierQuery, search_kind
from app.state.home import Counts

__all__ = ["COUNT_CAP", "OPEN_STATUSES", "QUEUE_LENGTH", "find_dossiers", "home_figures"]

QUEUE_LENGTH = 10
LIST_BATCH = 500
COUNT_CAP = 5000
OPEN_STATUSES = ("received", "supplement_requested", "in_processing")


def find_dossiers(dossiers, query: DossierQuery, now: datetime) -> tuple[list, str | None]:
    """One page of summaries for `query` from a vault's dossiers, and the next page's cursor."""
    kind = search_kind(query.text)
    if kind == "code":
        found = dossiers.find_by_code(query.text.strip())
        return ([found] if found else []), None
    if kind == "cccd":
        return dossiers.find_by_cccd(query.text.strip()), None
    if kind == "name":
        return dossiers.find_by_name(query.text, limit=query.page_size), None
    filters = {
        "all": {},
        "received": {"status": "received"},
        "due": {"due_before": now.replace(hour=23, minute=59)},
        "overdue": {"overdue": True},
        "unsynced": {"unsynced": True},
    }[query.filter]
    page = dossiers.list(after=query.after, limit=query.page_size, **filters)
    return page.items, page.next_after


def home_figures(dossiers, now: datetime) -> tuple[Counts, list]:
    """Today's counts and the work queue (open dossiers due by tonight, soonest first)."""
    end_of_day = now.replace(hour=23, minute=59, second=59)
    due = [
        summary
        for status in OPEN_STATUSES
        for summary in _all(dossiers, status=status, due_before=end_of_day)
    ]
    overdue = [s for s in due if s.due_at < now]
    counts = Counts(
        received_today=_received_since(dossiers, now.replace(hour=0, minute=0, second=0)),
        due_today=len(due) - len(overdue),
        overdue=len(overdue),
        unsynced=len(_all(dossiers, unsynced=True)),
    )
    return counts, sorted(due, key=lambda s: s.due_at)[:QUEUE_LENGTH]


def _all(dossiers, **filters) -> list:
    """The summaries a vault list filter matches, page after page, at most COUNT_CAP."""
    found, after = [], None
    while len(found) < COUNT_CAP:
        page = dossiers.list(after=after, limit=LIST_BATCH, **filters)
        found.extend(page.items)
        if page.next_after is None:
            break
        after = page.next_after
    return found[:COUNT_CAP]


def _received_since(dossiers, start: datetime) -> int:
    """How many dossiers were received at or after `start` (the list is newest first)."""
    count, after = 0, None
    while True:
        page = dossiers.list(after=after, limit=LIST_BATCH)
        for summary in page.items:
            if summary.received_at < start:
                return count
            count += 1
        if page.next_after is None:
            return count
        after = page.next_after
