"""The catalogue cache: the procedure catalogue the server last sent, readable while locked.

The catalogue is public (published by decision of the city), so it is stored in the clear.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from storage.schema import guard_disk

__all__ = ["CatalogueCache"]


class CatalogueCache:
    """Stores catalogue versions as the server sends them; the newest one wins.

    >>> vault.catalogue.put("2026.01", body)
    >>> version, body = vault.catalogue.latest()
    """

    def __init__(self, db: Database, clock: Callable[[], int]):
        self._db = db
        self._clock = clock

    def put(self, version: str, body: bytes) -> None:
        """Store (or replace) catalogue `version`.

        :raises StorageFull: when the disk is full.
        """
        with guard_disk(), self._db.atomic():
            self._db.table("catalogue").insert(
                {"version": version, "body": body, "stored_ms": self._clock()}, replace=True
            )

    def latest(self) -> tuple[str, bytes] | None:
        """Return the most recently stored (version, body), or None when there is none."""
        for row in self._db.query(
            "SELECT version, body FROM catalogue ORDER BY stored_ms DESC, version DESC LIMIT 1"
        ):
            return row["version"], row["body"]
        return None

    def versions(self) -> list[str]:
        """Return every stored version, newest first."""
        return [
            row["version"]
            for row in self._db.query("SELECT version FROM catalogue ORDER BY stored_ms DESC")
        ]
