"""The grammar of tus 1.0.0 request headers: integers, Upload-Metadata and Upload-Checksum."""

from __future__ import annotations

import base64
from collections.abc import Mapping

from server.blobstores.errors import UploadProblem
from server.blobstores.uploads import CHECKSUMS

__all__ = ["encode_metadata", "header_int", "parse_checksum", "parse_metadata"]


def header_int(headers: Mapping[str, str], name: str) -> int:
    """Read the required non-negative integer header `name` (Upload-Length, Upload-Offset).

    :raises UploadProblem: the header is missing or not a non-negative integer
    """
    value = headers.get(name, "").strip()
    if not value.isdigit():
        raise UploadProblem(
            f"Thiếu hoặc sai tiêu đề {name} (số nguyên không âm)",
            f"Header {name} is missing or not a non-negative integer",
            code="bad_header",
        )
    return int(value)


def parse_metadata(header: str) -> dict[str, str]:
    """Decode ``Upload-Metadata`` (``key base64value,key2,...``) into text values.

    :raises UploadProblem: a pair is malformed, repeated, or not base64 of UTF-8 text
    """
    metadata: dict[str, str] = {}
    for pair in filter(None, (part.strip() for part in header.split(","))):
        key, _, value = pair.partition(" ")
        try:
            text = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except ValueError:  # binascii.Error, UnicodeDecodeError and non-ASCII input
            text = None
        if text is None or key in metadata or " " in value.strip():
            raise UploadProblem(
                f"Upload-Metadata không hợp lệ ở khoá {key[:40]!r}",
                f"Malformed Upload-Metadata at key {key[:40]!r}",
                code="bad_metadata",
            )
        metadata[key] = text
    return metadata


def encode_metadata(metadata: Mapping[str, str]) -> str:
    """Encode `metadata` the way ``Upload-Metadata`` carries it."""
    return ",".join(
        f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in metadata.items()
    )


def parse_checksum(header: str | None) -> tuple[str, bytes] | None:
    """Decode ``Upload-Checksum: <algorithm> <base64 digest>``; None when absent.

    :raises UploadProblem: unsupported algorithm, or a digest that is not base64 of the right size
    """
    if header is None:
        return None
    algorithm, _, encoded = header.strip().partition(" ")
    algorithm = algorithm.lower()
    if algorithm not in CHECKSUMS:
        raise UploadProblem(
            f"Không hỗ trợ thuật toán kiểm tra {algorithm[:20]!r} (dùng sha256 hoặc sha1)",
            f"Unsupported checksum algorithm {algorithm[:20]!r} (use sha256 or sha1)",
            code="unsupported_checksum_algorithm",
        )
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except ValueError:  # binascii.Error and non-ASCII input
        digest = b""
    if len(digest) != CHECKSUMS[algorithm]().digest_size:
        raise UploadProblem(
            "Upload-Checksum không phải mã base64 đúng độ dài",
            "Upload-Checksum is not a base64 digest of the right size",
            code="bad_checksum_header",
        )
    return algorithm, digest
