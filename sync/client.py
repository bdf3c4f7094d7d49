"""SyncClient: the device's only door to the city server, over an injected httpx.Client.

Every httpx error and every error status is translated here, at this one point, into a
:class:`sync.errors.SyncError` subclass; nothing else in the engine sees httpx exceptions.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from core import signing
from sync.errors import (
    ChecksumMismatch,
    ClockSkewed,
    Offline,
    OffsetMismatch,
    ServerRefused,
    TimedOut,
    UploadGone,
)

__all__ = ["MISSING_QUERY_MAX", "SyncClient"]

MISSING_QUERY_MAX = 1000


class SyncClient:
    """Sends requests to the city server and speaks in SyncErrors when they fail.

    The httpx client is always injected (with its base URL, timeouts and signing auth), so tests
    can hand in a client bound to a real server on loopback, or to a fault proxy in front of it::

        client = SyncClient(httpx.Client(base_url=url, auth=auth, timeout=30))
        reply = client.request("GET", "/v1/health").json()
    """

    def __init__(self, http: httpx.Client):
        self.http = http

    def request(
        self,
        method: str,
        path: str,
        *,
        expect: Collection[int] = (200,),
        content: bytes | None = None,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """Send one request and return its response when the status is in `expect`.

        :raises Offline: the server could not be reached or the reply was cut off.
        :raises TimedOut: the request did not finish within the client's timeout.
        :raises ServerRefused: (or a subclass) the server answered with another status.
        """
        if json_body is not None:
            content = json.dumps(json_body, separators=(",", ":"), ensure_ascii=False).encode()
            headers = {"Content-Type": "application/json", **(headers or {})}
        with _translated(method, path):
            response = self.http.request(
                method, path, content=content, headers=headers, params=params
            )
        if response.status_code not in expect:
            raise _refusal(response, method, path)
        return response

    def health(self) -> bool:
        """Return whether the city server answers its liveness probe (a captive portal does not)."""
        try:
            reply = self.request_json("GET", "/healthz")
        except (Offline, ServerRefused):
            return False
        return isinstance(reply, dict) and reply.get("status") == "ok"

    def enrol(self, code: str, public_key: bytes, label: str = "") -> dict[str, Any]:
        """Redeem a one-time enrolment code with the device's raw Ed25519 public key."""
        body = {"code": code, "public_key": base64.b64encode(public_key).decode(), "label": label}
        return self.request_json("POST", "/v1/enrol", expect=(201,), json_body=body)

    def whoami(self) -> dict[str, Any]:
        """Return the server's record of the device signing the request (``GET /v1/device``)."""
        reply = self.request_json("GET", "/v1/device")
        if not isinstance(reply, dict):
            raise Offline("GET /v1/device: unreadable reply")
        return reply

    def missing_blobs(self, hashes: list[str]) -> list[str]:
        """Return the hashes among `hashes` that the server does not hold yet."""
        missing: list[str] = []
        for start in range(0, len(hashes), MISSING_QUERY_MAX):
            query = {"hashes": hashes[start : start + MISSING_QUERY_MAX]}
            reply = self.request_json("POST", "/v1/blobs/missing", json_body=query)
            if not isinstance(reply, dict) or not isinstance(reply.get("missing"), list):
                raise Offline("POST /v1/blobs/missing: unreadable reply")
            # A reply garbled on the way could name a hash not asked about and hide one that
            # is missing; only a reply that names asked hashes is believed.
            if not set(reply["missing"]) <= set(query["hashes"]):
                raise Offline("POST /v1/blobs/missing: reply names hashes not asked")
            missing.extend(reply["missing"])
        return missing

    def push_events(self, wire_events: list[dict[str, Any]], idempotency_key: str) -> list:
        """Send one batch of events and return the server's per-event answers."""
        reply = self.request_json(
            "POST",
            "/v1/events",
            json_body={"events": wire_events},
            headers={"Idempotency-Key": idempotency_key},
        )
        if not isinstance(reply, dict) or not isinstance(reply.get("results"), list):
            raise Offline("POST /v1/events: unreadable reply")
        return reply["results"]

    def feed(self, cursor: int, limit: int = 200) -> dict[str, Any]:
        """Return the next page of the unit's change feed after `cursor`."""
        reply = self.request_json("GET", "/v1/feed", params={"cursor": cursor, "limit": limit})
        if not isinstance(reply, dict):
            raise Offline("GET /v1/feed: unreadable reply")
        return reply

    def reusable_documents(
        self, cccd: str, reason: dict[str, str], document_types: list[str] | None = None
    ) -> list[dict[str, Any]]:
        """Return the citizen's digitised documents in the city store, newest first.

        :param reason: ``{"procedure_code": ..., "purpose": ...}``, kept in the city's audit log.
        """
        body = {"cccd": cccd, **reason, "document_types": document_types}
        reply = self.request_json("POST", "/v1/device/documents/lookup", json_body=body)
        if not isinstance(reply, dict) or not isinstance(reply.get("documents"), list):
            raise Offline("POST /v1/device/documents/lookup: unreadable reply")
        return reply["documents"]

    def document_page(self, cccd: str, sha256: str, reason: dict[str, str]) -> bytes:
        """Return the bytes of one page of the citizen's stored documents, checked by hash."""
        body = {"cccd": cccd, "sha256": sha256, **reason}
        path = "/v1/device/documents/page"
        return _checked(self.request("POST", path, json_body=body).content, sha256, f"POST {path}")

    def preapplication(self, code: str) -> dict[str, Any]:
        """Return a citizen's pre-application: its procedure and the page records per component.

        :raises ServerRefused: 404 unknown_preapplication when no such code is live.
        """
        path = f"/v1/device/preapplications/{code}"
        reply = self.request_json("GET", path)
        if not isinstance(reply, dict) or not isinstance(reply.get("components"), list):
            raise Offline(f"GET {path}: unreadable reply")
        return reply

    def preapplication_page(self, code: str, sha256: str) -> bytes:
        """Return one page of a pre-application, checked by hash (the city audits the look)."""
        path = f"/v1/device/preapplications/{code}/pages/{sha256}"
        return _checked(self.request("GET", path).content, sha256, f"GET {path}")

    def read_page(
        self, sha256: str, into: bytearray, on_bytes: Callable[[int], None] | None = None
    ) -> None:
        """Append a page of a dossier the unit may see to `into`, from byte ``len(into)`` on.

        Bytes that arrived before a cut stay in `into`, so the next call asks only for the rest
        (HTTP Range); the caller checks the whole page against its hash.

        :param on_bytes: told the size of each piece as it arrives (for progress).
        :raises Offline: the link failed midway, or a resumed reply starts at the wrong byte.
        :raises ServerRefused: 404 when the unit may not see the page or the city lacks it yet.
        """
        path = f"/v1/blobs/{sha256}"
        headers = {"Range": f"bytes={len(into)}-"} if into else None
        with _translated("GET", path), self.http.stream("GET", path, headers=headers) as response:
            if response.status_code not in (200, 206):
                response.read()
                raise _refusal(response, "GET", path)
            if response.status_code == 200:
                into.clear()  # the whole page is coming (a server may ignore Range)
            elif not response.headers.get("Content-Range", "").startswith(f"bytes {len(into)}-"):
                into.clear()
                raise Offline(f"GET {path}: the resumed reply starts at the wrong byte")
            for piece in response.iter_bytes():
                into.extend(piece)
                if on_bytes is not None:
                    on_bytes(len(piece))

    def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send one request and return its decoded JSON body.

        :raises Offline: also when the body is not JSON (a reply garbled on the way is a lost one).
        """
        response = self.request(method, path, **kwargs)
        try:
            return response.json()
        except ValueError as error:
            raise Offline(f"{method} {path}: unreadable reply") from error


@contextmanager
def _translated(method: str, path: str) -> Iterator[None]:
    """Turn the httpx errors raised inside into TimedOut or Offline."""
    try:
        yield
    except httpx.TimeoutException as error:
        raise TimedOut(f"{method} {path}: {type(error).__name__}") from error
    except (httpx.TransportError, httpx.DecodingError) as error:
        raise Offline(f"{method} {path}: {type(error).__name__}") from error


def _checked(data: bytes, sha256: str, request: str) -> bytes:
    """Return `data` if it hashes to `sha256`; a page damaged on the way counts as lost."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise Offline(f"{request}: the page arrived damaged")
    return data


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase or response.text[:200]
    if not isinstance(body, dict):
        return response.reason_phrase
    parts = [body.get(key) for key in ("reason", "detail_en")]
    return ": ".join(part for part in parts if isinstance(part, str)) or response.reason_phrase


def _refusal(response: httpx.Response, method: str, path: str) -> ServerRefused | ChecksumMismatch:
    status = response.status_code
    server_time = response.headers.get(signing.SERVER_TIME)
    if status == 401 and server_time and server_time.isdigit():
        return ClockSkewed(int(server_time), method=method, path=path)
    if status == 460:
        return ChecksumMismatch(path, int(response.request.headers.get("Upload-Offset", "0")))
    tus = "Tus-Resumable" in response.request.headers
    if status in (404, 410) and tus:
        return UploadGone(status, _reason(response), method=method, path=path)
    if status == 409 and tus:
        return OffsetMismatch(status, _reason(response), method=method, path=path)
    return ServerRefused(status, _reason(response), method=method, path=path)
