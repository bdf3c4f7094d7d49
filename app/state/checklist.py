"""The components checklist of a new dossier: the captured pages of each component, in order."""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = [
    "PageRef",
    "ComponentPages",
    "Checklist",
    "checklist_for",
    "add_page",
    "remove_page",
    "move_page",
    "reuse_pages",
    "replace_page",
    "missing_mandatory",
    "components_payload",
]


@dataclass(frozen=True)
class PageRef:
    """One processed page kept in the vault, with what the list shows instead of the full image."""

    sha256: str
    media_type: str
    mode: str
    dpi: int
    size: int
    thumbnail: bytes = b""
    problems: tuple[tuple[str, str], ...] = ()  # (Vietnamese, English) per failed quality check
    fingerprint: str = ""
    reused: bool = False  # taken from the city's document store instead of scanned
    corners: tuple[tuple[float, float], ...] = ()  # set when the officer placed them by hand

    @property
    def ok(self) -> bool:
        """Whether every quality check passed (otherwise a retake is suggested)."""
        return not self.problems

    def advice(self, language: str) -> str:
        """The failed checks in `language`, one sentence each."""
        return " ".join(vi if language == "vi" else en for vi, en in self.problems)


@dataclass(frozen=True)
class ComponentPages:
    """One component of the chosen procedure and the pages captured for it so far."""

    component_id: str
    name: str
    mandatory: bool
    must_digitise: bool
    pages: tuple[PageRef, ...] = ()


@dataclass(frozen=True)
class Checklist:
    """Every component of the procedure, in catalogue order."""

    items: tuple[ComponentPages, ...] = ()

    def item(self, component_id: str) -> ComponentPages:
        """Return the entry of `component_id` (KeyError when the procedure lacks it)."""
        for entry in self.items:
            if entry.component_id == component_id:
                return entry
        raise KeyError(component_id)

    @property
    def page_count(self) -> int:
        """How many pages were captured over all components."""
        return sum(len(entry.pages) for entry in self.items)


def checklist_for(components: object) -> Checklist:
    """Start an empty checklist from a procedure's components (core.catalogue.Component objects)."""
    return Checklist(
        tuple(
            ComponentPages(
                component_id=c.id,
                name=c.name,
                mandatory=bool(c.mandatory),
                must_digitise=bool(c.must_digitise),
            )
            for c in components
        )
    )


def _with_pages(checklist: Checklist, component_id: str, pages: tuple[PageRef, ...]) -> Checklist:
    checklist.item(component_id)
    return Checklist(
        tuple(
            replace(entry, pages=pages) if entry.component_id == component_id else entry
            for entry in checklist.items
        )
    )


def add_page(checklist: Checklist, component_id: str, page: PageRef) -> Checklist:
    """Append `page` to a component; the same page twice is kept once."""
    pages = checklist.item(component_id).pages
    if any(p.sha256 == page.sha256 for p in pages):
        return checklist
    return _with_pages(checklist, component_id, (*pages, page))


def remove_page(checklist: Checklist, component_id: str, index: int) -> Checklist:
    """Drop the page at `index` of a component."""
    pages = list(checklist.item(component_id).pages)
    del pages[index]
    return _with_pages(checklist, component_id, tuple(pages))


def move_page(checklist: Checklist, component_id: str, index: int, offset: int) -> Checklist:
    """Move the page at `index` by `offset` places (clamped to the list)."""
    pages = list(checklist.item(component_id).pages)
    target = max(0, min(len(pages) - 1, index + offset))
    pages.insert(target, pages.pop(index))
    return _with_pages(checklist, component_id, tuple(pages))


def reuse_pages(checklist: Checklist, component_id: str, pages: tuple[PageRef, ...]) -> Checklist:
    """Put reused pages in place of a component's pages, each marked as reused."""
    reused = tuple(replace(page, reused=True) for page in pages)
    return _with_pages(checklist, component_id, reused)


def replace_page(checklist: Checklist, component_id: str, index: int, page: PageRef) -> Checklist:
    """Put `page` in place of the page at `index` of a component, e.g. one rescanned."""
    pages = list(checklist.item(component_id).pages)
    pages[index] = page
    return _with_pages(checklist, component_id, tuple(pages))


def missing_mandatory(checklist: Checklist) -> list[str]:
    """Name the mandatory components that still have no page."""
    return [entry.name for entry in checklist.items if entry.mandatory and not entry.pages]


def components_payload(checklist: Checklist) -> list[dict]:
    """Return the ``components`` part of a RECEIVED event (only components with pages).

    A component whose every page came from the city's store is flagged ``reused``.
    """
    return [
        {
            "component_id": entry.component_id,
            **({"reused": True} if all(p.reused for p in entry.pages) else {}),
            "pages": [
                {
                    "sha256": p.sha256,
                    "media_type": p.media_type,
                    "mode": p.mode,
                    "dpi": p.dpi,
                    "bytes": p.size,
                }
                for p in entry.pages
            ],
        }
        for entry in checklist.items
        if entry.pages
    ]
