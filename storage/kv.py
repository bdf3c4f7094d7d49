"""A small encrypted key-value store for sync cursors, tus offsets and device identity.

Keys are stored as a keyed hash (a key like ``tus:<sha256>`` would otherwise leak a page hash);
values are JSON, AES-GCM under a root-derived key and bound to their key.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from sqlite_utils import Database

from storage.keyring import Keyring
from storage.schema import guard_disk

__all__ = ["KeyValueStore"]


class KeyValueStore:
    """JSON values by name, encrypted.

    >>> session.kv.set("sync.cursor", "c-1042")
    >>> session.kv.get("sync.cursor")
    'c-1042'
    """

    def __init__(self, db: Database, keyring: Keyring):
        self._db = db
        self._keys = keyring

    def _ref(self, key: str) -> str:
        return hmac.new(self._keys.derived("kv-ref"), key.encode(), "sha256").hexdigest()

    def get(self, key: str, default: Any = None) -> Any:
        """Return the value stored under `key`, or `default`.

        :raises TamperedData: when the stored value was altered or moved from another key.
        """
        ref = self._ref(key)
        for row in self._db.query("SELECT value_box FROM kv WHERE ref = ?", [ref]):
            return json.loads(
                self._keys.open(self._keys.derived("kv"), row["value_box"], "kv", "value", ref)
            )
        return default

    def set(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable `value` under `key` (replacing the old one).

        :raises StorageFull: when the disk is full (the old value stays).
        """
        ref = self._ref(key)
        box = self._keys.seal(
            self._keys.derived("kv"), json.dumps(value).encode(), "kv", "value", ref
        )
        with guard_disk(), self._db.atomic():
            self._db.table("kv").insert({"ref": ref, "value_box": box}, replace=True)

    def delete(self, key: str) -> None:
        """Remove `key` if it is there."""
        with guard_disk(), self._db.atomic():
            self._db.execute("DELETE FROM kv WHERE ref = ?", [self._ref(key)])
