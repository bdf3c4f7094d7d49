"""The tus 1.0.0 endpoint over real HTTP: uvicorn on 127.0.0.1 in a thread, httpx as the client."""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Header

from server.blobstore import FileBlobStore
from server.blobstores import UploadArea, encode_metadata, parse_metadata
from server.errors import Unauthorised
from server.tus import TUS_EXTENSIONS, tus_router

KEY = bytes(range(32))
MAX_SIZE = 1024 * 1024
TUS = {"Tus-Resumable": "1.0.0", "X-Device": "tablet-1"}
STREAM = {**TUS, "Content-Type": "application/offset+octet-stream"}


def device(x_device: Annotated[str | None, Header()] = None) -> str:
    """The test's stand-in for request signing: the caller names itself in X-Device."""
    if not x_device:
        raise Unauthorised("Thiếu thiết bị", "No device", code="unauthorised")
    return x_device


class Clock:
    """A clock the tests move by hand, so expiry needs no waiting."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class Live:
    """One uvicorn server on a free port of 127.0.0.1, serving the tus router at /files/."""

    def __init__(self, root: Path, clock: Clock, body_timeout: float = 30.0) -> None:
        self.store = FileBlobStore(root / "blobs", KEY)
        self.uploads = root / "uploads"
        app = FastAPI()
        router = tus_router(
            self.store,
            self.uploads,
            authorize=device,
            max_size=MAX_SIZE,
            expiration=timedelta(hours=24),
            clock=clock,
            body_timeout=body_timeout,
        )
        app.include_router(router, prefix="/files")
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            self.thread.join(0.01)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/files/"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def live(tmp_path: Path, clock: Clock) -> Iterator[Live]:
    server = Live(tmp_path, clock)
    yield server
    server.stop()


@pytest.fixture
def http(live: Live) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


def metadata(data: bytes, **extra: str) -> str:
    pairs = {"sha256": hashlib.sha256(data).hexdigest(), **extra}
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in pairs.items())


def create(http: httpx.Client, data: bytes, **headers: str) -> httpx.Response:
    sent = {**TUS, "Upload-Length": str(len(data)), "Upload-Metadata": metadata(data), **headers}
    return http.post("", headers=sent)


def checksum(algorithm: str, chunk: bytes) -> str:
    return f"{algorithm} {base64.b64encode(hashlib.new(algorithm, chunk).digest()).decode()}"


def offset_of(http: httpx.Client, location: str) -> int:
    return int(http.head(location, headers=TUS).headers["Upload-Offset"])


def assert_problem(response: httpx.Response, status: int, reason: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["Tus-Resumable"] == "1.0.0"
    if response.request.method != "HEAD":
        body = response.json()
        assert body["reason"] == reason
        assert body["detail_vi"] and body["detail_en"]


def test_options_advertises_the_protocol(http: httpx.Client) -> None:
    response = http.options("")
    assert response.status_code == 204
    assert response.headers["Tus-Version"] == "1.0.0"
    assert response.headers["Tus-Max-Size"] == str(MAX_SIZE)
    assert set(response.headers["Tus-Extension"].split(",")) == set(TUS_EXTENSIONS.split(","))
    assert response.headers["Tus-Checksum-Algorithm"] == "sha256,sha1"


def test_upload_in_checksummed_chunks(http: httpx.Client, live: Live) -> None:
    data = secrets.token_bytes(300_000)
    created = create(http, data, **{"Upload-Metadata": metadata(data, filename="trang-1.jpg")})
    assert created.status_code == 201
    location = created.headers["Location"]
    assert location.startswith(live.url)
    assert "Upload-Expires" in created.headers
    head = http.head(location, headers=TUS)
    assert head.headers["Upload-Offset"] == "0"
    assert head.headers["Upload-Length"] == str(len(data))
    assert head.headers["Cache-Control"] == "no-store"
    assert head.headers["Upload-Metadata"] == metadata(data, filename="trang-1.jpg")
    first, rest = data[:100_000], data[100_000:]
    patched = http.patch(
        location,
        content=first,
        headers={**STREAM, "Upload-Offset": "0", "Upload-Checksum": checksum("sha256", first)},
    )
    assert patched.status_code == 204
    assert patched.headers["Upload-Offset"] == "100000"
    assert not live.store.has(hashlib.sha256(data).hexdigest())
    patched = http.patch(
        location,
        content=rest,
        headers={**STREAM, "Upload-Offset": "100000", "Upload-Checksum": checksum("sha1", rest)},
    )
    assert patched.status_code == 204
    assert patched.headers["Upload-Offset"] == str(len(data))
    assert live.store.read(hashlib.sha256(data).hexdigest()) == data
    assert offset_of(http, location) == len(data)
    assert list(live.uploads.glob("*.part")) == []


def test_creation_with_upload_finishes_in_one_request(http: httpx.Client, live: Live) -> None:
    data = b"mot trang giay to" * 50
    created = http.post(
        "",
        content=data,
        headers={
            **STREAM,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": metadata(data),
            "Upload-Checksum": checksum("sha256", data),
        },
    )
    assert created.status_code == 201
    assert created.headers["Upload-Offset"] == str(len(data))
    assert "Upload-Expires" not in created.headers
    assert live.store.read(hashlib.sha256(data).hexdigest()) == data


def test_a_stored_blob_is_complete_at_creation(http: httpx.Client, live: Live) -> None:
    data = b"already on the server"
    live.store.put(hashlib.sha256(data).hexdigest(), data)
    created = create(http, data)
    assert created.status_code == 201
    assert created.headers["Upload-Offset"] == str(len(data))
    # A client that ignores that offset and sends anyway is told the upload is done.
    patched = http.patch(
        created.headers["Location"], content=data, headers={**STREAM, "Upload-Offset": "0"}
    )
    assert patched.status_code == 204
    assert patched.headers["Upload-Offset"] == str(len(data))


def test_wrong_offset_is_409(http: httpx.Client) -> None:
    data = secrets.token_bytes(1000)
    location = create(http, data).headers["Location"]
    patched = http.patch(location, content=data[5:], headers={**STREAM, "Upload-Offset": "5"})
    assert_problem(patched, 409, "offset_mismatch")
    assert patched.headers["Upload-Offset"] == "0"
    assert offset_of(http, location) == 0


def test_bad_checksum_is_460_and_the_chunk_is_discarded(http: httpx.Client, live: Live) -> None:
    data = secrets.token_bytes(1000)
    location = create(http, data).headers["Location"]
    lie = checksum("sha256", b"other bytes")
    patched = http.patch(
        location, content=data, headers={**STREAM, "Upload-Offset": "0", "Upload-Checksum": lie}
    )
    assert_problem(patched, 460, "checksum_mismatch")
    assert offset_of(http, location) == 0
    assert not live.store.has(hashlib.sha256(data).hexdigest())
    retried = http.patch(
        location,
        content=data,
        headers={**STREAM, "Upload-Offset": "0", "Upload-Checksum": checksum("sha1", data)},
    )
    assert retried.status_code == 204
    assert live.store.read(hashlib.sha256(data).hexdigest()) == data


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("md5 " + base64.b64encode(bytes(16)).decode(), "unsupported_checksum_algorithm"),
        ("sha256 not-base64!", "bad_checksum_header"),
        ("sha1 " + base64.b64encode(bytes(32)).decode(), "bad_checksum_header"),
        ("sha256 tr\u00e1ng".encode(), "bad_checksum_header"),
    ],
)
def test_unusable_checksum_header_is_400(http: httpx.Client, header: str, reason: str) -> None:
    location = create(http, b"abc").headers["Location"]
    patched = http.patch(
        location,
        content=b"abc",
        headers={**STREAM, "Upload-Offset": "0", "Upload-Checksum": header},
    )
    assert_problem(patched, 400, reason)
    assert offset_of(http, location) == 0


@pytest.mark.parametrize("content_type", ["application/octet-stream", "text/plain", None])
def test_wrong_content_type_is_415(http: httpx.Client, content_type: str | None) -> None:
    location = create(http, b"abc").headers["Location"]
    headers = {**TUS, "Upload-Offset": "0"}
    if content_type:
        headers["Content-Type"] = content_type
    assert_problem(http.patch(location, content=b"abc", headers=headers), 415, "wrong_content_type")


def test_body_past_upload_length_is_413(http: httpx.Client) -> None:
    data = secrets.token_bytes(100)
    location = create(http, data).headers["Location"]
    patched = http.patch(
        location, content=data + b"extra", headers={**STREAM, "Upload-Offset": "0"}
    )
    assert_problem(patched, 413, "upload_too_large")
    assert offset_of(http, location) == 0


def test_streamed_body_past_upload_length_is_413(http: httpx.Client) -> None:
    data = secrets.token_bytes(100)
    location = create(http, data).headers["Location"]
    patched = http.patch(
        location, content=iter([data, b"extra"]), headers={**STREAM, "Upload-Offset": "0"}
    )
    assert_problem(patched, 413, "upload_too_large")
    assert offset_of(http, location) == 0


def test_upload_length_over_the_limit_is_413(http: httpx.Client) -> None:
    created = create(http, b"x", **{"Upload-Length": str(MAX_SIZE + 1)})
    assert_problem(created, 413, "upload_too_large")


def test_whole_blob_hash_mismatch_is_460_and_discards_the_upload(
    http: httpx.Client, live: Live
) -> None:
    data, claimed = b"what was sent", b"what was promised"
    location = create(
        http, data, **{"Upload-Metadata": metadata(claimed), "Upload-Length": str(len(data))}
    ).headers["Location"]
    patched = http.patch(location, content=data, headers={**STREAM, "Upload-Offset": "0"})
    assert_problem(patched, 460, "blob_hash_mismatch")
    assert hashlib.sha256(claimed).hexdigest() in patched.json()["detail_en"]
    assert_problem(http.head(location, headers=TUS), 404, "upload_not_found")
    assert list(live.uploads.iterdir()) == []
    assert not live.store.has(hashlib.sha256(claimed).hexdigest())


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Upload-Metadata": "filename " + base64.b64encode(b"a.jpg").decode()}, "missing_sha256"),
        ({"Upload-Metadata": "sha256 " + base64.b64encode(b"abc").decode()}, "invalid_sha256"),
        ({"Upload-Metadata": "sha256 %%%"}, "bad_metadata"),
        ({"Upload-Metadata": "sha256 YQ==,sha256 YQ=="}, "bad_metadata"),
        ({"Upload-Metadata": "sha256 tr\u00e1ng".encode()}, "bad_metadata"),
        ({"Upload-Length": "-1"}, "bad_header"),
        ({"Upload-Length": ""}, "bad_header"),
    ],
)
def test_bad_creation_requests_are_400(
    http: httpx.Client, live: Live, headers: dict[str, str], reason: str
) -> None:
    assert_problem(create(http, b"abc", **headers), 400, reason)
    assert list(live.uploads.glob("*.json")) == []


def test_missing_upload_offset_is_400(http: httpx.Client) -> None:
    location = create(http, b"abc").headers["Location"]
    assert_problem(http.patch(location, content=b"abc", headers=STREAM), 400, "bad_header")


@pytest.mark.parametrize("version", [None, "0.2.2", "2.0.0"])
def test_other_tus_versions_are_412(http: httpx.Client, version: str | None) -> None:
    headers = {"X-Device": "tablet-1", "Upload-Length": "3", "Upload-Metadata": metadata(b"abc")}
    if version:
        headers["Tus-Resumable"] = version
    response = http.post("", headers=headers)
    assert_problem(response, 412, "tus_version_unsupported")
    assert response.headers["Tus-Version"] == "1.0.0"


def test_termination_frees_the_upload(http: httpx.Client, live: Live) -> None:
    data = secrets.token_bytes(1000)
    location = create(http, data).headers["Location"]
    http.patch(location, content=data[:500], headers={**STREAM, "Upload-Offset": "0"})
    assert http.delete(location, headers=TUS).status_code == 204
    assert_problem(http.head(location, headers=TUS), 404, "upload_not_found")
    patched = http.patch(location, content=data[500:], headers={**STREAM, "Upload-Offset": "500"})
    assert_problem(patched, 404, "upload_not_found")
    assert list(live.uploads.iterdir()) == []


def test_expired_upload_is_410_then_404(http: httpx.Client, live: Live, clock: Clock) -> None:
    data = secrets.token_bytes(1000)
    location = create(http, data).headers["Location"]
    clock.now += timedelta(hours=23)
    http.patch(location, content=data[:500], headers={**STREAM, "Upload-Offset": "0"})
    clock.now += timedelta(hours=23)
    assert offset_of(http, location) == 500, "each PATCH pushes Upload-Expires back"
    clock.now += timedelta(hours=2)
    assert_problem(http.head(location, headers=TUS), 410, "upload_expired")
    assert_problem(http.head(location, headers=TUS), 404, "upload_not_found")
    assert list(live.uploads.iterdir()) == []


def test_creation_sweeps_expired_uploads(http: httpx.Client, live: Live, clock: Clock) -> None:
    create(http, b"left behind")
    clock.now += timedelta(days=2)
    create(http, b"new upload")
    assert len(list(live.uploads.glob("*.json"))) == 1


def test_uploads_belong_to_whoever_created_them(http: httpx.Client) -> None:
    data = b"abc"
    location = create(http, data).headers["Location"]
    stranger = {**STREAM, "X-Device": "tablet-2", "Upload-Offset": "0"}
    assert_problem(http.patch(location, content=data, headers=stranger), 404, "upload_not_found")
    assert_problem(http.delete(location, headers=stranger), 404, "upload_not_found")
    anonymous = {k: v for k, v in stranger.items() if k != "X-Device"}
    assert_problem(http.patch(location, content=data, headers=anonymous), 401, "unauthorised")
    assert offset_of(http, location) == 0


@pytest.mark.parametrize("upload_id", ["0" * 31, "0" * 32, "0" * 33, "Z" * 32, "..." * 11])
def test_unknown_upload_ids_are_404(http: httpx.Client, upload_id: str) -> None:
    assert_problem(http.head(upload_id, headers=TUS), 404, "upload_not_found")


def test_state_survives_a_restart(tmp_path: Path, clock: Clock) -> None:
    data = secrets.token_bytes(5000)
    first = Live(tmp_path, clock)
    with httpx.Client(timeout=30) as http:
        http.base_url = first.url
        location = create(http, data).headers["Location"].rsplit("/", 1)[1]
        http.patch(location, content=data[:2000], headers={**STREAM, "Upload-Offset": "0"})
        first.stop()
        second = Live(tmp_path, clock)
        try:
            http.base_url = second.url
            assert offset_of(http, location) == 2000
            done = http.patch(
                location, content=data[2000:], headers={**STREAM, "Upload-Offset": "2000"}
            )
            assert done.status_code == 204
            assert second.store.read(hashlib.sha256(data).hexdigest()) == data
        finally:
            second.stop()


def test_a_crash_mid_patch_leaves_the_last_good_offset(http: httpx.Client, live: Live) -> None:
    data = secrets.token_bytes(4000)
    location = create(http, data).headers["Location"]
    http.patch(location, content=data[:1000], headers={**STREAM, "Upload-Offset": "0"})
    upload_id = location.rsplit("/", 1)[1]
    with (live.uploads / f"{upload_id}.part").open("ab") as part:
        part.write(b"half of a chunk the crash cut off")
    assert offset_of(http, location) == 1000
    http.patch(location, content=data[1000:], headers={**STREAM, "Upload-Offset": "1000"})
    assert live.store.read(hashlib.sha256(data).hexdigest()) == data


@contextmanager
def partial_patch(
    live: Live, location: str, body: bytes, declared: int, extra: str
) -> Iterator[None]:
    """Send a PATCH that declares `declared` bytes but send only `body`; hang up on leaving.

    ``Expect: 100-continue`` makes the server say when the handler is reading the body (and so
    holds the upload's lock), which keeps the following HEAD from overtaking it.
    """
    path = location.split(str(live.port), 1)[1]
    head = (
        f"PATCH {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
        f"X-Device: tablet-1\r\nContent-Type: application/offset+octet-stream\r\n"
        f"Upload-Offset: 0\r\nContent-Length: {declared}\r\nExpect: 100-continue\r\n{extra}\r\n"
    )
    with socket.create_connection(("127.0.0.1", live.port)) as raw:
        raw.sendall(head.encode())
        assert raw.recv(100).startswith(b"HTTP/1.1 100")
        raw.sendall(body)
        yield


def test_a_cut_off_body_keeps_what_arrived(http: httpx.Client, live: Live) -> None:
    data = secrets.token_bytes(1000)
    location = create(http, data).headers["Location"]
    with partial_patch(live, location, data[:400], len(data), ""):
        pass
    assert offset_of(http, location) == 400
    http.patch(location, content=data[400:], headers={**STREAM, "Upload-Offset": "400"})
    assert live.store.read(hashlib.sha256(data).hexdigest()) == data


def test_a_cut_off_checksummed_body_is_dropped(http: httpx.Client, live: Live) -> None:
    data = secrets.token_bytes(1000)
    location = create(http, data).headers["Location"]
    sum_header = f"Upload-Checksum: {checksum('sha256', data)}\r\n"
    with partial_patch(live, location, data[:400], len(data), sum_header):
        pass
    assert offset_of(http, location) == 0


def test_a_stalled_body_frees_the_upload(tmp_path: Path, clock: Clock) -> None:
    data = secrets.token_bytes(1000)
    live = Live(tmp_path, clock, body_timeout=0.2)
    try:
        with httpx.Client(base_url=live.url, timeout=30) as http:
            location = create(http, data).headers["Location"]
            with partial_patch(live, location, data[:300], len(data), ""):
                # The sender is still connected but silent; the server gives up on it.
                assert offset_of(http, location) == 300
    finally:
        live.stop()


def test_a_refused_first_chunk_still_names_the_upload(http: httpx.Client) -> None:
    data = b"first chunk"
    lie = checksum("sha256", b"something else")
    created = http.post(
        "",
        content=data,
        headers={
            **STREAM,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": metadata(data),
            "Upload-Checksum": lie,
        },
    )
    assert_problem(created, 460, "checksum_mismatch")
    assert offset_of(http, created.headers["Location"]) == 0


def test_a_crash_after_the_last_chunk_is_settled_on_the_next_head(
    http: httpx.Client, live: Live, clock: Clock
) -> None:
    data = secrets.token_bytes(3000)
    location = create(http, data).headers["Location"]
    area = UploadArea(live.uploads, live.store)
    upload = area.get(location.rsplit("/", 1)[1], "tablet-1", clock())
    writer = area.writer(upload)
    writer.write(data)
    writer.commit(clock() + timedelta(hours=1))  # the process "dies" before settling
    assert not live.store.has(hashlib.sha256(data).hexdigest())
    assert offset_of(http, location) == len(data)
    assert live.store.read(hashlib.sha256(data).hexdigest()) == data


def test_an_upload_lock_is_exclusive_until_released(live: Live) -> None:
    area = UploadArea(live.uploads, live.store)
    held = area.try_lock("0" * 32)
    assert held is not None
    assert area.try_lock("0" * 32) is None
    held.release()
    again = area.try_lock("0" * 32)
    assert again is not None
    again.release()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", {}),
        ("filename dHJhbmcuanBn,is_final", {"filename": "trang.jpg", "is_final": ""}),
        (" sha256 YWJj , note w6FvIGPDoQ== ", {"sha256": "abc", "note": "áo cá"}),
    ],
)
def test_metadata_round_trips(header: str, expected: dict[str, str]) -> None:
    assert parse_metadata(header) == expected
    assert parse_metadata(encode_metadata(expected)) == expected


def test_creation_body_of_the_wrong_type_is_415_and_creates_nothing(
    http: httpx.Client, live: Live
) -> None:
    data = b"abc"
    headers = {**TUS, "Upload-Length": "3", "Upload-Metadata": metadata(data)}
    created = http.post("", content=data, headers={**headers, "Content-Type": "image/jpeg"})
    assert_problem(created, 415, "wrong_content_type")
    assert list(live.uploads.glob("*.json")) == []
