"""A blob store in a directory: content-addressed, sealed with AES-256-GCM, written atomically."""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from server.blobstores.errors import BadBlobKey, BlobCorrupt, BlobHashMismatch, BlobNotFound
from server.blobstores.interface import BlobSource, parse_sha256

__all__ = ["FileBlobStore"]

MAGIC = b"SOHOA-BLOB\x01"
SEGMENT = 1024 * 1024
TAG = 16
NONCE_PREFIX = 7
# Temp files older than this can only be left over from a crash mid-put.
STALE_TEMP_SECONDS = 3600


class FileBlobStore:
    """Blobs under ``directory/ab/cd/<sha256>``, each sealed under the server key.

    Each file is ``MAGIC + nonce prefix + segments``: the plaintext is cut into 1 MiB segments,
    each sealed with AES-256-GCM (the STREAM construction: nonce = prefix, segment counter, last
    flag), with the blob's hash as associated data. So a file cannot be moved to another name,
    reordered, cut short or extended without reads failing, and large blobs never sit whole in
    memory. ::

        store = FileBlobStore(Path("var/blobs"), key=secrets.token_bytes(32))
        store.put(hashlib.sha256(data).hexdigest(), data)
    """

    def __init__(self, directory: Path, key: bytes) -> None:
        """Open (creating if needed) the store in `directory`, sealing blobs under `key`.

        :param directory: where blobs live; temp files go in its ``.tmp`` so renames stay atomic
        :param key: the 32-byte server blob key
        :raises BadBlobKey: `key` is not 32 bytes
        """
        if not isinstance(key, bytes) or len(key) != 32:
            raise BadBlobKey(
                "Khoá mã hoá kho tệp phải dài 32 byte", "The blob store key must be 32 bytes"
            )
        self.directory = Path(directory)
        self._temp_dir = self.directory / ".tmp"
        self._temp_dir.mkdir(parents=True, exist_ok=True)
        self._aead = AESGCM(key)
        self._sweep_stale_temp_files()

    def path_for(self, sha256: str) -> Path:
        """Return the file that holds (or would hold) the blob named `sha256`."""
        name = parse_sha256(sha256)
        return self.directory / name[:2] / name[2:4] / name

    def has(self, sha256: str) -> bool:
        """Return whether the blob named `sha256` is stored."""
        return self.path_for(sha256).is_file()

    def missing(self, hashes: Iterable[str]) -> list[str]:
        """Return the hashes in `hashes` not stored, once each, in the order given."""
        names = dict.fromkeys(parse_sha256(sha256) for sha256 in hashes)
        return [name for name in names if not self.has(name)]

    def put(self, sha256: str, source: BlobSource) -> bool:
        """Seal `source` and store it under `sha256`, visible only once complete and verified.

        :param sha256: the SHA-256 the plaintext must hash to
        :param source: the plaintext, or the path of a file holding it
        :returns: False when the blob was already stored (nothing is written)
        :raises BlobHashMismatch: the plaintext hashes to something else; nothing is stored
        """
        final = self.path_for(sha256)
        if final.is_file():
            return False
        name = final.name
        descriptor, temp_name = tempfile.mkstemp(dir=self._temp_dir, prefix=name[:8])
        temp = Path(temp_name)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                actual = self._seal(_plaintext_pieces(source), name, handle)
                handle.flush()
                os.fsync(handle.fileno())
            if actual != name:
                raise BlobHashMismatch(
                    f"Nội dung không khớp mã băm: khai báo {name}, thực tế {actual}",
                    f"Content does not match its hash: declared {name}, actual {actual}",
                )
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, final)
        finally:
            temp.unlink(missing_ok=True)
        _fsync_directory(final.parent)
        return True

    def read(self, sha256: str) -> bytes:
        """Return the plaintext of the blob named `sha256`.

        :raises BlobNotFound: no such blob
        :raises BlobCorrupt: the file fails authentication
        """
        return b"".join(self.stream(sha256))

    def stream(self, sha256: str) -> Iterator[bytes]:
        """Yield the plaintext of the blob named `sha256` one authenticated segment at a time.

        :raises BlobNotFound: no such blob (raised at once, before iterating)
        :raises BlobCorrupt: a segment fails authentication (raised while iterating)
        """
        path = self.path_for(sha256)
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise BlobNotFound(
                f"Không có tệp {path.name}", f"No blob {path.name} is stored"
            ) from None
        return self._unseal(handle, path.name)

    def delete(self, sha256: str) -> bool:
        """Remove the blob named `sha256`; return whether it was there."""
        path = self.path_for(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        _fsync_directory(path.parent)
        return True

    def _seal(self, pieces: Iterator[bytes], name: str, out: BinaryIO) -> str:
        """Write the sealed form of `pieces` to `out`; return the plaintext's SHA-256."""
        digest = hashlib.sha256()
        prefix = secrets.token_bytes(NONCE_PREFIX)
        aad = MAGIC + bytes.fromhex(name)
        out.write(MAGIC + prefix)
        current = next(pieces, b"")
        counter = 0
        while True:
            following = next(pieces, None)
            digest.update(current)
            nonce = _nonce(prefix, counter, last=following is None)
            out.write(self._aead.encrypt(nonce, current, aad))
            if following is None:
                return digest.hexdigest()
            current, counter = following, counter + 1

    def _unseal(self, handle: BinaryIO, name: str) -> Iterator[bytes]:
        """Yield the authenticated plaintext segments of the sealed file `handle`."""
        with handle:
            header = handle.read(len(MAGIC) + NONCE_PREFIX)
            if len(header) != len(MAGIC) + NONCE_PREFIX or not header.startswith(MAGIC):
                raise _corrupt(name)
            prefix, aad = header[len(MAGIC) :], MAGIC + bytes.fromhex(name)
            current, counter = handle.read(SEGMENT + TAG), 0
            while True:
                following = handle.read(SEGMENT + TAG)
                nonce = _nonce(prefix, counter, last=not following)
                try:
                    yield self._aead.decrypt(nonce, current, aad)
                except InvalidTag:
                    raise _corrupt(name) from None
                if not following:
                    return
                current, counter = following, counter + 1

    def _sweep_stale_temp_files(self) -> None:
        """Remove temp files a crash mid-put left behind."""
        cutoff = time.time() - STALE_TEMP_SECONDS
        for leftover in self._temp_dir.iterdir():
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink(missing_ok=True)


def _plaintext_pieces(source: BlobSource) -> Iterator[bytes]:
    """Yield `source` (bytes, or a file's content) in segment-sized pieces."""
    if isinstance(source, Path):
        with source.open("rb") as handle:
            while piece := handle.read(SEGMENT):
                yield piece
        return
    view = memoryview(source)
    for start in range(0, len(view), SEGMENT):
        yield bytes(view[start : start + SEGMENT])


def _nonce(prefix: bytes, counter: int, *, last: bool) -> bytes:
    """Return the 12-byte nonce of segment `counter` (STREAM: prefix, counter, last flag)."""
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _corrupt(name: str) -> BlobCorrupt:
    return BlobCorrupt(
        f"Tệp {name} bị hỏng hoặc sai khoá", f"Blob {name} is damaged or sealed under another key"
    )


def _fsync_directory(directory: Path) -> None:
    """Make a rename or unlink in `directory` durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
