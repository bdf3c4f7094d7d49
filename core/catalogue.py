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

The values live in `core.catalogue_model`, the file reader in `core.catalogue_load`, fees and
competent units in `core.catalogue_rules`; this module is the one to import.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from core.catalogue_load import read_publications
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
    "load_catalogue",
    "load_history",
]

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "assets" / "catalogue"


@cache
def _load(folder: Path) -> CatalogueHistory:
    return CatalogueHistory(read_publications(folder))


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
