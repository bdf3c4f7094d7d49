"""Signed requests: forgeries, replays, skewed clocks, unknown, revoked and wiped devices."""

from __future__ import annotations

import base64
import time

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core import signing
from server.feed import canonical_json
from sync.signing import ServerClock, SigningAuth


def signed_headers(key, key_id, method, path, body=b"", created=None, nonce="n-1"):
    digest = signing.content_digest(body)
    created = int(time.time()) if created is None else created
    base = signing.signature_base(method, path, digest, created, nonce, key_id)
    return {
        signing.CONTENT_DIGEST: digest,
        signing.SIGNATURE_INPUT: signing.signature_input(created, nonce, key_id),
        signing.SIGNATURE: signing.signature_header(key.sign(base)),
    }


def reason(response):
    return response.status_code, response.json()["reason"]


def test_unsigned_and_malformed_requests_are_refused(city):
    url = f"{city.base_url}/v1/device"
    assert reason(httpx.get(url)) == (401, "unsigned")
    bad_input = {signing.SIGNATURE_INPUT: "sig1=()", signing.SIGNATURE: "sig1=:AA==:"}
    assert reason(httpx.get(url, headers=bad_input)) == (401, "bad_signature_input")


def test_a_replayed_request_is_refused(device, city):
    headers = signed_headers(device.key, device.id, "GET", "/v1/device", nonce="once")
    assert httpx.get(f"{city.base_url}/v1/device", headers=headers).status_code == 200
    replay = httpx.get(f"{city.base_url}/v1/device", headers=headers)
    assert reason(replay) == (401, "replayed")


def test_forged_signature_body_or_path_is_refused(device, city):
    forger = Ed25519PrivateKey.generate()
    forged = signed_headers(forger, device.id, "GET", "/v1/device", nonce="f1")
    assert reason(httpx.get(f"{city.base_url}/v1/device", headers=forged)) == (
        401,
        "bad_signature",
    )
    headers = signed_headers(
        device.key, device.id, "POST", "/v1/events", b'{"events":[]}', nonce="f2"
    )
    tampered = httpx.post(
        f"{city.base_url}/v1/events",
        content=b'{"events":[{}]}',
        headers={**headers, "Idempotency-Key": "k"},
    )
    assert reason(tampered) == (401, "bad_digest")
    other_path = signed_headers(device.key, device.id, "GET", "/v1/feed", nonce="f3")
    assert reason(httpx.get(f"{city.base_url}/v1/device", headers=other_path)) == (
        401,
        "bad_signature",
    )


def test_unknown_device_is_refused(city):
    key = Ed25519PrivateKey.generate()
    headers = signed_headers(key, "01a21bac-0000-7000-8000-000000000000", "GET", "/v1/device")
    assert reason(httpx.get(f"{city.base_url}/v1/device", headers=headers)) == (
        401,
        "unknown_device",
    )


def test_a_skewed_clock_learns_server_time_and_succeeds(device, city):
    stale = signed_headers(
        device.key, device.id, "GET", "/v1/device", created=int(time.time()) - 7 * 86400
    )
    refused = httpx.get(f"{city.base_url}/v1/device", headers=stale)
    assert reason(refused) == (401, "clock_skew")
    assert abs(int(refused.headers["X-Server-Time"]) - time.time()) < 5
    week_ahead = ServerClock(offset=7 * 86400)
    http = httpx.Client(base_url=city.base_url, auth=SigningAuth(device.key, device.id, week_ahead))
    assert http.get("/v1/device").status_code == 200
    assert abs(week_ahead.now() - time.time()) < 5


def test_revoked_devices_are_refused(city):
    device = city.enrol()
    admin = city.admin()
    assert admin.post(f"/v1/admin/devices/{device.id}/revoke").json()["status"] == "revoked"
    assert reason(device.http.get("/v1/device")) == (403, "device_revoked")
    assert reason(device.http.get("/v1/feed")) == (403, "device_revoked")


def test_a_wiped_device_only_gets_its_signed_wipe_command(city, server):
    device = city.enrol()
    device.send([device.received()])
    command = city.admin().post(f"/v1/admin/devices/{device.id}/wipe").json()["command"]
    assert reason(device.http.get("/v1/device")) == (403, "device_revoked")
    items = device.http.get("/v1/feed").json()["items"]
    assert [item["kind"] for item in items] == ["command"]
    body = items[0]["body"]
    assert body == command and body["command"] == "wipe"
    unsigned = {k: v for k, v in body.items() if k != "signature"}
    public = Ed25519PublicKey.from_public_bytes(
        base64.b64decode(device.enrolment["server_signing_key"])
    )
    public.verify(base64.b64decode(body["signature"]), canonical_json(unsigned).encode())


def test_an_enrolment_code_works_once(city, server):
    code = server.admin.enrolment_code(city.RECEIVING_UNIT)
    key = city.public_key_b64(Ed25519PrivateKey.generate())
    first = httpx.post(f"{city.base_url}/v1/enrol", json={"code": code, "public_key": key})
    again = httpx.post(f"{city.base_url}/v1/enrol", json={"code": code, "public_key": key})
    assert first.status_code == 201
    assert reason(again) == (409, "code_used")
    wrong = httpx.post(
        f"{city.base_url}/v1/enrol", json={"code": "AAAA-BBBB-CCCC", "public_key": key}
    )
    assert reason(wrong) == (401, "bad_enrolment_code")
    short_key = httpx.post(
        f"{city.base_url}/v1/enrol",
        json={"code": server.admin.enrolment_code(city.RECEIVING_UNIT), "public_key": "AAAA"},
    )
    assert reason(short_key) == (400, "bad_public_key")
