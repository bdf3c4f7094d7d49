"""Offline bundles: open a sealed, device-signed bundle and import it exactly once.

Layout (the shared contract): ``MAGIC`` + 4-byte big-endian header length + header JSON
``{device_id, created_at, ephemeral_public_key, nonce}`` + AES-256-GCM ciphertext of
``{events, blobs}`` (key from X25519 with the city sealing key and HKDF-SHA256, header as
associated data) + a 64-byte Ed25519 signature by the device over everything before it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from server.context import ServerContext
from server.devices import get_device
from server.errors import BadRequest, Forbidden, Unauthorised
from server.idempotency import replay_or_run
from server.ingest import Origin, ingest_events

__all__ = ["MAGIC", "OpenedBundle", "import_bundle", "open_bundle"]

MAGIC = b"SOHOA-BUNDLE\x01"
SIGNATURE_SIZE = 64
HKDF_INFO = b"sohoa-bundle-v1"


@dataclass(frozen=True)
class OpenedBundle:
    """What a verified, decrypted bundle carries."""

    device_id: str
    digest: str
    events: list
    blobs: dict[str, bytes]


def _malformed(detail: str) -> BadRequest:
    return BadRequest(
        f"Gói ngoại tuyến hỏng: {detail}",
        f"The offline bundle is malformed: {detail}",
        code="bad_bundle",
        status=422,
    )


def _split(raw: bytes) -> tuple[dict, bytes, bytes, bytes]:
    if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + 4 + SIGNATURE_SIZE:
        raise _malformed("not a SoHoa bundle")
    (header_length,) = struct.unpack(">I", raw[len(MAGIC) : len(MAGIC) + 4])
    header_end = len(MAGIC) + 4 + header_length
    if header_end > len(raw) - SIGNATURE_SIZE:
        raise _malformed("header length out of range")
    header_bytes = raw[len(MAGIC) + 4 : header_end]
    try:
        header = json.loads(header_bytes)
        if not isinstance(header, dict):
            raise ValueError("header is not an object")
        for name in ("device_id", "ephemeral_public_key", "nonce"):
            if not isinstance(header.get(name), str):
                raise ValueError(f"header.{name} missing")
    except ValueError as exc:
        raise _malformed(str(exc)) from exc
    return header, header_bytes, raw[header_end : len(raw) - SIGNATURE_SIZE], raw[-SIGNATURE_SIZE:]


def _decrypt(context: ServerContext, header: dict, header_bytes: bytes, ciphertext: bytes) -> dict:
    try:
        ephemeral = X25519PublicKey.from_public_bytes(
            base64.b64decode(header["ephemeral_public_key"], validate=True)
        )
        nonce = base64.b64decode(header["nonce"], validate=True)
        shared = context.keys.sealing.exchange(ephemeral)
        key = HKDF(algorithm=SHA256(), length=32, salt=None, info=HKDF_INFO).derive(shared)
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, header_bytes)
        body = json.loads(plaintext)
    except (binascii.Error, ValueError, InvalidTag) as exc:
        raise _malformed("cannot be decrypted with this city's sealing key") from exc
    if not isinstance(body, dict) or not isinstance(body.get("events"), list):
        raise _malformed("body has no events list")
    if not isinstance(body.get("blobs", {}), dict):
        raise _malformed("body.blobs is not an object")
    return body


def open_bundle(context: ServerContext, raw: bytes) -> OpenedBundle:
    """Check the device signature, decrypt, and return the bundle's events and blobs.

    :raises BadRequest: 422 bad_bundle when the bytes are not a bundle sealed to this city
    :raises Unauthorised: unknown device or bad signature
    :raises Forbidden: the device was revoked or is being wiped
    """
    header, header_bytes, ciphertext, signature = _split(raw)
    with context.db.read() as conn:
        device = get_device(conn, header["device_id"])
    if device is None:
        raise Unauthorised("Thiết bị chưa đăng ký", "Unknown device", code="unknown_device")
    if device.status != "active":
        raise Forbidden("Thiết bị đã bị thu hồi", "The device was revoked", code="device_revoked")
    try:
        Ed25519PublicKey.from_public_bytes(device.public_key).verify(
            signature, raw[:-SIGNATURE_SIZE]
        )
    except InvalidSignature as exc:
        raise Unauthorised(
            "Chữ ký gói không hợp lệ", "The bundle signature is invalid", code="bad_signature"
        ) from exc
    body = _decrypt(context, header, header_bytes, ciphertext)
    try:
        blobs = {
            name: base64.b64decode(data, validate=True)
            for name, data in body.get("blobs", {}).items()
        }
    except (binascii.Error, TypeError, ValueError) as exc:
        raise _malformed("a blob is not base64") from exc
    return OpenedBundle(
        device_id=device.id,
        digest=hashlib.sha256(raw).hexdigest(),
        events=body["events"],
        blobs=blobs,
    )


def import_bundle(context: ServerContext, raw: bytes) -> dict:
    """Import a bundle: blobs first (verified against their names), then its events once.

    Importing the same bundle again stores nothing new and answers as the first time.
    """
    bundle = open_bundle(context, raw)
    for name, data in bundle.blobs.items():
        context.blobs.put(name, data)
    with context.db.read() as conn:
        device = get_device(conn, bundle.device_id)
    assert device is not None
    origin = Origin(unit_code=device.unit_code, device_id=device.id, device_slot=device.slot)
    answer, _ = replay_or_run(
        context.db,
        device.id,
        f"bundle:{bundle.digest}",
        bundle.digest,
        lambda conn: {
            "device_id": device.id,
            "blobs": sorted(bundle.blobs),
            "results": ingest_events(conn, bundle.events, origin),
        },
    )
    return answer
