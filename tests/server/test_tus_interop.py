"""A tus client that is not ours (tuspy) uploads, is cut off or loses the server, and resumes.

The server runs in its own process (so it can be killed outright) behind a loopback TCP proxy
that can cut a connection, or freeze it, after a given number of bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tusclient import client
from tusclient.uploader import Uploader

from server.blobstore import FileBlobStore

KEY = bytes(range(32))
REPO = Path(__file__).resolve().parents[2]
PATCH_OFFSET = re.compile(rb"(?im)^upload-offset: *(\d+)\r$")
SERVER = f"""
import socket, sys
from datetime import timedelta
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Header

from server.blobstore import FileBlobStore
from server.tus import tus_router


def device(x_device: str = Header()) -> str:
    return x_device


root = Path(sys.argv[1])
store = FileBlobStore(root / "blobs", {KEY!r})
app = FastAPI()
router = tus_router(
    store, root / "uploads", authorize=device, max_size=1 << 30, expiration=timedelta(hours=1)
)
app.include_router(router, prefix="/files")
listener = socket.create_server(("127.0.0.1", 0))
print(listener.getsockname()[1], flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off")).run(sockets=[listener])
"""


class ServerProcess:
    """The tus server in a child process over the directories under `root`."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(root)], cwd=REPO, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())

    def kill(self) -> None:
        """Crash it: SIGKILL, no cleanup."""
        self.process.kill()
        self.process.wait()


class CuttingProxy:
    """Forwards 127.0.0.1:port to the server; cuts or freezes the upload after a byte budget."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cut_after: int | None = None
        self.freeze_after: int | None = None
        self.frozen = threading.Event()
        self.patch_offsets: list[int] = []
        self._held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self.listener.close()

    def drop_frozen(self) -> None:
        """Hang up the frozen connection, as a network that finally gives up would."""
        for held in self._held:
            _hang_up(held)

    def _accept(self) -> None:
        while True:
            try:
                near, _ = self.listener.accept()
            except OSError:
                return
            try:
                far = socket.create_connection(("127.0.0.1", self.upstream_port))
            except OSError:
                _hang_up(near)
                continue
            threading.Thread(target=self._forward_up, args=(near, far), daemon=True).start()
            threading.Thread(target=self._forward_down, args=(far, near), daemon=True).start()

    def _forward_up(self, near: socket.socket, far: socket.socket) -> None:
        """Client to server, counting bytes against the cut and freeze budgets."""
        try:
            while data := near.recv(65536):
                self.patch_offsets += [int(found) for found in PATCH_OFFSET.findall(data)]
                if self.cut_after is not None and len(data) >= self.cut_after:
                    far.sendall(data[: self.cut_after])
                    self.cut_after = None
                    break
                if self.freeze_after is not None and len(data) >= self.freeze_after:
                    far.sendall(data[: self.freeze_after])
                    self.freeze_after = None
                    self._held += [near, far]
                    self.frozen.set()
                    return
                self.cut_after = None if self.cut_after is None else self.cut_after - len(data)
                if self.freeze_after is not None:
                    self.freeze_after -= len(data)
                far.sendall(data)
        except OSError:
            pass
        _hang_up(near)
        _hang_up(far)

    def _forward_down(self, far: socket.socket, near: socket.socket) -> None:
        """Server to client; a frozen client stays connected even when the server dies."""
        try:
            while data := far.recv(65536):
                near.sendall(data)
        except OSError:
            pass
        if near not in self._held:
            _hang_up(near)


def _hang_up(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    connection.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path)
    yield process
    process.kill()


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[CuttingProxy]:
    forwarding = CuttingProxy(server.port)
    yield forwarding
    forwarding.close()


def uploader(proxy: CuttingProxy, data_path: Path, chunk_size: int, **options: object) -> Uploader:
    """A tuspy uploader through the proxy that retries at once after a failure."""
    tus = client.TusClient(f"http://127.0.0.1:{proxy.port}/files/", headers={"X-Device": "tab-1"})
    digest = hashlib.sha256(data_path.read_bytes()).hexdigest()
    return tus.uploader(
        str(data_path),
        chunk_size=chunk_size,
        metadata={"sha256": digest, "filename": "trang-1.jpg"},
        retries=3,
        retry_delay=0,
        **options,
    )


def stored(tmp_path: Path, data: bytes) -> bytes:
    return FileBlobStore(tmp_path / "blobs", KEY).read(hashlib.sha256(data).hexdigest())


@pytest.fixture
def scan(tmp_path: Path) -> tuple[Path, bytes]:
    data = secrets.token_bytes(2 * 1024 * 1024 + 123)
    path = tmp_path / "scan.jpg"
    path.write_bytes(data)
    return path, data


def test_cut_mid_body_resumes_from_the_bytes_that_arrived(
    tmp_path: Path, proxy: CuttingProxy, scan: tuple[Path, bytes]
) -> None:
    path, data = scan
    proxy.cut_after = len(data) // 2
    upload = uploader(proxy, path, chunk_size=len(data))
    upload.upload()
    assert proxy.cut_after is None, "the connection was cut"
    first, resumed = proxy.patch_offsets
    assert first == 0
    assert 0 < resumed <= len(data) // 2
    assert stored(tmp_path, data) == data


def test_cut_checksummed_chunk_is_sent_again(
    tmp_path: Path, proxy: CuttingProxy, scan: tuple[Path, bytes]
) -> None:
    path, data = scan
    chunk = 256 * 1024
    proxy.cut_after = 3 * chunk + chunk // 2
    upload = uploader(proxy, path, chunk_size=chunk, upload_checksum=True)
    upload.upload()
    assert proxy.cut_after is None
    assert all(offset % chunk == 0 for offset in proxy.patch_offsets)
    assert len(proxy.patch_offsets) == len(set(proxy.patch_offsets)) + 1, "one chunk sent twice"
    assert stored(tmp_path, data) == data


def test_server_killed_mid_patch_then_restarted(
    tmp_path: Path, server: ServerProcess, proxy: CuttingProxy, scan: tuple[Path, bytes]
) -> None:
    path, data = scan
    chunk = 512 * 1024
    upload = uploader(proxy, path, chunk_size=chunk)
    upload.upload_chunk()
    upload.upload_chunk()
    proxy.freeze_after = chunk // 2
    sender = threading.Thread(target=upload.upload)
    sender.start()
    proxy.frozen.wait()
    server.kill()
    restarted = ServerProcess(tmp_path)
    try:
        proxy.upstream_port = restarted.port
        proxy.drop_frozen()
        sender.join()
        assert proxy.patch_offsets[:4] == [0, chunk, 2 * chunk, 2 * chunk]
        assert stored(tmp_path, data) == data
    finally:
        restarted.kill()
