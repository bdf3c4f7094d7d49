"""Requests carry a valid Ed25519 signature; a clock days off is corrected after one refusal."""

from __future__ import annotations

import time

import httpx
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core import signing
from sync.signing import ServerClock, SigningAuth

WINDOW = 300


def _verifying_handler(public_key, server_now, seen: list):
    """Return a transport handler that checks signatures like the city server's contract says."""

    def handle(request: httpx.Request) -> httpx.Response:
        params = signing.parse_signature_input(request.headers[signing.SIGNATURE_INPUT])
        assert signing.digest_matches(request.content, request.headers[signing.CONTENT_DIGEST])
        base = signing.signature_base(
            request.method,
            request.url.path,
            request.headers[signing.CONTENT_DIGEST],
            params["created"],
            params["nonce"],
            params["keyid"],
        )
        try:
            public_key.verify(signing.parse_signature(request.headers[signing.SIGNATURE]), base)
        except InvalidSignature:
            return httpx.Response(401, json={"reason": "bad signature"})
        seen.append(params)
        if abs(params["created"] - server_now()) > WINDOW:
            return httpx.Response(401, headers={signing.SERVER_TIME: str(int(server_now()))})
        return httpx.Response(200, json={"ok": True})

    return handle


@pytest.mark.parametrize("skew_days", [-7, 0, 7])
def test_skewed_clock_is_corrected_and_the_request_goes_through(skew_days):
    key = Ed25519PrivateKey.generate()
    seen: list = []
    skew = skew_days * 86400
    clock = ServerClock(wall=lambda: time.time() + skew)
    http = httpx.Client(
        base_url="http://city.test",
        transport=httpx.MockTransport(_verifying_handler(key.public_key(), time.time, seen)),
        auth=SigningAuth(key, "dev-01", clock),
    )
    response = http.post("/v1/events?x=1", content=b'{"events":[]}')
    assert response.status_code == 200
    assert len(seen) == (1 if skew_days == 0 else 2)
    assert abs(clock.now() - time.time()) < 5
    assert http.get("/v1/changes").status_code == 200
    assert len(seen) == (2 if skew_days == 0 else 3)
    assert len({params["nonce"] for params in seen}) == len(seen)


def test_a_wrong_key_is_refused_and_not_retried():
    seen: list = []
    http = httpx.Client(
        base_url="http://city.test",
        transport=httpx.MockTransport(
            _verifying_handler(Ed25519PrivateKey.generate().public_key(), time.time, seen)
        ),
        auth=SigningAuth(Ed25519PrivateKey.generate(), "dev-01", ServerClock()),
    )
    assert http.post("/v1/events", content=b"{}").status_code == 401
    assert seen == []


def test_server_clock_gives_milliseconds_for_the_hybrid_clock():
    clock = ServerClock(wall=lambda: 1000.0)
    clock.learn(server_time=1500.0)
    assert clock.now() == 1500.0
    assert clock.now_ms() == 1_500_000
