"""Sign every request of an enrolled device with its Ed25519 key (RFC 9421 via core.signing).

The device's wall clock may be days off on an island with no network time. When the server
refuses the signature time, it answers 401 with X-Server-Time; the signer learns the offset and
signs the same request once more, so a skewed clock never stops a sync.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Generator

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core import signing

__all__ = ["ServerClock", "SigningAuth"]


class ServerClock:
    """The device's best guess of the city server's time: its own clock plus a learned offset.

    ::

        clock = ServerClock()
        clock.learn(server_time=1_700_000_000)   # from an X-Server-Time header
        clock.now()                              # close to 1_700_000_000 whatever the tablet says
    """

    def __init__(self, offset: float = 0.0, *, wall: Callable[[], float] = time.time):
        self.offset = offset
        self._wall = wall
        self._lock = threading.Lock()

    def now(self) -> float:
        """Return the estimated server time in Unix seconds."""
        with self._lock:
            return self._wall() + self.offset

    def now_ms(self) -> int:
        """Return the estimated server time in Unix milliseconds (a HybridClock time source)."""
        return int(self.now() * 1000)

    def learn(self, server_time: float) -> None:
        """Adopt the offset implied by a server time read just now."""
        with self._lock:
            self.offset = server_time - self._wall()


class SigningAuth(httpx.Auth):
    """An httpx auth flow that signs method, path and body digest with the device key.

    ::

        auth = SigningAuth(private_key, key_id="dev-01", clock=ServerClock())
        http = httpx.Client(base_url=url, auth=auth)
    """

    requires_request_body = True

    def __init__(self, private_key: Ed25519PrivateKey, key_id: str, clock: ServerClock):
        self.private_key = private_key
        self.key_id = key_id
        self.clock = clock

    def sign(self, request: httpx.Request) -> None:
        """Set the Content-Digest, Signature-Input and Signature headers of `request`."""
        digest = signing.content_digest(request.content)
        created = int(self.clock.now())
        nonce = secrets.token_urlsafe(12)
        path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
        base = signing.signature_base(request.method, path, digest, created, nonce, self.key_id)
        request.headers[signing.CONTENT_DIGEST] = digest
        request.headers[signing.SIGNATURE_INPUT] = signing.signature_input(
            created, nonce, self.key_id
        )
        request.headers[signing.SIGNATURE] = signing.signature_header(self.private_key.sign(base))

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign and send; after a clock-skew refusal, learn the server time and send once more."""
        self.sign(request)
        response = yield request
        server_time = _server_time(response)
        if response.status_code == 401 and server_time is not None:
            drift = abs(server_time - self.clock.now())
            if drift > 1:
                self.clock.learn(server_time)
                self.sign(request)
                yield request


def _server_time(response: httpx.Response) -> float | None:
    value = response.headers.get(signing.SERVER_TIME)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
