"""The catalogue cache: the catalogue and calendar versions the city published, readable locked.

Publications are public (by decision of the city), so they are stored in the clear. Each row is
one publication body as the server sent it, under its kind (``catalogue``: the JSON of one
``assets/catalogue`` file; ``calendar``: one year's table); `CatalogueCache.history` replays the
catalogue versions after the shipped ones, `CatalogueCache.calendar` lays the yearly tables over
the shipped ones.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from core.calendar import WorkCalendar, usable_calendar
from core.catalogue import CatalogueHistory, usable_history
from storage.schema import DB_NAME, guard_disk

__all__ = ["CatalogueCache"]

log = logging.getLogger("sohoa.storage")


class CatalogueCache:
    """Stores catalogue and calendar versions as the server sends them, and what they make.

    >>> vault.catalogue.put("2026.1", body)
    >>> vault.catalogue.history().current(today).version
    '2026.1'
    >>> vault.catalogue.put("2027.1", calendar_body, kind="calendar")
    >>> vault.catalogue.calendar().is_working_day(date(2027, 1, 4))
    False

    Calls are serialised by a lock of the cache, so a reader (`CatalogueCache.reader`) may be
    used from any thread.
    """

    def __init__(self, db: Database, clock: Callable[[], int]):
        self._db = db
        self._clock = clock
        self._lock = threading.Lock()
        self._built: dict[str, tuple[tuple[str, ...], Any]] = {}

    @classmethod
    def reader(cls, data_dir: Path) -> CatalogueCache | None:
        """Open the catalogue of the vault in `data_dir` read-only, on a connection of its own.

        :returns: None while `data_dir` holds no vault.
        """
        path = Path(data_dir) / DB_NAME
        if not path.exists():
            return None
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
        return cls(Database(connection), clock=lambda: 0)

    def put(self, version: str, body: bytes, kind: str = "catalogue") -> None:
        """Store (or replace) `version` of a `kind` of publication (catalogue or calendar).

        :raises StorageFull: when the disk is full.
        """
        with self._lock, guard_disk(), self._db.atomic():
            self._db.table("catalogue").insert(
                {"kind": kind, "version": version, "body": body, "stored_ms": self._clock()},
                replace=True,
            )

    def latest(self, kind: str = "catalogue") -> tuple[str, bytes] | None:
        """Return the most recently stored (version, body) of `kind`, or None when there is none."""
        with self._lock:
            for row in self._db.query(
                "SELECT version, body FROM catalogue WHERE kind = ?"
                " ORDER BY stored_ms DESC, version DESC LIMIT 1",
                [kind],
            ):
                return row["version"], row["body"]
        return None

    def versions(self, kind: str = "catalogue") -> list[str]:
        """Return every stored version of `kind`, newest first."""
        with self._lock:
            return [
                row["version"]
                for row in self._db.query(
                    "SELECT version FROM catalogue WHERE kind = ? ORDER BY stored_ms DESC", [kind]
                )
            ]

    def history(self) -> CatalogueHistory:
        """Return the shipped publications and the stored ones replayed, rebuilt on a new version.

        A stored body that is not JSON or does not replay is skipped with a logged warning.
        """
        return self._build("catalogue", usable_history)

    def calendar(self) -> WorkCalendar:
        """Return the shipped yearly tables with the stored ones on top, rebuilt on a new version.

        A stored body that is not JSON or not a good table is skipped with a logged warning.
        """
        return self._build("calendar", usable_calendar)

    def close(self) -> None:
        """Close the connection (of a reader; a vault closes its own)."""
        self._db.close()

    def _build(self, kind: str, build: Callable[[dict[str, Any]], tuple[Any, list]]) -> Any:
        # A published version never changes, so the stored version ids tell whether to rebuild.
        with self._lock:
            stored = tuple(
                row["version"]
                for row in self._db.query(
                    "SELECT version FROM catalogue WHERE kind = ? ORDER BY version", [kind]
                )
            )
            if kind not in self._built or self._built[kind][0] != stored:
                built, errors = build(self._bodies(kind))
                for error in errors:
                    log.warning("stored %s skipped: %s", kind, error)
                self._built[kind] = (stored, built)
            return self._built[kind][1]

    def _bodies(self, kind: str) -> dict[str, Any]:
        bodies: dict[str, Any] = {}
        for row in self._db.query("SELECT version, body FROM catalogue WHERE kind = ?", [kind]):
            try:
                bodies[row["version"]] = json.loads(row["body"])
            except ValueError as error:  # UnicodeDecodeError is a ValueError too
                log.warning("stored %s %s skipped: not JSON (%s)", kind, row["version"], error)
        return bodies
