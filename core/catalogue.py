"""The catalogue of administrative procedures, as published version by version.

Each publication in ``assets/catalogue/`` is a decision of the province with an effective date
that adds, amends or abolishes procedures and bundles; `CatalogueHistory` replays them, so the
catalogue in force on any day, or the exact version a dossier was received under, can be asked
for::

    >>> catalogue = catalogue_at(date(2026, 1, 15))
    >>> catalogue.get("1.001193").name
    'Đăng ký khai sinh'
    >>> catalogue.search("khai sinh")[0].code
    '1.001193'
    >>> fee_for(catalogue.get("2.000815"), pages=5, copies=2)
    14000

The city publishes further versions through its server; `history_with` replays them after the
shipped ones (and `usable_history` skips those that do not replay, for data already stored)::

    >>> body = {"version": "2026.1", "decision": "1/QĐ-UBND", "effective_date": "2026-01-01",
    ...         "added": [], "amended": [], "abolished": ["1.003677"], "bundles": [],
    ...         "abolished_bundles": []}
    >>> history = history_with({"2026.1": body})
    >>> [c.version for c in history.catalogues], "1.003677" in history.latest.procedures
    (['2025.1', '2025.2', '2026.1'], False)

The values live in `core.catalogue_model`, the file reader in `core.catalogue_load`, fees and
competent units in `core.catalogue_rules`; this module is the one to import.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from core.catalogue_load import (
    merge_received,
    parse_publications,
    publication_date,
    read_publication_files,
    received_name,
)
from core.catalogue_model import (
    COMPETENT_UNIT_RULES,
    FIELDS,
    Bundle,
    Catalogue,
    CatalogueError,
    CatalogueHistory,
    Component,
    FeeRule,
    PageTier,
    Procedure,
    ProcedureResult,
    Processing,
    Timed,
    UnknownProcedure,
)
from core.catalogue_rules import FeeError, RoutingError, competent_unit, fee_for

__all__ = [
    "CATALOGUE_DIR",
    "COMPETENT_UNIT_RULES",
    "FIELDS",
    "Bundle",
    "Catalogue",
    "CatalogueError",
    "CatalogueHistory",
    "Component",
    "FeeError",
    "FeeRule",
    "PageTier",
    "Processing",
    "Procedure",
    "ProcedureResult",
    "RoutingError",
    "Timed",
    "UnknownProcedure",
    "catalogue_at",
    "catalogue_version",
    "competent_unit",
    "fee_for",
    "history_with",
    "load_catalogue",
    "load_history",
    "received_name",
    "shipped_publications",
    "usable_history",
]

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "assets" / "catalogue"


@cache
def _files(folder: Path) -> tuple[tuple[str, Any], ...]:
    return tuple(read_publication_files(folder))


@cache
def _load(folder: Path) -> CatalogueHistory:
    return CatalogueHistory(parse_publications(_files(folder)))


def load_history(path: Path | None = None) -> CatalogueHistory:
    """Return every publication in the folder `path` (default: shipped) replayed, read once.

    :raises CatalogueError: a file holds bad data (file, procedure and field are named).
    """
    return _load((path or CATALOGUE_DIR).resolve())


def load_catalogue(path: Path | None = None, on: date | None = None) -> Catalogue:
    """Return the catalogue in force on `on`, or the newest one, from `path` (default: shipped).

    :raises CatalogueError: a file holds bad data.
    :raises UnknownProcedure: no publication was in force on `on`.
    """
    history = load_history(path)
    return history.latest if on is None else history.at(on)


def catalogue_at(day: date) -> Catalogue:
    """Return the shipped catalogue in force on `day`.

    :raises UnknownProcedure: no publication was in force on `day`.
    """
    return load_history().at(day)


def catalogue_version(version: str) -> Catalogue:
    """Return the shipped catalogue of one version id (the one a dossier was received under).

    :raises UnknownProcedure: no publication has this version id.
    """
    return load_history().version(version)


def shipped_publications() -> list[tuple[str, dict[str, Any]]]:
    """Return the file name and JSON body of each shipped publication, by effective date.

    :raises CatalogueError: a shipped file holds bad data.
    """
    load_history()  # every shipped body is checked before anyone publishes it
    return sorted(_files(CATALOGUE_DIR), key=lambda item: item[1]["effective_date"])


def history_with(received: Mapping[str, Any]) -> CatalogueHistory:
    """Return the shipped publications and the received bodies (by version id) replayed.

    A received body is the JSON of one publication file; a version that was also shipped must be
    identical to it and changes nothing. New versions take their place by effective date.

    :raises CatalogueError: a body is bad (its ``<version>.json``, procedure and field are
      named), comes under another version id, or differs from the shipped one of its version.
    """
    return CatalogueHistory(parse_publications(merge_received(shipped_publications(), received)))


def usable_history(
    received: Mapping[str, Any],
) -> tuple[CatalogueHistory, list[CatalogueError]]:
    """Return the history with every received body that replays, and the errors of the others.

    Bodies are tried in order of effective date, each on top of those kept before it, so one bad
    publication in storage never hides the shipped catalogue or the good ones.
    """
    try:
        return history_with(received), []
    except CatalogueError:
        pass  # find the culprits one by one below
    kept: dict[str, Any] = {}
    errors: list[CatalogueError] = []
    by_date = sorted(received.items(), key=lambda item: (publication_date(item[1]), item[0]))
    for version, body in by_date:
        try:
            history_with({**kept, version: body})
        except CatalogueError as error:
            errors.append(error)
            continue
        kept[version] = body
    return history_with(kept), errors
