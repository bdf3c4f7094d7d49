"""The audit log: who unlocked, changed, viewed or exported what, in an HMAC chain.

Each entry's MAC covers the previous entry's MAC, so an entry cannot be edited, removed from the
middle or reordered without the chain breaking. The key comes from the vault's root key, so only
an unlocked vault can add entries or check the chain. Details are encrypted.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.errors import TamperedData
from storage.keyring import Keyring
from storage.schema import guard_disk

__all__ = ["AuditEntry", "AuditLog"]


@dataclass(frozen=True)
class AuditEntry:
    """One checked entry of the audit log."""

    seq: int
    at_ms: int
    officer_id: str
    action: str
    dossier_id: str | None
    detail: dict[str, Any] | None


def _message(previous: bytes, row: dict) -> bytes:
    fields = [row["seq"], row["at_ms"], row["officer_id"], row["action"], row["dossier_id"]]
    return previous + json.dumps(fields).encode() + (row["detail_box"] or b"")


class AuditLog:
    """Append-only, chained log of one vault.

    >>> session.audit.record("export", dossier_id, {"format": "pdf"})
    """

    def __init__(self, db: Database, keyring: Keyring, officer_id: str, clock: Callable[[], int]):
        self._db = db
        self._keys = keyring
        self._officer_id = officer_id
        self._clock = clock

    def record(
        self, action: str, dossier_id: str | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        """Append an entry for the session's officer (inside the caller's transaction, if any)."""
        key = self._keys.derived("audit")
        with guard_disk(), self._db.atomic():
            last = list(self._db.query("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1"))
            seq = last[0]["seq"] + 1 if last else 1
            row = {
                "seq": seq,
                "at_ms": self._clock(),
                "officer_id": self._officer_id,
                "action": action,
                "dossier_id": dossier_id,
                "detail_box": None
                if detail is None
                else self._keys.seal(key, json.dumps(detail).encode(), "audit", "detail", str(seq)),
            }
            previous = last[0]["mac"] if last else b""
            row["mac"] = hmac.digest(key, _message(previous, row), "sha256")
            self._db.table("audit").insert(row)

    def entries(self) -> list[AuditEntry]:
        """Return every entry, oldest first, after checking the whole chain.

        :raises TamperedData: when an entry was edited, removed or reordered.
        """
        key = self._keys.derived("audit")
        previous, expected_seq, result = b"", 1, []
        for row in self._db.query("SELECT * FROM audit ORDER BY seq"):
            good = hmac.digest(key, _message(previous, row), "sha256")
            if row["seq"] != expected_seq or not hmac.compare_digest(good, row["mac"]):
                raise TamperedData(f"audit #{row['seq']}")
            detail = None
            if row["detail_box"] is not None:
                detail = json.loads(
                    self._keys.open(key, row["detail_box"], "audit", "detail", str(row["seq"]))
                )
            result.append(
                AuditEntry(
                    row["seq"],
                    row["at_ms"],
                    row["officer_id"],
                    row["action"],
                    row["dossier_id"],
                    detail,
                )
            )
            previous, expected_seq = row["mac"], expected_seq + 1
        return result
