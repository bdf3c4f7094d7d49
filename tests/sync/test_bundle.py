"""Offline bundles: the city imports them once, the feed confirms them, nothing is sent twice."""

from __future__ import annotations

import json
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.errors import SohoaError
from server.bundles import import_bundle
from sync.bundle import MAGIC, seal_bundle
from sync.engine import RunReport


def _layout(data: bytes) -> tuple[dict, bytes, bytes]:
    (length,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    header = json.loads(data[len(MAGIC) + 4 : len(MAGIC) + 4 + length])
    return header, data[:-64], data[-64:]


def test_bundle_layout_is_the_shared_contract(city, tmp_path, kit):
    device = kit.enrol_device(city, tmp_path / "device")
    kit.receive(device, 1)
    data, events, pages = device.export_bundle()
    assert (events, pages) == (1, 2)
    header, signed, signature = _layout(data)
    assert data.startswith(MAGIC)
    assert set(header) == {"device_id", "created_at", "ephemeral_public_key", "nonce"}
    assert header["device_id"] == device.identity.device_id
    device.key.public_key().verify(signature, signed)
    assert b"Nguy" not in data
    device.close()


def test_import_twice_then_sync_online_changes_nothing(city, tmp_path, kit):
    device = kit.enrol_device(city, tmp_path / "device")
    events = [kit.receive(device, seed) for seed in range(3)]
    data, _, _ = device.export_bundle()
    first = import_bundle(city.context, data)
    again = import_bundle(city.context, data)
    assert [r["status"] for r in first["results"]] == ["accepted"] * 3
    assert [r["status"] for r in again["results"]] in (["accepted"] * 3, ["duplicate"] * 3)
    assert set(kit.server_events(city)) == {event.id for event in events}
    # Still unconfirmed on the device until the change feed says the city has them.
    assert len(device.session.outbox.pending_events()) == 3
    with device.http() as http:
        engine = device.engine(http)
        engine.pull_feed(RunReport())
        assert device.session.outbox.pending_events() == []
        assert device.session.outbox.pending_blobs() == []
        report = engine.run_once()
    assert (report.blobs_uploaded, report.events_confirmed, report.feed_events) == (0, 0, 0)
    assert set(kit.server_events(city)) == {event.id for event in events}
    device.close()


def test_a_tampered_bundle_is_refused_and_imports_nothing(city, tmp_path, kit):
    device = kit.enrol_device(city, tmp_path / "device")
    kit.receive(device, 5)
    data = bytearray(device.export_bundle()[0])
    data[len(data) // 2] ^= 0x01
    with pytest.raises(SohoaError):
        import_bundle(city.context, bytes(data))
    assert kit.server_events(city) == {}
    device.close()


def test_a_bundle_signed_by_another_key_is_refused(city, tmp_path, kit, make_dossier):
    device = kit.enrol_device(city, tmp_path / "device")
    event, pages = make_dossier(1, device_id=device.identity.device_id)
    data = seal_bundle(
        [event],
        pages,
        device_id=device.identity.device_id,
        device_key=Ed25519PrivateKey.generate(),
        city_public_key=device.identity.sealing_key(),
    )
    with pytest.raises(SohoaError):
        import_bundle(city.context, data)
    device.close()
