"""Builders for dossier events, shared by the event, dossier and figures tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.clock import HybridClock
from core.events import Event, EventType, make_event
from core.ids import new_id

RECEIVED_AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC) - timedelta(hours=7)  # 08:00 in Vietnam
SHA_A = "a" * 64
SHA_B = "b" * 64


def page(sha256: str = SHA_A) -> dict[str, Any]:
    """Return one scanned page reference."""
    return {"sha256": sha256, "media_type": "image/jpeg", "mode": "color", "dpi": 200, "bytes": 1}


def received_payload(**changes: Any) -> dict[str, Any]:
    """Return a valid RECEIVED payload (a birth registration at the counter), with `changes`."""
    payload: dict[str, Any] = {
        "code": "000.00.31.H31-260302-0001",
        "procedure_code": "1.001193",
        "catalogue_version": "2026.1",
        "applicant": {
            "cccd": "031090000123",
            "name": "Nguyễn Văn An",
            "birth_date": "1990-05-17",
            "gender": "male",
            "phone": "0912345678",
            "address": "12 Lạch Tray, Hải Phòng",
        },
        "channel": "counter",
        "receiving_unit": "11311",
        "competent_unit": "11311",
        "return_method": "counter",
        "return_address": None,
        "received_at": RECEIVED_AT.isoformat(),
        "due_at": (RECEIVED_AT + timedelta(days=3)).isoformat(),
        "components": [{"component_id": "to-khai", "pages": [page()]}],
        "fee_vnd": 8000,
    }
    payload.update(changes)
    return payload


class FakeTime:
    """A physical clock the test sets by hand (Unix milliseconds)."""

    def __init__(self, start: datetime = RECEIVED_AT) -> None:
        self.ms = int(start.timestamp() * 1000)

    def __call__(self) -> int:
        return self.ms

    def advance(self, **delta: float) -> None:
        self.ms += int(timedelta(**delta).total_seconds() * 1000)


class Desk:
    """One device acting on one dossier, stamping events with its own clock."""

    page = staticmethod(page)
    received_payload = staticmethod(received_payload)

    def __init__(self, dossier_id: str, device: str = "tablet-1", time: FakeTime | None = None):
        self.dossier_id = dossier_id
        self.device = device
        self.time = time or FakeTime()
        self.clock = HybridClock(device, now_ms=self.time)

    def make(self, type: EventType, payload: dict[str, Any] | None = None) -> Event:
        return make_event(
            self.dossier_id,
            type,
            payload or {},
            clock=self.clock,
            device_id=self.device,
            officer_id="cb-01",
            unit_code="11311",
        )

    def receive(self, **changes: Any) -> Event:
        return self.make(EventType.RECEIVED, received_payload(**changes))

    def other_device(self, device: str) -> Desk:
        """Return a desk on another device that has seen this one's clock."""
        other = Desk(self.dossier_id, device, FakeTime())
        other.time.ms = self.time.ms
        other.clock.observe(self.clock.last)
        return other


@pytest.fixture
def new_desk() -> type[Desk]:
    """The Desk class, to open desks for more dossiers or devices."""
    return Desk


@pytest.fixture
def desk() -> Desk:
    """A desk on tablet-1 for a fresh dossier, its clock at 08:00 on Monday 2 March 2026."""
    return Desk(new_id())
