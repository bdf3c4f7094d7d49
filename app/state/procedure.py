"""Finding the procedure of a new dossier by code or by words, with or without diacritics."""

from __future__ import annotations

from dataclasses import dataclass

from core.text import fold

__all__ = ["ProcedureSearch", "search_procedures", "open_bundle", "MAX_RESULTS"]

MAX_RESULTS = 20


@dataclass(frozen=True)
class ProcedureSearch:
    """The query as typed, the procedures and bundles matching it, and the one chosen."""

    query: str = ""
    results: tuple = ()
    bundles: tuple = ()
    chosen: object | None = None


def _bundle_matches(bundle: object, folded: str) -> bool:
    words = fold(f"{bundle.code} {bundle.name} {bundle.name_en} {' '.join(bundle.procedures)}")
    return all(word in words for word in folded.split())


def search_procedures(catalogue: object, query: str) -> ProcedureSearch:
    """Search `catalogue` (core.catalogue.Catalogue) for `query`; an empty query finds nothing."""
    folded = fold(query)
    if not folded:
        return ProcedureSearch(query=query)
    found = tuple(catalogue.search(query)[:MAX_RESULTS])
    bundles = tuple(b for b in catalogue.bundles.values() if _bundle_matches(b, folded))
    return ProcedureSearch(query=query, results=found, bundles=bundles)


def open_bundle(catalogue: object, search: ProcedureSearch, bundle: object) -> ProcedureSearch:
    """List the procedures of `bundle` so the officer receives them one after the other."""
    members = tuple(catalogue.get(code) for code in bundle.procedures)
    return ProcedureSearch(query=search.query, results=members, bundles=(bundle,))
