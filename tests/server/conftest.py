"""Fixtures for the server tests: a real server per module on SQLite and on PostgreSQL,
enrolled devices that sign with the device-side signer (sync.signing), and event builders."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import create_engine, text

from core.clock import HybridClock
from core.codes import CodeIssuer, CodeSpaceExhausted
from core.events import Event, EventType, make_event
from core.ids import new_id
from server.settings import normalise_db_url
from server.testing import RunningServer, running_server
from sync.signing import ServerClock, SigningAuth

RECEIVING_UNIT = "11311"  # Phường Hồng Bàng, Hải Phòng
RESIDENCE_UNIT = "11533"  # Phường Hòa Bình, Hải Phòng
OTHER_UNIT = "11560"  # Phường Thủy Nguyên, Hải Phòng
BIRTH = "1.001193"  # Đăng ký khai sinh: competent unit = applicant's residence, boundary-free
CATALOGUE_VERSION = "2025.2"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def backend(request: pytest.FixtureRequest) -> str:
    """The database each module's server runs on."""
    return request.param


@pytest.fixture(scope="module")
def server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A real server on 127.0.0.1 with a fresh database (a fresh schema on PostgreSQL)."""
    tmp_path = tmp_path_factory.mktemp("city")
    if backend == "sqlite":
        with running_server(tmp_path) as running:
            yield running
        return
    dsn = normalise_db_url(os.environ["SOHOA_TEST_PG_DSN"])
    schema = f"sohoa_server_{secrets.token_hex(4)}"
    try:
        with running_server(tmp_path, db_url=dsn, db_schema=schema) as running:
            yield running
    finally:
        engine = create_engine(dsn)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@dataclass
class EnrolledDevice:
    """An enrolled device: its key, id, unit, signing HTTP client and hybrid clock."""

    key: Ed25519PrivateKey
    id: str
    unit_code: str
    enrolment: dict
    http: httpx.Client
    clock: HybridClock
    issuer: CodeIssuer

    def next_code(self) -> str:
        """Issue the device's next dossier code, moving to the next day when a day is full."""
        day = date(2026, 3, 2)
        while True:
            try:
                return self.issuer.issue(day)
            except CodeSpaceExhausted:
                day += timedelta(days=1)

    def event(self, dossier_id: str, type: EventType, payload: dict[str, Any]) -> Event:
        """Return a new event of this device."""
        return make_event(
            dossier_id,
            type,
            payload,
            clock=self.clock,
            device_id=self.id,
            officer_id="officer-1",
            unit_code=self.unit_code,
        )

    def received(self, **applicant: Any) -> Event:
        """Return a RECEIVED event for a new birth-registration dossier."""
        payload = received_payload(self.unit_code, applicant, self.next_code())
        return self.event(new_id(), EventType.RECEIVED, payload)

    def send(self, events: list[Event], key: str | None = None) -> httpx.Response:
        """Post a batch of events with an Idempotency-Key."""
        return self.http.post(
            "/v1/events",
            json={"events": [e.to_wire() for e in events]},
            headers={"Idempotency-Key": key or new_id()},
        )


def public_key_b64(key: Ed25519PrivateKey) -> str:
    """Return the raw public key of `key` in base64."""
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def enrol(server: RunningServer, unit_code: str = RECEIVING_UNIT) -> EnrolledDevice:
    """Enrol a new device of `unit_code` through the HTTP API."""
    key = Ed25519PrivateKey.generate()
    response = httpx.post(
        f"{server.base_url}/v1/enrol",
        json={"code": server.admin.enrolment_code(unit_code), "public_key": public_key_b64(key)},
    )
    assert response.status_code == 201, response.text
    answer = response.json()
    auth = SigningAuth(key, answer["device_id"], ServerClock())
    http = httpx.Client(base_url=server.base_url, auth=auth, timeout=30)
    clock = HybridClock(f"dev-{answer['device_id'][-12:]}")
    issuer = CodeIssuer(answer["code_issuer"]["agency_code"], answer["code_issuer"]["device_slot"])
    return EnrolledDevice(key, answer["device_id"], unit_code, answer, http, clock, issuer)


def page(seed: str) -> dict:
    """Return page metadata for a made-up scan."""
    return {
        "sha256": hashlib.sha256(seed.encode()).hexdigest(),
        "media_type": "image/webp",
        "mode": "gray",
        "dpi": 200,
        "bytes": 1234,
    }


def received_payload(unit_code: str, applicant: dict[str, Any], code: str) -> dict[str, Any]:
    """Return a valid RECEIVED payload for a birth registration received at `unit_code`."""
    person = {
        "cccd": "031095001234",
        "name": "Nguyễn Văn An",
        "birth_date": "1995-04-02",
        "gender": "male",
        "phone": "0912345678",
        "address": "12 Lạch Tray",
        "residence_unit": RESIDENCE_UNIT,
        **applicant,
    }
    return {
        "code": code,
        "procedure_code": BIRTH,
        "catalogue_version": CATALOGUE_VERSION,
        "applicant": person,
        "channel": "counter",
        "receiving_unit": unit_code,
        "competent_unit": person["residence_unit"],
        "return_method": "counter",
        "return_address": None,
        "received_at": "2026-03-02T09:00:00+07:00",
        "due_at": "2026-03-03T09:00:00+07:00",
        "components": [
            {"component_id": "to_khai_khai_sinh", "pages": [page(new_id())]},
            {"component_id": "giay_chung_sinh", "pages": [page(new_id())]},
        ],
        "fee_vnd": 0,
    }


class City:
    """What the tests need to act as devices and staff of the city (handed out as a fixture)."""

    RECEIVING_UNIT = RECEIVING_UNIT
    RESIDENCE_UNIT = RESIDENCE_UNIT
    OTHER_UNIT = OTHER_UNIT
    BIRTH = BIRTH
    received_payload = staticmethod(received_payload)
    page = staticmethod(page)
    public_key_b64 = staticmethod(public_key_b64)

    def __init__(self, server: RunningServer):
        self.server = server
        self.base_url = server.base_url

    def enrol(self, unit_code: str = RECEIVING_UNIT) -> EnrolledDevice:
        """Enrol a new device of `unit_code`."""
        return enrol(self.server, unit_code)

    def staff(self, role: str, unit_code: str | None) -> httpx.Client:
        """Return an HTTP client logged in as a new staff member."""
        username = f"user-{secrets.token_hex(4)}"
        self.server.admin.add_staff(username, "mat-khau-123", role, unit_code)
        token = self.server.admin.login(username, "mat-khau-123")
        return httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )

    def admin(self) -> httpx.Client:
        """Return an HTTP client logged in as the city admin."""
        return httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {self.server.admin.token}"},
            timeout=30,
        )


@pytest.fixture
def city(server: RunningServer) -> City:
    """Helpers bound to this module's server."""
    return City(server)


@pytest.fixture
def device(server: RunningServer) -> Iterator[EnrolledDevice]:
    """A freshly enrolled device of the receiving unit."""
    enrolled = enrol(server)
    yield enrolled
    enrolled.http.close()
