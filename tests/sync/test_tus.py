"""The tus client uploads through the server's real tus router, resumes, and survives faults."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.blobstores import FileBlobStore
from server.tus import tus_router
from sync.chunking import KIB, ChunkPolicy
from sync.client import SyncClient
from sync.errors import Offline, TimedOut
from sync.faultproxy import FaultPlan, FaultProxy
from sync.progress import Progress
from sync.state import SyncState
from sync.tus import TusUploader


@pytest.fixture
def tus_app(tmp_path):
    store = FileBlobStore(tmp_path / "blobs", key=secrets.token_bytes(32))
    app = FastAPI()
    router = tus_router(
        store,
        tmp_path / "uploads",
        authorize=lambda: "tablet-1",
        max_size=16 * 1024 * 1024,
        expiration=timedelta(days=7),
    )
    app.include_router(router, prefix="/v1/files")
    return app, store


def _payload(size: int, seed: int = 0) -> tuple[str, bytes]:
    data = hashlib.sha256(str(seed).encode()).digest() * (size // 32 + 1)
    data = data[:size]
    return hashlib.sha256(data).hexdigest(), data


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def _counting(http: httpx.Client) -> list[int]:
    """Record the body size of every request `http` sends."""
    sizes: list[int] = []
    http.event_hooks["request"].append(lambda request: sizes.append(len(request.content)))
    return sizes


def test_upload_in_growing_chunks_ends_as_a_verified_blob(tus_app, sync_state):
    app, store = tus_app
    sha, data = _payload(300 * KIB)
    http = TestClient(app)
    sizes = _counting(http)
    state, progress = sync_state, Progress()
    policy = ChunkPolicy(initial=16 * KIB, minimum=16 * KIB)
    TusUploader(SyncClient(http), state, policy=policy, progress=progress).upload(sha, data)
    assert store.read(sha) == data
    assert state.keys() == []
    assert sum(sizes) == len(data)
    assert sizes[0] == 16 * KIB and max(sizes) > 16 * KIB
    assert progress.snapshot().bytes_sent == len(data)


def test_a_restarted_app_resumes_resending_at_most_one_chunk(
    tus_app, sync_state, serve_app, tmp_path
):
    app, store = tus_app
    sha, data = _payload(200 * KIB, seed=1)
    cut = FaultPlan(fault_probability=1.0, kinds=("drop",), fault_window=150 * KIB)
    with serve_app(app) as url, FaultProxy(("127.0.0.1", _port(url)), cut, seed=2) as proxy:
        http = httpx.Client(base_url=proxy.url, timeout=5)
        sizes = _counting(http)
        policy = ChunkPolicy(initial=16 * KIB, maximum=16 * KIB)
        with pytest.raises(Offline):
            TusUploader(SyncClient(http), sync_state, policy=policy).upload(sha, data)
        proxy.set_plan(FaultPlan())
        # A new process: a fresh uploader over the same state file.
        restarted = SyncState.open(tmp_path)
        TusUploader(SyncClient(http), restarted, policy=policy).upload(sha, data)
        restarted.close()
        http.close()
    assert store.read(sha) == data
    assert proxy.faults == {"drop": 1}
    assert len(data) < sum(sizes) <= len(data) + 16 * KIB


def test_an_expired_upload_is_created_again(tus_app, sync_state):
    app, store = tus_app
    sha, data = _payload(40 * KIB, seed=2)
    state = sync_state
    state.set(f"tus:{sha}", {"url": "/v1/files/gone", "offset": 16 * KIB})
    TusUploader(SyncClient(TestClient(app)), state).upload(sha, data)
    assert store.read(sha) == data


def test_unreachable_server_is_offline_and_keeps_nothing_half_done(sync_state):
    sha, data = _payload(10 * KIB)
    http = httpx.Client(base_url="http://127.0.0.1:9", timeout=2)
    state = sync_state
    with pytest.raises(Offline):
        TusUploader(SyncClient(http), state).upload(sha, data)
    assert state.keys() == []


def test_uploads_survive_cuts_corruption_and_stalls_resending_at_most_a_chunk_each(
    tus_app, sync_state, serve_app
):
    app, store = tus_app
    plan = FaultPlan(fault_probability=0.5, fault_window=24 * KIB, stall_seconds=0.3)
    blobs = [_payload(60 * KIB, seed=10 + index) for index in range(12)]
    with (
        serve_app(app) as url,
        FaultProxy(("127.0.0.1", _port(url)), plan, seed=4) as proxy,
    ):
        http = httpx.Client(base_url=proxy.url, timeout=httpx.Timeout(2.0))
        sizes = _counting(http)
        state = sync_state
        policy = ChunkPolicy(initial=16 * KIB, minimum=8 * KIB, maximum=16 * KIB)
        uploader = TusUploader(SyncClient(http), state, policy=policy)
        failures = 0
        for sha, data in blobs:
            while True:
                try:
                    uploader.upload(sha, data)
                    break
                except Offline:
                    failures += 1
                    assert failures < 200
        assert sum(proxy.faults.values()) >= 5
    for sha, data in blobs:
        assert store.read(sha) == data
    payload = sum(len(data) for _, data in blobs)
    assert sum(sizes) <= payload + 16 * KIB * failures + 16 * KIB * proxy.faults["corrupt"]
    assert state.keys() == []


def test_a_stalled_link_times_out_and_the_next_chunk_is_smaller(tus_app, sync_state, serve_app):
    app, _ = tus_app
    sha, data = _payload(100 * KIB, seed=3)
    stall = FaultPlan(fault_probability=1.0, kinds=("stall",), fault_window=KIB, stall_seconds=1)
    with serve_app(app) as url, FaultProxy(("127.0.0.1", _port(url)), stall, seed=1) as proxy:
        http = httpx.Client(base_url=proxy.url, timeout=httpx.Timeout(0.3))
        policy = ChunkPolicy(initial=32 * KIB, minimum=8 * KIB)
        with pytest.raises(TimedOut):
            TusUploader(SyncClient(http), sync_state, policy=policy).upload(sha, data)
        http.close()
    assert policy.size == 16 * KIB
