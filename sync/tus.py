"""The tus 1.0 client side: resumable, checksummed page uploads whose offset survives a restart.

Each page blob is one tus upload. Its URL and offset are saved in the device's key-value state
after every chunk, so after a cut link, a killed app or a reboot the upload resumes from the
server's offset and at most the one chunk in flight is sent again.
"""

from __future__ import annotations

import base64
import hashlib
import time
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from sync.chunking import ChunkPolicy
from sync.client import SyncClient
from sync.errors import ChecksumMismatch, Offline, OffsetMismatch, TimedOut, UploadGone
from sync.progress import Progress

__all__ = ["TUS_VERSION", "KeyValue", "TusUploader"]

TUS_VERSION = "1.0.0"
OCTETS = "application/offset+octet-stream"
# A corrupted chunk or a lost offset is settled by asking the server again; after this many
# rounds in one call the upload gives up for now and the engine retries it later with backoff.
MAX_ROUNDS = 8


class KeyValue(Protocol):
    """Persistent JSON key-value state (the vault's ``session.kv`` is one)."""

    def get(self, key: str, default: Any = None) -> Any: ...
    def set(self, key: str, value: Any) -> None: ...
    def delete(self, key: str) -> None: ...


class TusUploader:
    """Uploads page blobs over tus (creation, creation-with-upload, checksum) and resumes them.

    ::

        uploader = TusUploader(client, session.kv, policy=ChunkPolicy(), progress=Progress())
        uploader.upload(sha256_hex, page_bytes)      # raises Offline etc.; call again to resume
    """

    def __init__(
        self,
        client: SyncClient,
        state: KeyValue,
        *,
        policy: ChunkPolicy | None = None,
        progress: Progress | None = None,
        endpoint: str = "/v1/files/",
    ):
        self.client = client
        self.state = state
        self.policy = policy or ChunkPolicy()
        self.progress = progress or Progress()
        self.endpoint = endpoint

    def upload(self, sha256: str, data: bytes) -> None:
        """Send `data` (whose SHA-256 hex is `sha256`) until the server holds all of it.

        :raises Offline: the link failed; the saved offset lets the next call resume.
        :raises ServerRefused: the server refused the upload for a reason a retry cannot fix.
        """
        key = _state_key(sha256)
        saved = self.state.get(key)
        url, offset = (saved["url"], None) if saved else (None, 0)
        for _ in range(MAX_ROUNDS):
            try:
                if url is None:
                    url, offset = self._create(sha256, data)
                    self.state.set(key, {"url": url, "offset": offset})
                if offset is None:
                    offset = self._offset(url)
                while offset < len(data):
                    offset = self._patch(url, data, offset)
                    self.state.set(key, {"url": url, "offset": offset})
                self.state.delete(key)
                return
            except UploadGone:
                url, offset = None, 0
            except (ChecksumMismatch, OffsetMismatch):
                offset = None
        raise OffsetMismatch(409, "upload did not settle", method="PATCH", path=url or "")

    def forget(self, sha256: str) -> None:
        """Drop the saved resume point of a blob the server already holds."""
        self.state.delete(_state_key(sha256))

    def _headers(self, chunk: bytes, **extra: str) -> dict[str, str]:
        digest = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
        return {
            "Tus-Resumable": TUS_VERSION,
            "Content-Type": OCTETS,
            "Upload-Checksum": f"sha256 {digest}",
            **extra,
        }

    def _create(self, sha256: str, data: bytes) -> tuple[str, int]:
        chunk = data[: self.policy.size]
        metadata = f"sha256 {base64.b64encode(sha256.encode()).decode()}"
        started = time.monotonic()
        response = self._timed(
            lambda: self.client.request(
                "POST",
                self.endpoint,
                expect=(201,),
                content=chunk,
                headers=self._headers(
                    chunk, **{"Upload-Length": str(len(data)), "Upload-Metadata": metadata}
                ),
            )
        )
        offset = _header_int(response, "Upload-Offset", default=0)
        location = response.headers.get("Location")
        if location is None or not 0 <= offset <= len(data):
            raise Offline("POST: unreadable tus reply")
        self._record(offset, time.monotonic() - started)
        return urlsplit(location).path, offset

    def _offset(self, url: str) -> int:
        response = self.client.request(
            "HEAD", url, expect=(200, 204), headers={"Tus-Resumable": TUS_VERSION}
        )
        return _header_int(response, "Upload-Offset")

    def _patch(self, url: str, data: bytes, offset: int) -> int:
        chunk = data[offset : offset + self.policy.size]
        started = time.monotonic()
        response = self._timed(
            lambda: self.client.request(
                "PATCH",
                url,
                expect=(204,),
                content=chunk,
                headers=self._headers(chunk, **{"Upload-Offset": str(offset)}),
            )
        )
        new_offset = _header_int(response, "Upload-Offset")
        if not offset <= new_offset <= len(data):
            raise OffsetMismatch(409, f"server offset {new_offset}", method="PATCH", path=url)
        self._record(new_offset - offset, time.monotonic() - started)
        return new_offset

    def _timed(self, send):  # type: ignore[no-untyped-def]
        try:
            return send()
        except TimedOut:
            self.policy.timed_out()
            raise

    def _record(self, sent: int, seconds: float) -> None:
        if sent > 0:
            self.policy.succeeded(sent, seconds)
            self.progress.sent(nbytes=sent)


def _state_key(sha256: str) -> str:
    return f"tus:{sha256}"


def _header_int(response: httpx.Response, name: str, default: int | None = None) -> int:
    value = response.headers.get(name)
    if value is None and default is not None:
        return default
    if value is None or not value.isdigit():
        raise Offline(f"{response.request.method}: unreadable {name}")
    return int(value)
