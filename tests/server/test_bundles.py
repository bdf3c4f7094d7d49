"""Offline bundles sealed by the device side (sync.bundle) and imported at the city."""

from __future__ import annotations

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from core.events import EventType
from sync.bundle import seal_bundle


def sealed(device, events, blobs, key=None):
    city_key = X25519PublicKey.from_public_bytes(
        base64.b64decode(device.enrolment["server_sealing_key"])
    )
    return seal_bundle(
        events, blobs, device_id=device.id, device_key=key or device.key, city_public_key=city_key
    )


def test_a_bundle_imports_once_and_a_second_import_changes_nothing(city, server):
    counter = city.enrol()
    scan = b"page bytes of a birth certificate"
    digest = hashlib.sha256(scan).hexdigest()
    received = counter.received()
    take = counter.event(received.dossier_id, EventType.PROCESSING_STARTED, {})
    bundle = sealed(counter, [received, take], {digest: scan})
    admin = city.admin()
    first = admin.post("/v1/bundles", content=bundle)
    assert first.status_code == 200, first.text
    assert [r["status"] for r in first.json()["results"]] == ["accepted", "accepted"]
    assert server.context.blobs.read(digest) == scan
    again = admin.post("/v1/bundles", content=bundle)
    assert again.json() == first.json()
    dossier = admin.get(f"/v1/dossiers/{received.dossier_id}").json()
    assert [e["id"] for e in dossier["events"]] == [received.id, take.id]
    resealed = admin.post("/v1/bundles", content=sealed(counter, [received, take], {}))
    assert [r["status"] for r in resealed.json()["results"]] == ["duplicate", "duplicate"]


def test_forged_tampered_and_foreign_bundles_are_refused(city):
    counter = city.enrol()
    admin = city.admin()
    forged = sealed(counter, [counter.received()], {}, key=Ed25519PrivateKey.generate())
    response = admin.post("/v1/bundles", content=forged)
    assert (response.status_code, response.json()["reason"]) == (401, "bad_signature")
    bundle = bytearray(sealed(counter, [counter.received()], {}))
    bundle[-80] ^= 1
    response = admin.post("/v1/bundles", content=bytes(bundle))
    assert (response.status_code, response.json()["reason"]) == (401, "bad_signature")
    response = admin.post("/v1/bundles", content=b"not a bundle at all" * 10)
    assert (response.status_code, response.json()["reason"]) == (422, "bad_bundle")
    officer = city.staff("processing_officer", city.RESIDENCE_UNIT)
    response = officer.post("/v1/bundles", content=bytes(bundle))
    assert (response.status_code, response.json()["reason"]) == (403, "forbidden_role")


def test_a_bundle_with_a_page_that_does_not_match_its_hash_stores_nothing(city, server):
    counter = city.enrol()
    received = counter.received()
    wrong = {hashlib.sha256(b"one").hexdigest(): b"another"}
    response = city.admin().post("/v1/bundles", content=sealed(counter, [received], wrong))
    assert response.status_code == 460
    assert city.admin().get(f"/v1/dossiers/{received.dossier_id}").status_code == 404
