"""Offline bundles: unconfirmed work sealed to the city's X25519 key and signed by the device.

The city server opens and imports them (server.bundles); the device only writes them.

Layout (shared contract with server/, which imports bundles)::

    b"SOHOA-BUNDLE\\x01" | header length (4 bytes, big-endian) | header JSON
    | AES-256-GCM ciphertext of the body JSON (aad = header JSON bytes)
    | Ed25519 signature by the device over every byte before it (64 bytes)

The header names the device, the creation time, the ephemeral X25519 public key and the nonce;
the key is HKDF-SHA256(X25519(ephemeral, city), salt=None, info=b"sohoa-bundle-v1"). The body is
``{"events": [wire events], "blobs": {sha256: base64 page bytes}}``.
"""

from __future__ import annotations

import base64
import json
import os
import struct
from datetime import UTC, datetime

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from core.events import Event

__all__ = ["MAGIC", "seal_bundle"]

MAGIC = b"SOHOA-BUNDLE\x01"
INFO = b"sohoa-bundle-v1"
_LENGTH = struct.Struct(">I")


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _key(shared: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(shared)


def seal_bundle(
    events: list[Event],
    blobs: dict[str, bytes],
    *,
    device_id: str,
    device_key: Ed25519PrivateKey,
    city_public_key: X25519PublicKey,
    created_at: datetime | None = None,
) -> bytes:
    """Return the sealed, signed bundle bytes for `events` and their page `blobs`.

    :param blobs: page bytes by their SHA-256 hex digest.
    :param city_public_key: the city's sealing key, handed out at enrolment.
    """
    ephemeral = X25519PrivateKey.generate()
    nonce = os.urandom(12)
    header = _canonical(
        {
            "device_id": device_id,
            "created_at": (created_at or datetime.now(UTC)).isoformat(),
            "ephemeral_public_key": base64.b64encode(
                ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
            ).decode(),
            "nonce": base64.b64encode(nonce).decode(),
        }
    )
    body = _canonical(
        {
            "events": [event.to_wire() for event in events],
            "blobs": {sha: base64.b64encode(data).decode() for sha, data in sorted(blobs.items())},
        }
    )
    sealed = AESGCM(_key(ephemeral.exchange(city_public_key))).encrypt(nonce, body, header)
    signed = MAGIC + _LENGTH.pack(len(header)) + header + sealed
    return signed + device_key.sign(signed)
