"""Check a device's signed request (after RFC 9421): digest, time, nonce, key and signature."""

from __future__ import annotations

import random
import time
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from core import signing
from server.db import Database
from server.devices import Device, get_device
from server.errors import Forbidden, Unauthorised
from server.schema import nonces

__all__ = ["verify_signed_request"]

# Clean the nonce table now and then rather than on every request.
NONCE_PURGE_CHANCE = 0.01


def _refuse(
    reason: str, vi: str, en: str, headers: Mapping[str, str] | None = None
) -> Unauthorised:
    return Unauthorised(vi, en, code=reason, headers=headers)


def _parameters(header: str) -> tuple[int, str, str]:
    try:
        params = signing.parse_signature_input(header)
    except signing.SignatureFormatError as exc:
        raise _refuse(
            "bad_signature_input",
            "Signature-Input sai dạng",
            "The Signature-Input header is malformed",
        ) from exc
    return int(params["created"]), str(params["nonce"]), str(params["keyid"])  # type: ignore[call-overload]


def verify_signed_request(
    db: Database,
    *,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    skew_seconds: int,
    allow_wiping: bool = False,
) -> Device:
    """Return the device that signed this request, consuming its nonce.

    :param path: the request path without its query string, as the device signed it
    :param allow_wiping: let a device being wiped through (only the feed, to fetch the command)
    :raises Unauthorised: missing or bad headers, clock skew (with ``X-Server-Time``), unknown
        device, bad signature, replayed nonce
    :raises Forbidden: the device was revoked
    """
    signature_input, signature = headers.get("signature-input"), headers.get("signature")
    if not signature_input or not signature:
        raise _refuse("unsigned", "Yêu cầu chưa được ký", "The request is not signed")
    created, nonce, key_id = _parameters(signature_input)
    now = time.time()
    if abs(created - now) > skew_seconds:
        raise _refuse(
            "clock_skew",
            "Đồng hồ thiết bị lệch quá 5 phút; hãy chỉnh theo X-Server-Time và thử lại",
            "The device clock is off by more than 5 minutes; use X-Server-Time and retry",
            {"X-Server-Time": str(int(now))},
        )
    digest = headers.get("content-digest", "")
    if not signing.digest_matches(body, digest):
        raise _refuse(
            "bad_digest", "Content-Digest không khớp nội dung", "Content-Digest does not match"
        )
    with db.read() as conn:
        device = get_device(conn, key_id)
    if device is None:
        raise _refuse("unknown_device", "Thiết bị chưa đăng ký", "Unknown device")
    if device.status == "revoked" or (device.status == "wiping" and not allow_wiping):
        raise Forbidden("Thiết bị đã bị thu hồi", "The device was revoked", code="device_revoked")
    try:
        base = signing.signature_base(method.upper(), path, digest, created, nonce, key_id)
        Ed25519PublicKey.from_public_bytes(device.public_key).verify(
            signing.parse_signature(signature), base
        )
    except (InvalidSignature, signing.SignatureFormatError) as exc:
        raise _refuse("bad_signature", "Chữ ký không hợp lệ", "The signature is invalid") from exc
    try:
        with db.write(serialised=False) as conn:
            if random.random() < NONCE_PURGE_CHANCE:
                conn.execute(delete(nonces).where(nonces.c.expires_at < now))
            conn.execute(
                nonces.insert().values(
                    device_id=device.id, nonce=nonce, expires_at=created + 2 * skew_seconds
                )
            )
    except IntegrityError as exc:
        raise _refuse("replayed", "Yêu cầu bị gửi lại", "The request was replayed") from exc
    return device
