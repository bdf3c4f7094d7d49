"""A signed device reads the pages of dossiers its unit may see, whole or from a byte on."""

from __future__ import annotations

import hashlib
import secrets

import httpx
import pytest

from core.events import EventType
from core.ids import new_id


@pytest.fixture
def routed_page(city, server, device):
    """A page stored in the city, of a dossier received at the counter and routed by residence."""
    data = secrets.token_bytes(5000)
    digest = hashlib.sha256(data).hexdigest()
    server.context.blobs.put(digest, data)
    payload = city.received_payload(device.unit_code, {}, device.next_code())
    payload["components"][0]["pages"][0].update(sha256=digest, bytes=len(data))
    answer = device.send([device.event(new_id(), EventType.RECEIVED, payload)]).json()
    assert answer["results"][0]["routed_to"] == city.RESIDENCE_UNIT
    return digest, data


def test_devices_of_the_receiving_and_the_competent_unit_read_the_page(city, device, routed_page):
    digest, data = routed_page
    residence = city.enrol(city.RESIDENCE_UNIT)
    for reader in (device, residence):
        reply = reader.http.get(f"/v1/blobs/{digest}")
        assert (reply.status_code, reply.content) == (200, data)
        assert reply.headers["Accept-Ranges"] == "bytes"


def test_a_device_of_another_unit_gets_the_same_404_as_for_no_such_page(city, routed_page):
    digest, _ = routed_page
    stranger = city.enrol(city.OTHER_UNIT)
    hidden = stranger.http.get(f"/v1/blobs/{digest}")
    absent = stranger.http.get(f"/v1/blobs/{hashlib.sha256(b'none').hexdigest()}")
    assert (hidden.status_code, hidden.json()["reason"]) == (404, "unknown_page")
    assert (absent.status_code, absent.json()["reason"]) == (404, "unknown_page")
    assert hidden.json()["detail_en"].replace(digest, "") == absent.json()["detail_en"].replace(
        hashlib.sha256(b"none").hexdigest(), ""
    )


@pytest.mark.parametrize(
    ("asked", "status", "part", "content_range"),
    [
        ("bytes=1000-", 206, slice(1000, None), "bytes 1000-4999/5000"),
        ("bytes=10-19", 206, slice(10, 20), "bytes 10-19/5000"),
        ("bytes=4990-9999", 206, slice(4990, None), "bytes 4990-4999/5000"),
        ("bytes=-100", 200, slice(None), None),  # a suffix range is not served: the whole page
        ("bytes=0-1,5-9", 200, slice(None), None),
    ],
)
def test_a_range_brings_the_rest_of_a_page(city, routed_page, asked, status, part, content_range):
    digest, data = routed_page
    residence = city.enrol(city.RESIDENCE_UNIT)
    reply = residence.http.get(f"/v1/blobs/{digest}", headers={"Range": asked})
    assert (reply.status_code, reply.content) == (status, data[part])
    assert reply.headers.get("Content-Range") == content_range


def test_a_range_past_the_end_is_refused_in_both_languages(city, routed_page):
    digest, _ = routed_page
    residence = city.enrol(city.RESIDENCE_UNIT)
    reply = residence.http.get(f"/v1/blobs/{digest}", headers={"Range": "bytes=5000-"})
    body = reply.json()
    assert (reply.status_code, body["reason"]) == (416, "range_not_satisfiable")
    assert "5000" in body["detail_vi"] and "5000" in body["detail_en"]


def test_a_page_needs_a_valid_signature_or_a_staff_token(city, device, routed_page):
    digest, data = routed_page
    anonymous = httpx.get(f"{city.base_url}/v1/blobs/{digest}")
    assert (anonymous.status_code, anonymous.json()["reason"]) == (401, "no_token")
    signed = device.http.get(f"/v1/blobs/{digest}")
    # A signed request's headers do not open another page (the path is signed, nonces once).
    other = httpx.get(
        f"{city.base_url}/v1/blobs/{hashlib.sha256(b'x').hexdigest()}",
        headers={k: v for k, v in signed.request.headers.items() if k.lower() != "host"},
    )
    assert other.status_code == 401
    officer = city.staff("processing_officer", city.RESIDENCE_UNIT)
    assert officer.get(f"/v1/blobs/{digest}").content == data
