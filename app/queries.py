"""Reading the vault for the lists: search, filters, keyset pages, and today's figures.

Every figure is one count over a vault index and the queue one short walk of the due index, so
the home screen costs the same with 100,000 dossiers as with 100.
"""

from __future__ import annotations

from datetime import datetime

from app.state.dossiers import DossierQuery, search_kind
from app.state.home import Counts
from storage.search import OPEN_STATUSES

__all__ = ["QUEUE_LENGTH", "find_dossiers", "home_figures"]

QUEUE_LENGTH = 10


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
    overdue = dossiers.count(status=OPEN_STATUSES, due_before=now)
    counts = Counts(
        received_today=dossiers.count(
            received_since=now.replace(hour=0, minute=0, second=0, microsecond=0)
        ),
        due_today=dossiers.count(status=OPEN_STATUSES, due_before=end_of_day) - overdue,
        overdue=overdue,
        unsynced=dossiers.count(unsynced=True),
    )
    return counts, dossiers.due_soonest(end_of_day, QUEUE_LENGTH)
