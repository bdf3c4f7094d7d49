"""Unfinished tus uploads on disk: each one a JSON record, a partial body and a lock file.

The record's ``offset`` is the truth. A chunk is written past it and the record is saved only
after the bytes are fsynced, so a crash mid-chunk leaves the last good offset; the next writer
cuts the partial body back to it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from server.blobstores.errors import (
    BlobHashMismatch,
    ChecksumMismatch,
    UploadExpired,
    UploadNotFound,
    UploadTooLarge,
)
from server.blobstores.interface import BlobStore

__all__ = ["ChunkWriter", "Upload", "UploadArea", "UploadLock"]

CHECKSUMS = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}


@dataclass(frozen=True)
class Upload:
    """One upload: who started it, the blob it must become, and how far it has got."""

    id: str
    owner: str
    length: int
    sha256: str
    expires_at: datetime
    offset: int = 0
    complete: bool = False
    metadata: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        """Return the record as stored on disk."""
        return json.dumps({**asdict(self), "expires_at": self.expires_at.isoformat()}).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Upload:
        """Read a record written by :meth:`to_json`."""
        fields: dict[str, Any] = json.loads(data)
        return cls(**{**fields, "expires_at": datetime.fromisoformat(fields["expires_at"])})


class UploadLock:
    """An exclusive lock on one upload, shared across processes (``flock``)."""

    def __init__(self, descriptor: int) -> None:
        self._descriptor = descriptor

    def release(self) -> None:
        """Let the next request at this upload proceed."""
        os.close(self._descriptor)


class UploadArea:
    """The directory of unfinished uploads, and the step that turns a full one into a blob.

    ::

        area = UploadArea(Path("var/uploads"), store)
        upload = area.create("device-1", length=5, sha256=digest, expires_at=later)
    """

    def __init__(self, directory: Path, store: BlobStore) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.store = store

    def create(
        self,
        owner: str,
        *,
        length: int,
        sha256: str,
        expires_at: datetime,
        metadata: dict[str, str] | None = None,
    ) -> Upload:
        """Start an upload; one whose blob is already stored starts out complete."""
        upload = Upload(
            id=secrets.token_hex(16),
            owner=owner,
            length=length,
            sha256=sha256,
            expires_at=expires_at,
            metadata=dict(metadata or {}),
        )
        if self.store.has(sha256):
            upload = replace(upload, offset=length, complete=True)
        else:
            self._part(upload.id).touch()
        self._save(upload)
        return upload

    def get(self, upload_id: str, owner: str, now: datetime) -> Upload:
        """Return the upload `upload_id` started by `owner`.

        :raises UploadNotFound: no such upload, or another owner's
        :raises UploadExpired: it expired; its files are removed now
        """
        path = self._record(upload_id) if _is_upload_id(upload_id) else None
        try:
            upload = Upload.from_json(path.read_bytes()) if path else None
        except FileNotFoundError:
            upload = None
        if upload is None or upload.owner != owner:
            raise UploadNotFound(
                f"Không có phiên tải lên {upload_id[:40]}", f"No upload {upload_id[:40]}"
            )
        if upload.expires_at <= now:
            self.remove(upload.id)
            raise UploadExpired(
                "Phiên tải lên đã hết hạn, hãy tải lại từ đầu",
                "The upload expired; start it again",
            )
        return upload

    def try_lock(self, upload_id: str) -> UploadLock | None:
        """Take the upload's lock without waiting; None when another request holds it."""
        descriptor = os.open(self.directory / f"{upload_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return None
        return UploadLock(descriptor)

    def writer(self, upload: Upload, checksum: tuple[str, bytes] | None = None) -> ChunkWriter:
        """Return a writer for the next chunk of `upload` (call it under the upload's lock).

        :param checksum: the chunk's ``(algorithm, digest)`` from Upload-Checksum, if sent
        """
        return ChunkWriter(self, upload, checksum)

    def settle(self, upload: Upload) -> Upload:
        """Turn a fully received upload into a blob; other uploads come back unchanged.

        :raises BlobHashMismatch: the bytes do not hash to the declared SHA-256; the upload is gone
        """
        if upload.complete or upload.offset < upload.length:
            return upload
        try:
            self.store.put(upload.sha256, self._part(upload.id))
        except BlobHashMismatch:
            self.remove(upload.id)
            raise
        done = replace(upload, complete=True)
        self._save(done)
        self._part(upload.id).unlink(missing_ok=True)
        return done

    def remove(self, upload_id: str) -> None:
        """Delete every file of the upload (termination, expiry, or a failed hash)."""
        for suffix in (".json", ".part", ".lock"):
            (self.directory / f"{upload_id}{suffix}").unlink(missing_ok=True)

    def purge_expired(self, now: datetime) -> int:
        """Remove every upload whose Upload-Expires has passed; return how many."""
        purged = 0
        for path in self.directory.glob("*.json"):
            try:
                upload = Upload.from_json(path.read_bytes())
            except (FileNotFoundError, ValueError, TypeError):
                continue
            if upload.expires_at <= now:
                self.remove(upload.id)
                purged += 1
        return purged

    def _save(self, upload: Upload) -> None:
        """Replace the record atomically and durably."""
        temp = self.directory / f"{upload.id}.json.tmp"
        with temp.open("wb") as handle:
            handle.write(upload.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, self._record(upload.id))

    def _record(self, upload_id: str) -> Path:
        return self.directory / f"{upload_id}.json"

    def _part(self, upload_id: str) -> Path:
        return self.directory / f"{upload_id}.part"


class ChunkWriter:
    """Appends one PATCH body to an upload; nothing counts until :meth:`commit`."""

    def __init__(
        self, area: UploadArea, upload: Upload, checksum: tuple[str, bytes] | None
    ) -> None:
        self._area, self._upload, self._checksum = area, upload, checksum
        self._hash = CHECKSUMS[checksum[0]]() if checksum else None
        self._handle = area._part(upload.id).open("r+b")
        # Bytes past the recorded offset are a chunk a crash cut short: drop them.
        self._handle.truncate(upload.offset)
        self._handle.seek(upload.offset)
        self.written = 0

    def write(self, data: bytes) -> None:
        """Append `data` to the chunk.

        :raises UploadTooLarge: the chunk would run past Upload-Length; it is discarded
        """
        if self._upload.offset + self.written + len(data) > self._upload.length:
            self.discard()
            raise UploadTooLarge(
                "Dữ liệu vượt quá độ dài đã khai báo (Upload-Length)",
                "The body runs past the declared Upload-Length",
            )
        self._handle.write(data)
        if self._hash:
            self._hash.update(data)
        self.written += len(data)

    def commit(self, expires_at: datetime) -> Upload:
        """Make the chunk durable and advance the offset; return the updated upload.

        :raises ChecksumMismatch: the chunk does not match Upload-Checksum; it is discarded
        """
        if self._checksum and self._hash and self._hash.digest() != self._checksum[1]:
            self.discard()
            raise ChecksumMismatch(
                f"Tổng kiểm tra {self._checksum[0]} của đoạn dữ liệu không khớp, đoạn đã bị bỏ",
                f"The chunk's {self._checksum[0]} checksum does not match; the chunk was discarded",
            )
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        upload = replace(
            self._upload, offset=self._upload.offset + self.written, expires_at=expires_at
        )
        self._area._save(upload)
        return upload

    def discard(self) -> None:
        """Forget the chunk: cut the partial body back to the last good offset."""
        if not self._handle.closed:
            self._handle.truncate(self._upload.offset)
            self._handle.close()


def _is_upload_id(value: str) -> bool:
    return len(value) == 32 and all(c in "0123456789abcdef" for c in value)
