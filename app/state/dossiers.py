"""The dossiers list: search by code, CCCD or name, filter, and page through many dossiers."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

__all__ = [
    "PAGE_SIZE",
    "FILTERS",
    "DossierQuery",
    "search_kind",
    "set_search",
    "set_filter",
    "next_page",
    "previous_page",
]

PAGE_SIZE = 25
FILTERS = ("all", "received", "due", "overdue", "unsynced")
_CODE = re.compile(r"^[0-9A-Za-z.]+-\d{6}-\d{4}$")


@dataclass(frozen=True)
class DossierQuery:
    """What the officer asked the list for, and the cursors of the pages already seen.

    Pages are keyset-paged (the vault's ``after`` cursor), so a list of 100,000 dossiers costs the
    same as a list of 100: ``cursors[-1]`` is where the current page starts.
    """

    text: str = ""
    filter: str = "all"
    cursors: tuple[str | None, ...] = (None,)
    page_size: int = PAGE_SIZE

    @property
    def page_number(self) -> int:
        """The current page, counted from 1."""
        return len(self.cursors)

    @property
    def after(self) -> str | None:
        """The cursor the current page starts after."""
        return self.cursors[-1]


def search_kind(text: str) -> str:
    """Say what `text` looks like: "code", "cccd", "name" or "" when empty."""
    text = text.strip()
    if not text:
        return ""
    if text.isdigit() and len(text) in (9, 12):
        return "cccd"
    if _CODE.match(text):
        return "code"
    return "name"


def set_search(query: DossierQuery, text: str) -> DossierQuery:
    """Search for `text`, back on the first page."""
    return replace(query, text=text, cursors=(None,))


def set_filter(query: DossierQuery, name: str) -> DossierQuery:
    """Apply filter `name` (one of FILTERS), back on the first page."""
    if name not in FILTERS:
        raise ValueError(name)
    return replace(query, filter=name, cursors=(None,))


def next_page(query: DossierQuery, next_after: str | None) -> DossierQuery:
    """Go to the page after the current one; `next_after` None means there is none."""
    if next_after is None:
        return query
    return replace(query, cursors=(*query.cursors, next_after))


def previous_page(query: DossierQuery) -> DossierQuery:
    """Go back one page (stays on the first)."""
    if len(query.cursors) == 1:
        return query
    return replace(query, cursors=query.cursors[:-1])
