"""The catalogue cache: the catalogue versions the city server published, readable while locked.

The catalogue is public (published by decision of the city), so it is stored in the clear. Each
row is one publication body as the server sent it (the JSON of one ``assets/catalogue`` file);
`CatalogueCache.history` replays them after the shipped publications.
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

from core.catalogue import CatalogueHistory, usable_history
from storage.schema import DB_NAME, guard_disk

__all__ = ["CatalogueCache"]

log = logging.getLogger("sohoa.storage")


class CatalogueCache:
    """Stores catalogue versions as the server sends them, and the history they make.

    >>> vault.catalogue.put("2026.1", body)
    >>> vault.catalogue.history().current(today).version
    '2026.1'

    Calls are serialised by a lock of the cache, so a reader (`CatalogueCache.reader`) may be
    used from any thread.
    """

    def __init__(self, db: Database, clock: Callable[[], int]):
        self._db = db
        self._clock = clock
        self._lock = threading.Lock()
        self._replayed: tuple[tuple[str, ...], CatalogueHistory] | None = None

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

    def put(self, version: str, body: bytes) -> None:
        """Store (or replace) catalogue `version`.

        :raises StorageFull: when the disk is full.
        """
        with self._lock, guard_disk(), self._db.atomic():
            self._db.table("catalogue").insert(
                {"version": version, "body": body, "stored_ms": self._clock()}, replace=True
            )

    def latest(self) -> tuple[str, bytes] | None:
        """Return the most recently stored (version, body), or None when there is none."""
        with self._lock:
            for row in self._db.query(
                "SELECT version, body FROM catalogue ORDER BY stored_ms DESC, version DESC LIMIT 1"
            ):
                return row["version"], row["body"]
        return None

    def versions(self) -> list[str]:
        """Return every stored version, newest first."""
        with self._lock:
            return [
                row["version"]
                for row in self._db.query("SELECT version FROM catalogue ORDER BY stored_ms DESC")
            ]

    def history(self) -> CatalogueHistory:
        """Return the shipped publications and the stored ones replayed, rebuilt on a new version.

        A published version never changes, so the stored version ids tell whether to rebuild. A
        stored body that is not JSON or does not replay is skipped with a logged warning.
        """
        with self._lock:
            stored = tuple(
                row["version"]
                for row in self._db.query("SELECT version FROM catalogue ORDER BY version")
            )
            if self._replayed is None or self._replayed[0] != stored:
                self._replayed = (stored, self._replay())
            return self._replayed[1]

    def close(self) -> None:
        """Close the connection (of a reader; a vault closes its own)."""
        self._db.close()

    def _replay(self) -> CatalogueHistory:
        bodies: dict[str, Any] = {}
        for row in self._db.query("SELECT version, body FROM catalogue"):
            try:
                bodies[row["version"]] = json.loads(row["body"])
            except ValueError as error:  # UnicodeDecodeError is a ValueError too
                log.warning("stored catalogue %s skipped: not JSON (%s)", row["version"], error)
        history, errors = usable_history(bodies)
        for error in errors:
            log.warning("stored catalogue skipped: %s", error)
        return history
