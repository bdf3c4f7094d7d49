"""Fixtures for the vault tests: a fast-KDF vault in a temporary data dir and dossier factories."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from core.clock import HybridClock
from core.events import Event, EventType, make_event
from core.ids import new_id
from storage import Session, Vault

# Scrypt N = 2^10 keeps each unlock ~1 ms in tests; the real cost is measured in bench/store.py.
TEST_KDF_COST = 1 << 10
UNIT = "11311"
PIN = "24681357"
VIETNAM = timezone(timedelta(hours=7))


class FakeClock:
    """A settable wall clock in Unix milliseconds (lockout delays without sleeping)."""

    def __init__(self, now_ms: int = 1_767_225_600_000):
        self.now_ms = now_ms

    def __call__(self) -> int:
        return self.now_ms


def page_bytes(label: str, size: int = 3000) -> bytes:
    """Return deterministic pseudo-image bytes (a JPEG header, then noise seeded by `label`)."""
    seed = hashlib.sha256(label.encode()).digest()
    body = b"".join(hashlib.sha256(seed + i.to_bytes(4, "big")).digest() for i in range(size // 32))
    return b"\xff\xd8\xff\xe0" + body


def received_events(
    *,
    name: str = "Nguyễn Văn An",
    cccd: str = "001203004567",
    address: str = "Số 5 ngõ Trại Cau, Lê Chân, Hải Phòng",
    phone: str = "0912345678",
    code: str | None = None,
    pages: dict[str, bytes] | None = None,
    received_at: datetime | None = None,
    clock: HybridClock | None = None,
) -> list[Event]:
    """Return the RECEIVED event of a new dossier with the given applicant and pages."""
    clock = clock or HybridClock("tablet-1")
    received_at = received_at or datetime(2026, 1, 5, 9, 30, tzinfo=VIETNAM)
    dossier_id = new_id()
    page_meta = [
        {"sha256": sha, "media_type": "image/jpeg", "mode": "RGB", "dpi": 200, "bytes": len(data)}
        for sha, data in (pages or {}).items()
    ]
    payload = {
        "code": code or f"H31.37-{dossier_id[-6:]}",
        "procedure_code": "1.001193",
        "catalogue_version": "2026.01",
        "applicant": {
            "cccd": cccd,
            "name": name,
            "birth_date": "1990-02-03",
            "gender": "male",
            "phone": phone,
            "address": address,
        },
        "channel": "counter",
        "receiving_unit": UNIT,
        "competent_unit": UNIT,
        "return_method": "counter",
        "return_address": None,
        "received_at": received_at.isoformat(),
        "due_at": (received_at + timedelta(days=5)).isoformat(),
        "components": [{"component_id": "tk", "pages": page_meta}] if page_meta else [],
        "fee_vnd": 0,
    }
    return [
        make_event(
            dossier_id,
            EventType.RECEIVED,
            payload,
            clock=clock,
            device_id="tablet-1",
            officer_id="cb01",
            unit_code=UNIT,
        )
    ]


def pages_of(*labels: str) -> dict[str, bytes]:
    """Return {sha256: bytes} for pseudo-pages named by `labels`."""
    return {hashlib.sha256(d).hexdigest(): d for d in (page_bytes(label) for label in labels)}


def all_bytes(directory: Path) -> bytes:
    """Return every file under `directory` concatenated (for leak scans)."""
    return b"".join(
        (Path(root) / name).read_bytes()
        for root, _, names in os.walk(directory)
        for name in sorted(names)
    )


class Kit:
    """The helpers above, handed to tests as the `kit` fixture (conftest is not importable)."""

    PIN = PIN
    UNIT = UNIT
    TEST_KDF_COST = TEST_KDF_COST
    page_bytes = staticmethod(page_bytes)
    pages_of = staticmethod(pages_of)
    received_events = staticmethod(received_events)
    all_bytes = staticmethod(all_bytes)


@pytest.fixture
def kit() -> type[Kit]:
    return Kit


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(data_dir: Path, clock: FakeClock) -> Iterator[Vault]:
    created = Vault.create(
        data_dir,
        unit_code=UNIT,
        officer_name="Trần Thị Bình",
        pin=PIN,
        kdf_cost=TEST_KDF_COST,
        clock=clock,
    )
    yield created
    if (data_dir / "vault.db").exists():
        created.close()


@pytest.fixture
def session(vault: Vault) -> Session:
    return vault.unlock(vault.officers()[0].id, PIN)
