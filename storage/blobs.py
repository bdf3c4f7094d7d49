"""Page images as encrypted files with random names, one key each, indexed by a keyed hash.

A page's SHA-256 never reaches the disk in the clear: rows are found by HMAC(sha256), the hash
itself is stored encrypted. Files are written before the transaction that references them; a
crash in between leaves an unreferenced file, removed the next time the vault opens.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from storage import crypto
from storage.errors import DossierRejected, NotFound, TamperedData
from storage.keyring import Keyring
from storage.schema import guard_disk

__all__ = ["BLOB_DIR", "BlobStore", "PreparedBlob", "collect_orphans"]

BLOB_DIR = "blobs"
_TMP = ".tmp"


@dataclass(frozen=True)
class PreparedBlob:
    """A blob file already written, waiting for its row to be inserted in a transaction."""

    ref: str
    row: dict


def collect_orphans(db: Database, blob_dir: Path) -> int:
    """Delete blob files no row references (left by a crash between write and commit)."""
    if not blob_dir.exists():
        return 0
    referenced = {row["file"] for row in db.query("SELECT file FROM blobs")}
    removed = 0
    for name in os.listdir(blob_dir):
        if name not in referenced:
            (blob_dir / name).unlink(missing_ok=True)
            removed += 1
    return removed


class BlobStore:
    """Encrypted page images of one unlocked vault."""

    def __init__(self, db: Database, keyring: Keyring, blob_dir: Path):
        self._db = db
        self._keys = keyring
        self._dir = blob_dir

    def _ref(self, sha256_hex: str) -> str:
        return hmac.new(self._keys.derived("blob-ref"), sha256_hex.encode(), "sha256").hexdigest()

    def has(self, sha256_hex: str) -> bool:
        """Whether the page with this SHA-256 is in the vault."""
        return self._db.table("blobs").count_where("ref = ?", [self._ref(sha256_hex)]) > 0

    def prepare(self, pages: Mapping[str, bytes], state: str) -> list[PreparedBlob]:
        """Check each page against its hash and write the new ones as encrypted files.

        :raises DossierRejected: when a page's bytes do not match its SHA-256 name.
        :raises StorageFull: when the disk is full (files written so far are removed).
        """
        for sha, data in pages.items():
            if hashlib.sha256(data).hexdigest() != sha:
                raise DossierRejected(
                    f"Trang {sha[:12]}… không khớp mã băm",
                    f"Page {sha[:12]}… does not match its hash",
                )
        prepared: list[PreparedBlob] = []
        try:
            for sha, data in pages.items():
                ref = self._ref(sha)
                if self._db.table("blobs").count_where("ref = ?", [ref]) or any(
                    p.ref == ref for p in prepared
                ):
                    continue
                prepared.append(self._write(ref, sha, data, state))
            if prepared:
                _fsync_dir(self._dir)
        except BaseException:
            self.discard(prepared)
            raise
        return prepared

    def _write(self, ref: str, sha: str, data: bytes, state: str) -> PreparedBlob:
        key = crypto.new_key()
        name = secrets.token_hex(16)
        tmp = self._dir / (name + _TMP)
        try:
            with guard_disk():
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    for part in crypto.encrypt_chunks(
                        key, data, self._keys.aad("blobs", "data", ref)
                    ):
                        out.write(part)
                    out.flush()
                    os.fsync(out.fileno())
            os.replace(tmp, self._dir / name)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        row = {
            "ref": ref,
            "file": name,
            "wrapped_key": crypto.wrap_key(self._keys.vault_key, key),
            "hash_box": self._keys.seal(key, sha.encode(), "blobs", "sha256", ref),
            "size": len(data),
            "state": state,
        }
        return PreparedBlob(ref, row)

    def insert(self, prepared: list[PreparedBlob]) -> None:
        """Insert the rows of prepared blobs (call inside the writing transaction)."""
        self._db.table("blobs").insert_all([p.row for p in prepared])

    def discard(self, prepared: list[PreparedBlob]) -> None:
        """Delete the files of prepared blobs whose transaction did not commit."""
        for blob in prepared:
            (self._dir / blob.row["file"]).unlink(missing_ok=True)

    def put(self, data: bytes) -> str:
        """Store a page that came from the server (already there: nothing to upload).

        :returns: its SHA-256 in hex.
        """
        sha = hashlib.sha256(data).hexdigest()
        prepared = self.prepare({sha: data}, "confirmed")
        try:
            with guard_disk(), self._db.atomic():
                self.insert(prepared)
        except BaseException:
            self.discard(prepared)
            raise
        return sha

    def read(self, sha256_hex: str) -> bytes:
        """Return the bytes of a page, checked against its SHA-256.

        :raises NotFound: when the vault has no such page.
        :raises TamperedData: when the file was altered, truncated, swapped or is missing.
        """
        ref = self._ref(sha256_hex)
        rows = list(self._db.query("SELECT * FROM blobs WHERE ref = ?", [ref]))
        if not rows:
            raise NotFound("trang/page", sha256_hex)
        key = self._keys.unwrap(rows[0]["wrapped_key"], "blobs.wrapped_key")
        try:
            raw = (self._dir / rows[0]["file"]).read_bytes()
        except FileNotFoundError as exc:
            raise TamperedData(f"blobs/{rows[0]['file']}") from exc
        data = crypto.decrypt_chunks(key, raw, self._keys.aad("blobs", "data", ref), "blobs.data")
        if hashlib.sha256(data).hexdigest() != sha256_hex:
            raise TamperedData("blobs.data")
        return data

    def hashes(self, state: str) -> list[str]:
        """Return the SHA-256 of every page in `state` (``pending`` or ``confirmed``)."""
        result = []
        for row in self._db.query(
            "SELECT ref, wrapped_key, hash_box FROM blobs WHERE state = ?", [state]
        ):
            key = self._keys.unwrap(row["wrapped_key"], "blobs.wrapped_key")
            result.append(
                self._keys.open(key, row["hash_box"], "blobs", "sha256", row["ref"]).decode()
            )
        return result

    def set_state(self, hashes: list[str], state: str) -> None:
        """Move pages to `state` (inside or outside a transaction)."""
        with self._db.atomic():
            for sha in hashes:
                self._db.execute(
                    "UPDATE blobs SET state = ? WHERE ref = ?", [state, self._ref(sha)]
                )


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
