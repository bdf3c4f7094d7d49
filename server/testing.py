"""Start a real city server in-process for tests: uvicorn in a thread on a free loopback port.

Other packages' tests use it too (sync, app)::

    from server.testing import running_server

    def test_sync(tmp_path):
        with running_server(tmp_path) as server:
            code = server.admin.enrolment_code("11311")
            response = httpx.post(f"{server.base_url}/v1/enrol", json={...})

`db_url` runs the same server on PostgreSQL (give each test module its own `db_schema`).
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from sqlalchemy import select

from core.catalogue import shipped_publications
from server.context import ServerContext
from server.devices import create_enrolment_code, set_device_status
from server.feed import append_command, publish
from server.main import create_app
from server.schema import staff
from server.settings import ServerSettings
from server.staff import Role, create_staff, log_in, set_password

__all__ = ["AdminApi", "RunningServer", "publication_adding", "running_server", "test_settings"]

ADMIN_USERNAME = "admin"
START_TIMEOUT_SECONDS = 20


def publication_adding(code: str, version: str, effective: str = "2026-01-01") -> dict:
    """Return a catalogue publication body adding `code`, shaped like birth registration."""
    birth = copy.deepcopy(shipped_publications()[0][1]["added"][0])
    return {
        "version": version,
        "decision": "12/QĐ-UBND",
        "effective_date": effective,
        "title": "Bổ sung thủ tục",
        "title_en": "One more procedure",
        "added": [{**birth, "code": code, "name": "Thủ tục mới", "name_en": "New procedure"}],
        "amended": [],
        "abolished": [],
        "bundles": [],
        "abolished_bundles": [],
    }


class AdminApi:
    """City-administration shortcuts that act on the running server's database directly."""

    def __init__(self, context: ServerContext):
        self.context = context
        self.password = secrets.token_urlsafe(12)
        with context.db.write() as conn:
            # A server restarted on the same files already has its admin: give it a new password.
            if conn.scalar(select(staff.c.username).where(staff.c.username == ADMIN_USERNAME)):
                set_password(conn, ADMIN_USERNAME, self.password)
            else:
                create_staff(conn, ADMIN_USERNAME, self.password, Role.ADMIN, None)
        self.token = self.login(ADMIN_USERNAME, self.password)

    def enrolment_code(self, unit_code: str) -> str:
        """Return a fresh one-time enrolment code for a device of `unit_code`."""
        with self.context.db.write() as conn:
            return create_enrolment_code(
                conn, unit_code, self.context.settings.enrolment_ttl_seconds
            )

    def add_staff(self, username: str, password: str, role: str, unit_code: str | None) -> None:
        """Create a staff account."""
        with self.context.db.write() as conn:
            create_staff(conn, username, password, role, unit_code)

    def login(self, username: str, password: str) -> str:
        """Return a bearer token for a staff account."""
        with self.context.db.write() as conn:
            return log_in(conn, username, password, self.context.settings.token_ttl_seconds)

    def revoke(self, device_id: str) -> None:
        """Revoke a device."""
        with self.context.db.write() as conn:
            set_device_status(conn, device_id, "revoked")

    def wipe(self, device_id: str) -> dict:
        """Queue a signed wipe command for a device and return it."""
        with self.context.db.write() as conn:
            set_device_status(conn, device_id, "wiping")
            return append_command(conn, self.context.keys, device_id, "wipe", {})

    def publish(self, kind: str, version: str, body: dict) -> bool:
        """Publish a catalogue or calendar version to every unit's feed."""
        with self.context.db.write() as conn:
            return publish(conn, kind, version, body)


@dataclass(frozen=True)
class RunningServer:
    """A server listening on 127.0.0.1: its base URL, its context and admin shortcuts."""

    base_url: str
    context: ServerContext
    admin: AdminApi


def test_settings(
    tmp_path: Path, db_url: str | None = None, db_schema: str | None = None
) -> ServerSettings:
    """Return settings that keep every file of the server under `tmp_path`."""
    return ServerSettings(
        db_url=db_url or f"sqlite:///{tmp_path / 'city.db'}",
        db_schema=db_schema,
        blobs_dir=tmp_path / "blobs",
        keys_dir=tmp_path / "keys",
        uploads_dir=tmp_path / "uploads",
        port=0,
    )


test_settings.__test__ = False  # type: ignore[attr-defined]  # a helper, not a pytest test


@contextmanager
def running_server(
    tmp_path: Path, db_url: str | None = None, db_schema: str | None = None
) -> Iterator[RunningServer]:
    """Run a real server on a free 127.0.0.1 port for the duration of the block."""
    app = create_app(test_settings(tmp_path, db_url, db_schema))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="sohoa-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    context = app.state.context
    try:
        yield RunningServer(f"http://127.0.0.1:{port}", context, AdminApi(context))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
