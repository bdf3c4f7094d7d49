"""Blobs through the city server: signed tus uploads, the missing-hashes question, staff reads."""

from __future__ import annotations

import base64
import hashlib

import httpx

from core.events import EventType
from core.ids import new_id

TUS = {"Tus-Resumable": "1.0.0"}


def metadata(digest):
    return "sha256 " + base64.b64encode(digest.encode()).decode()


def test_a_signed_tus_upload_resumes_and_the_blob_appears_only_when_whole(device, city, server):
    scan = bytes(range(256)) * 400
    digest = hashlib.sha256(scan).hexdigest()
    assert device.http.post("/v1/blobs/missing", json={"hashes": [digest]}).json() == {
        "missing": [digest]
    }
    created = device.http.post(
        "/v1/files/",
        content=scan[:40_000],
        headers={
            **TUS,
            "Upload-Length": str(len(scan)),
            "Upload-Metadata": metadata(digest),
            "Content-Type": "application/offset+octet-stream",
        },
    )
    assert created.status_code == 201, created.text
    location = httpx.URL(created.headers["Location"]).path
    assert not server.context.blobs.has(digest)
    offset = int(device.http.head(location, headers=TUS).headers["Upload-Offset"])
    assert offset == 40_000
    stale = device.http.patch(
        location,
        content=scan[:10],
        headers={**TUS, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"},
    )
    assert stale.status_code == 409
    done = device.http.patch(
        location,
        content=scan[offset:],
        headers={
            **TUS,
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
        },
    )
    assert done.status_code == 204, done.text
    assert device.http.post("/v1/blobs/missing", json={"hashes": [digest]}).json() == {
        "missing": []
    }
    officer = city.staff("processing_officer", city.RESIDENCE_UNIT)
    stranger = city.staff("processing_officer", city.OTHER_UNIT)
    assert officer.get(f"/v1/blobs/{digest}").status_code == 404  # no dossier holds it yet
    payload = city.received_payload(device.unit_code, {}, device.next_code())
    payload["components"][0]["pages"][0]["sha256"] = digest
    device.send([device.event(new_id(), EventType.RECEIVED, payload)])
    assert officer.get(f"/v1/blobs/{digest}").content == scan
    refused = stranger.get(f"/v1/blobs/{digest}")
    assert (refused.status_code, refused.json()["reason"]) == (404, "unknown_page")


def test_tus_and_blob_questions_need_a_signature(city, device):
    unsigned = httpx.post(f"{city.base_url}/v1/files/", headers={**TUS, "Upload-Length": "3"})
    assert (unsigned.status_code, unsigned.json()["reason"]) == (401, "unsigned")
    bad = device.http.post("/v1/blobs/missing", json={"hashes": ["nothex"]})
    assert (bad.status_code, bad.json()["reason"]) == (400, "invalid_sha256")
    wrong_shape = device.http.post("/v1/blobs/missing", json={"hashes": "abc"})
    assert (wrong_shape.status_code, wrong_shape.json()["reason"]) == (422, "invalid_field")
