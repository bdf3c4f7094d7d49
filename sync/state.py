"""The sync engine's own small state file: tus offsets, the feed cursor, the server clock offset.

It holds no personal data (upload URLs, offsets, page hashes, counters), so it lives next to
the vault in plain SQLite, written with ``synchronous=FULL`` so a saved offset survives power
loss. Upload workers run in threads, so the connection is shared under a lock.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

__all__ = ["STATE_FILE", "SyncState"]

STATE_FILE = "sync-state.sqlite"


class SyncState:
    """A persistent JSON key-value store that any thread may use.

    ::

        state = SyncState.open(data_dir)
        state.set("feed_cursor", 42)
        state.get("feed_cursor", 0)    # 42, also after a restart
    """

    def __init__(self, connection: sqlite3.Connection):
        self._db = connection
        self._lock = threading.Lock()

    @classmethod
    def open(cls, data_dir: Path | str) -> SyncState:
        """Open (creating if needed) the state file in `data_dir`."""
        path = Path(data_dir) / STATE_FILE
        connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT)")
        return cls(connection)

    def get(self, key: str, default: Any = None) -> Any:
        """Return the value saved under `key`, or `default`."""
        with self._lock:
            row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set(self, key: str, value: Any) -> None:
        """Save `value` (JSON) under `key`, durably."""
        text = json.dumps(value, separators=(",", ":"))
        with self._lock:
            self._db.execute(
                "INSERT INTO state (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, text),
            )

    def delete(self, key: str) -> None:
        """Forget `key` (nothing happens if it is not there)."""
        with self._lock:
            self._db.execute("DELETE FROM state WHERE key = ?", (key,))

    def keys(self, prefix: str = "") -> list[str]:
        """Return the saved keys that start with `prefix`, sorted."""
        with self._lock:
            rows = self._db.execute(
                "SELECT key FROM state WHERE substr(key, 1, ?) = ? ORDER BY key",
                (len(prefix), prefix),
            ).fetchall()
        return [row[0] for row in rows]

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()
