"""The blob-store interface the server codes against, and the SHA-256 names blobs go by.

A blob is the bytes of one scanned page (or any attachment), named by the SHA-256 of its
plaintext. :class:`server.blobstores.FileBlobStore` keeps blobs in a directory; another backend
plugs in by implementing the same six methods:

* **PostgreSQL** (as ODK Central stores attachments): a table
  ``blobs(sha256 text primary key, nonce bytea, sealed bytea)``. ``put`` hashes and encrypts the
  source, then ``INSERT ... ON CONFLICT (sha256) DO NOTHING`` inside one transaction, so a blob is
  visible only once committed whole; ``missing`` is one ``SELECT sha256 FROM blobs WHERE sha256 =
  ANY(:hashes)``; ``stream`` reads ``sealed`` in slices with ``substring``.
* **S3 or any object store**: object key ``blobs/ab/cd/<sha256>``. ``put`` uploads the sealed
  bytes (multipart for large blobs) with ``If-None-Match: *``; the object appears only when the
  upload completes. ``has`` is a ``HEAD``; ``missing`` batches those or lists by prefix.
  Server-side encryption does not replace ours: blobs stay sealed under the server key, with the
  hash as associated data, whoever holds the bucket.

Either way the rules are the same: the name is checked with :func:`parse_sha256` before it
touches a path or a query, a blob is verified against its name before it becomes visible, and
reads authenticate the ciphertext.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

from server.blobstores.errors import InvalidBlobHash

__all__ = ["BlobSource", "BlobStore", "parse_sha256"]

BlobSource = bytes | Path
"""What :meth:`BlobStore.put` takes: the bytes themselves, or a file holding them."""

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def parse_sha256(value: str) -> str:
    """Return `value` as a blob name: a SHA-256 digest in lowercase hex.

    Upper-case hex is accepted and folded, since some clients print digests that way.

    :param value: the claimed digest
    :raises InvalidBlobHash: `value` is not 64 hex characters
    """
    name = value.strip().lower() if isinstance(value, str) else ""
    if not _SHA256_HEX.fullmatch(name):
        shown = repr(value)[:80]
        raise InvalidBlobHash(
            f"Mã băm SHA-256 không hợp lệ: {shown}",
            f"Not a SHA-256 digest (64 hex characters): {shown}",
        )
    return name


@runtime_checkable
class BlobStore(Protocol):
    """Content-addressed storage of blobs, named by the SHA-256 of their plaintext.

    ::

        store.put(digest, page_bytes)       # verifies the digest, then stores atomically
        store.missing([d1, d2]) == [d2]     # d2 still has to be uploaded
        store.read(d1) == page_bytes
    """

    def has(self, sha256: str) -> bool:
        """Return whether the blob named `sha256` is stored."""
        ...

    def missing(self, hashes: Iterable[str]) -> list[str]:
        """Return the hashes in `hashes` that are not stored, once each, in the order given."""
        ...

    def put(self, sha256: str, source: BlobSource) -> bool:
        """Store `source` under `sha256` once its hash matches; return False if already stored."""
        ...

    def read(self, sha256: str) -> bytes:
        """Return the plaintext of the blob named `sha256`."""
        ...

    def stream(self, sha256: str) -> Iterator[bytes]:
        """Yield the plaintext of the blob named `sha256` in pieces, authenticating each."""
        ...

    def delete(self, sha256: str) -> bool:
        """Remove the blob named `sha256`; return whether it was there."""
        ...
