"""Fixtures of the sync tests: dossier events, page blobs, a real city server, enrolled devices."""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from types import SimpleNamespace

import httpx
import pytest
import sqlalchemy
import uvicorn

from core.clock import HybridClock
from core.codes import format_dossier_code
from core.dossier import DossierState, edit_payload, fold
from core.events import Event, EventType, make_event
from core.ids import new_id
from server.dossiers import stored_events
from server.testing import running_server
from sync.receive import issue_code
from sync.runtime import DeviceRuntime
from sync.state import SyncState


def page_blob(seed: int, size: int = 3000) -> bytes:
    """Return deterministic page-like bytes for `seed`."""
    block = hashlib.sha256(seed.to_bytes(8, "big")).digest()
    return (block * (size // len(block) + 1))[:size]


def page_ref(blob: bytes) -> dict:
    """Return the wire description of one page blob."""
    return {
        "sha256": hashlib.sha256(blob).hexdigest(),
        "media_type": "image/jpeg",
        "mode": "gray",
        "dpi": 200,
        "bytes": len(blob),
    }


def received_payload(code: str, blobs: list[bytes]) -> dict:
    """Return a RECEIVED payload with one component holding `blobs`."""
    return {
        "code": code,
        "procedure_code": "2.000815",
        "catalogue_version": "2025.2",
        "applicant": {
            "cccd": "001203004567",
            "name": "Nguyễn Văn An",
            "birth_date": "1990-01-02",
            "gender": "male",
            "phone": "",
            "address": "Hải Phòng",
        },
        "channel": "counter",
        "receiving_unit": "11311",
        "competent_unit": "11311",
        "return_method": "counter",
        "return_address": None,
        "received_at": "2026-03-02T09:15:00+07:00",
        "due_at": "2026-03-05T09:15:00+07:00",
        "components": [{"component_id": "ban_chinh", "pages": [page_ref(b) for b in blobs]}],
        "fee_vnd": 0,
    }


@pytest.fixture
def make_dossier() -> Callable[..., tuple[Event, dict[str, bytes]]]:
    """Return a factory of (RECEIVED event, {sha256: page bytes}) for a new dossier."""
    clock = HybridClock("tablet-1")

    def factory(seed: int = 0, pages: int = 2, device_id: str = "tablet-1") -> tuple:
        blobs = [page_blob(seed * 100 + index) for index in range(pages)]
        event = make_event(
            new_id(),
            EventType.RECEIVED,
            received_payload(format_dossier_code("H31.11311", date(2026, 3, 2), seed + 1), blobs),
            clock=clock,
            device_id=device_id,
            officer_id="cb01",
            unit_code="11311",
        )
        return event, {hashlib.sha256(b).hexdigest(): b for b in blobs}

    return factory


@contextlib.contextmanager
def serve(app) -> Iterator[str]:
    """Run an ASGI `app` with uvicorn on a free loopback port; yield its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def sync_state(tmp_path) -> Iterator[SyncState]:
    """Return a fresh SyncState file in the test's temporary directory."""
    state = SyncState.open(tmp_path)
    yield state
    state.close()


@pytest.fixture
def serve_app() -> Callable:
    """Return `serve`, a context manager running an ASGI app on a free loopback port."""
    return serve


PIN = "20251231"
TEST_KDF_COST = 1 << 10


def enrol_device(city, data_dir, unit_code: str = "11311") -> DeviceRuntime:
    """Enrol a fresh device of `unit_code` with the running `city` server."""
    http = httpx.Client(base_url=city.base_url, timeout=10)
    with http:
        return DeviceRuntime.enrol(
            data_dir,
            http,
            city.admin.enrolment_code(unit_code),
            PIN,
            officer_name="Lê Thị Hoa",
            kdf_cost=TEST_KDF_COST,
        )


def receive(device: DeviceRuntime, seed: int, pages: int = 2, size: int = 3000) -> Event:
    """Store a new dossier with `pages` page blobs in the device's vault; return its event."""
    blobs = [page_blob(seed * 100 + index, size) for index in range(pages)]
    clock = device.hybrid_clock()
    event = make_event(
        new_id(),
        EventType.RECEIVED,
        received_payload(issue_code(device, date(2026, 3, 2)), blobs),
        clock=clock,
        device_id=device.identity.device_id,
        officer_id=device.session.officer_id,
        unit_code=device.identity.unit_code,
    )
    device.session.dossiers.save([event], {hashlib.sha256(b).hexdigest(): b for b in blobs})
    device.remember(clock)
    return event


def edit(device: DeviceRuntime, dossier_id: str, fields: dict) -> Event:
    """Edit fields of a dossier on `device`, as an officer would, and return the event."""
    clock = device.hybrid_clock()
    event = make_event(
        dossier_id,
        EventType.FIELDS_EDITED,
        edit_payload(device.session.dossiers.get(dossier_id), fields),
        clock=clock,
        device_id=device.identity.device_id,
        officer_id=device.session.officer_id,
        unit_code=device.identity.unit_code,
    )
    device.session.dossiers.append([event])
    device.remember(clock)
    return event


def sync_once(device: DeviceRuntime, **engine_options) -> object:
    """Run one sync of `device` straight to its server and return the report."""
    with device.http() as http:
        return device.engine(http, **engine_options).run_once()


def server_state(city, dossier_id: str) -> DossierState:
    """Return the city server's fold of one dossier."""
    with city.context.db.read() as conn:
        return fold(stored_events(conn, dossier_id))


def server_events(city) -> dict[str, Event]:
    """Return every event the city server stores, by id."""
    with city.context.db.read() as conn:
        rows = conn.execute(sqlalchemy.text("SELECT body FROM events")).scalars().all()
    events = [Event.from_wire(json.loads(body)) for body in rows]
    assert len(events) == len({e.id for e in events}), "the server stores an event twice"
    return {event.id: event for event in events}


@pytest.fixture
def city(tmp_path):
    """A real city server on a free loopback port."""
    with running_server(tmp_path / "city") as server:
        yield server


@pytest.fixture
def kit() -> SimpleNamespace:
    """The helpers above, for test modules (importlib mode cannot import conftest)."""
    return SimpleNamespace(
        enrol_device=enrol_device,
        receive=receive,
        server_events=server_events,
        server_state=server_state,
        edit=edit,
        sync_once=sync_once,
        page_blob=page_blob,
        pin=PIN,
        kdf_cost=TEST_KDF_COST,
    )
