"""Blob storage for the city server: the interface, the directory store, and unfinished uploads."""

from __future__ import annotations

from server.blobstores.errors import (
    BadBlobKey,
    BlobCorrupt,
    BlobHashMismatch,
    BlobNotFound,
    BlobStoreError,
    ChecksumMismatch,
    InvalidBlobHash,
    OffsetMismatch,
    TusVersionUnsupported,
    UploadExpired,
    UploadLocked,
    UploadNotFound,
    UploadProblem,
    UploadTooLarge,
    WrongContentType,
)
from server.blobstores.files import FileBlobStore
from server.blobstores.interface import BlobSource, BlobStore, parse_sha256
from server.blobstores.tus_headers import (
    encode_metadata,
    header_int,
    parse_checksum,
    parse_metadata,
)
from server.blobstores.uploads import CHECKSUMS, ChunkWriter, Upload, UploadArea, UploadLock

__all__ = [
    "CHECKSUMS",
    "BadBlobKey",
    "BlobCorrupt",
    "BlobHashMismatch",
    "BlobNotFound",
    "BlobSource",
    "BlobStore",
    "BlobStoreError",
    "ChecksumMismatch",
    "ChunkWriter",
    "FileBlobStore",
    "InvalidBlobHash",
    "OffsetMismatch",
    "TusVersionUnsupported",
    "Upload",
    "UploadArea",
    "UploadExpired",
    "UploadLock",
    "UploadLocked",
    "UploadNotFound",
    "UploadProblem",
    "UploadTooLarge",
    "WrongContentType",
    "encode_metadata",
    "header_int",
    "parse_checksum",
    "parse_metadata",
    "parse_sha256",
]
