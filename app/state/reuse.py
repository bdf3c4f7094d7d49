"""Data reuse in the components step: the citizen's documents the city already holds.

When the link is up and the CCCD is valid, the desk asks the city store once for the documents
whose types the procedure's components take; the officer may then reuse one for a component
instead of scanning it again. Offline there is simply nothing on offer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.errors import SohoaError
from core.identity import parse_cccd

__all__ = [
    "REUSE_PURPOSE",
    "ReuseOffer",
    "ReuseOffers",
    "lookup_cccd",
    "offers_by_component",
    "wanted_types",
]

REUSE_PURPOSE = "Tái sử dụng dữ liệu đã số hóa khi tiếp nhận hồ sơ / reuse at the counter"


@dataclass(frozen=True)
class ReuseOffer:
    """One stored document of the citizen: its type, where it came from and its pages."""

    document_type: str
    dossier_id: str
    is_result: bool
    stored_at: float
    pages: tuple[dict, ...]

    @property
    def key(self) -> str:
        """A name for the offer that stays the same between lookups (the semantics id)."""
        return f"{self.dossier_id}-{self.document_type}"


@dataclass(frozen=True)
class ReuseOffers:
    """What the city offered for one applicant: component id -> its offers, newest first."""

    cccd: str = ""
    by_component: dict[str, tuple[ReuseOffer, ...]] = field(default_factory=dict)

    def for_component(self, component_id: str) -> tuple[ReuseOffer, ...]:
        """The offers of one component (none when the city holds nothing of its type)."""
        return self.by_component.get(component_id, ())


def lookup_cccd(values: dict[str, str], online: bool) -> str | None:
    """Return the CCCD to look up, or None when offline or the CCCD is not valid."""
    if not online:
        return None
    try:
        return parse_cccd(values.get("cccd", "")).number
    except SohoaError:
        return None


def wanted_types(components: Iterable[object]) -> list[str]:
    """The document types the procedure's components (core.catalogue.Component) take, once each."""
    return sorted({c.document_type for c in components if c.document_type})


def offers_by_component(
    cccd: str, components: Iterable[object], documents: Iterable[dict]
) -> ReuseOffers:
    """Match the city's documents (``/v1/device/documents/lookup`` items) to components by type."""
    offers = [
        ReuseOffer(
            document_type=d["document_type"],
            dossier_id=d["dossier_id"],
            is_result=bool(d["is_result"]),
            stored_at=float(d["stored_at"]),
            pages=tuple(d["pages"]),
        )
        for d in documents
        if d.get("pages")
    ]
    offers.sort(key=lambda offer: offer.stored_at, reverse=True)
    matched = {
        c.id: tuple(o for o in offers if o.document_type == c.document_type)
        for c in components
        if c.document_type
    }
    return ReuseOffers(cccd, {cid: found for cid, found in matched.items() if found})
