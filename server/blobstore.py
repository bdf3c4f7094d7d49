"""The blob store the server codes against: ``BlobStore`` and its directory implementation.

``FileBlobStore(directory, key)`` is the default; see :mod:`server.blobstores.interface` for how
a PostgreSQL or S3 store plugs in behind the same interface.
"""

from __future__ import annotations

from server.blobstores import (
    BlobCorrupt,
    BlobHashMismatch,
    BlobNotFound,
    BlobSource,
    BlobStore,
    BlobStoreError,
    FileBlobStore,
    InvalidBlobHash,
    parse_sha256,
)

__all__ = [
    "BlobCorrupt",
    "BlobHashMismatch",
    "BlobNotFound",
    "BlobSource",
    "BlobStore",
    "BlobStoreError",
    "FileBlobStore",
    "InvalidBlobHash",
    "parse_sha256",
]
