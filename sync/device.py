"""The device's identity with the city server: enrolment, and what it keeps afterwards.

Enrolment makes the device's Ed25519 key, redeems the one-time code, and stores the key and the
server's answer in the vault (encrypted), so every later sync can sign its requests.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sync.client import SyncClient
from sync.errors import NotEnrolled, ServerRefused
from sync.tus import KeyValue

__all__ = [
    "IDENTITY_KEY",
    "DeviceIdentity",
    "DeviceVault",
    "load_identity",
    "request_enrolment",
    "store_identity",
]

IDENTITY_KEY = "sync.device"


class DeviceVault(Protocol):
    """What enrolment needs from an unlocked vault session."""

    kv: KeyValue

    def device_key(self) -> Ed25519PrivateKey | None: ...
    def set_device_key(self, private_key: Ed25519PrivateKey) -> None: ...


@dataclass(frozen=True)
class DeviceIdentity:
    """Who this device is for the city server, and the server keys it trusts."""

    device_id: str
    unit_code: str
    server_url: str
    server_signing_key: str
    server_sealing_key: str
    agency_code: str
    device_slot: int

    def signing_key(self) -> Ed25519PublicKey:
        """Return the server key that signs commands (wipe) sent to this device."""
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(self.server_signing_key))

    def sealing_key(self) -> X25519PublicKey:
        """Return the city key that offline bundles are sealed to."""
        return X25519PublicKey.from_public_bytes(base64.b64decode(self.server_sealing_key))


def request_enrolment(
    client: SyncClient, server_url: str, code: str, label: str = ""
) -> tuple[DeviceIdentity, Ed25519PrivateKey, list[dict[str, Any]]]:
    """Redeem `code` with a fresh device key; return the identity, the key and the publications.

    The publications are every catalogue and calendar version the city has published, as
    ``{kind, version, body}``, so a device can work offline from its first day.

    :raises ServerRefused: the code is unknown, used or expired.
    :raises Offline: the server could not be reached.
    """
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    reply = client.enrol(code, public, label)
    try:
        identity = DeviceIdentity(
            device_id=reply["device_id"],
            unit_code=reply["unit_code"],
            server_url=server_url,
            server_signing_key=reply["server_signing_key"],
            server_sealing_key=reply["server_sealing_key"],
            agency_code=reply["code_issuer"]["agency_code"],
            device_slot=int(reply["code_issuer"]["device_slot"]),
        )
        publications = [p for p in reply["publications"] if isinstance(p, dict)]
    except (KeyError, TypeError, ValueError) as error:
        raise ServerRefused(201, "enrolment reply lacks a field", method="POST") from error
    return identity, key, publications


def store_identity(session: DeviceVault, identity: DeviceIdentity, key: Ed25519PrivateKey) -> None:
    """Keep the device key and identity in the vault (encrypted)."""
    session.set_device_key(key)
    session.kv.set(IDENTITY_KEY, asdict(identity))


def load_identity(session: DeviceVault, data_dir: str) -> tuple[DeviceIdentity, Ed25519PrivateKey]:
    """Return the stored identity and device key.

    :raises NotEnrolled: when the device was never enrolled.
    """
    stored: dict[str, Any] | None = session.kv.get(IDENTITY_KEY)
    key = session.device_key()
    if stored is None or key is None:
        raise NotEnrolled(data_dir)
    return DeviceIdentity(**stored), key
