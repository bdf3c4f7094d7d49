"""Errors of the blob store and the tus upload endpoint, each with its HTTP status and reason.

::

    ServerProblem                        server.errors
    ├── BlobStoreError                   500 blob_store_error (base)
    │   ├── InvalidBlobHash              400 invalid_sha256
    │   ├── BlobHashMismatch             460 blob_hash_mismatch
    │   ├── BlobNotFound                 404 blob_not_found
    │   ├── BlobCorrupt                  500 blob_corrupt
    │   └── BadBlobKey                   500 bad_blob_key
    └── UploadProblem                    400 bad_upload_request (base)
        ├── UploadNotFound               404 upload_not_found
        ├── UploadExpired                410 upload_expired
        ├── OffsetMismatch               409 offset_mismatch
        ├── ChecksumMismatch             460 checksum_mismatch
        ├── WrongContentType             415 wrong_content_type
        ├── UploadTooLarge               413 upload_too_large
        ├── TusVersionUnsupported        412 tus_version_unsupported
        └── UploadLocked                 423 upload_locked
"""

from __future__ import annotations

from server.errors import ServerProblem

__all__ = [
    "BadBlobKey",
    "BlobCorrupt",
    "BlobHashMismatch",
    "BlobNotFound",
    "BlobStoreError",
    "ChecksumMismatch",
    "InvalidBlobHash",
    "OffsetMismatch",
    "TusVersionUnsupported",
    "UploadExpired",
    "UploadLocked",
    "UploadNotFound",
    "UploadProblem",
    "UploadTooLarge",
    "WrongContentType",
]


class BlobStoreError(ServerProblem):
    """The blob store cannot do what was asked."""

    status = 500
    code = "blob_store_error"


class InvalidBlobHash(BlobStoreError):
    """A blob name is not a SHA-256 digest in lowercase hex (64 characters)."""

    status = 400
    code = "invalid_sha256"


class BlobHashMismatch(BlobStoreError):
    """The bytes offered for a blob do not hash to the name they were offered under."""

    status = 460
    code = "blob_hash_mismatch"


class BlobNotFound(BlobStoreError):
    """No blob is stored under that hash."""

    status = 404
    code = "blob_not_found"


class BlobCorrupt(BlobStoreError):
    """A stored blob fails authentication: damaged on disk, or sealed under another key."""

    status = 500
    code = "blob_corrupt"


class BadBlobKey(BlobStoreError):
    """The server's blob key is not 32 bytes."""

    status = 500
    code = "bad_blob_key"


class UploadProblem(ServerProblem):
    """A tus request the server refuses."""

    status = 400
    code = "bad_upload_request"


class UploadNotFound(UploadProblem):
    """No upload has that id, or it belongs to someone else."""

    status = 404
    code = "upload_not_found"


class UploadExpired(UploadProblem):
    """The upload was left unfinished past its Upload-Expires time and is gone."""

    status = 410
    code = "upload_expired"


class OffsetMismatch(UploadProblem):
    """Upload-Offset does not match the bytes the server holds."""

    status = 409
    code = "offset_mismatch"


class ChecksumMismatch(UploadProblem):
    """A chunk does not match its Upload-Checksum; the chunk was discarded."""

    status = 460
    code = "checksum_mismatch"


class WrongContentType(UploadProblem):
    """A PATCH body is not ``application/offset+octet-stream``."""

    status = 415
    code = "wrong_content_type"


class UploadTooLarge(UploadProblem):
    """The upload or chunk is larger than the server or the declared length allows."""

    status = 413
    code = "upload_too_large"


class TusVersionUnsupported(UploadProblem):
    """The request speaks a tus version other than 1.0.0."""

    status = 412
    code = "tus_version_unsupported"


class UploadLocked(UploadProblem):
    """Another request is writing to this upload right now."""

    status = 423
    code = "upload_locked"
