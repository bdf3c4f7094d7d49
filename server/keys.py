"""The server's own keys: Ed25519 signs commands, X25519 seals bundles, AES encrypts blobs."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

__all__ = ["ServerKeys", "load_or_create_keys"]

SIGNING_FILE = "signing.ed25519"
SEALING_FILE = "sealing.x25519"
BLOB_KEY_FILE = "blobs.aes256"


def _raw_public(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class ServerKeys:
    """The signing and sealing private keys and the blob key of one city server."""

    signing: Ed25519PrivateKey
    sealing: X25519PrivateKey
    blob_key: bytes

    @property
    def signing_public_b64(self) -> str:
        """The Ed25519 public key devices check server commands with (raw, base64)."""
        return base64.b64encode(_raw_public(self.signing)).decode()

    @property
    def sealing_public_b64(self) -> str:
        """The X25519 public key devices seal offline bundles to (raw, base64)."""
        return base64.b64encode(_raw_public(self.sealing)).decode()

    def sign(self, message: bytes) -> str:
        """Return the base64 Ed25519 signature of `message`."""
        return base64.b64encode(self.signing.sign(message)).decode()


def _raw_private(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def _load_or_create(path: Path, generate, load, dump):  # type: ignore[no-untyped-def]
    if path.exists():
        return load(path.read_bytes())
    key = generate()
    raw = dump(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write to a private temp file, then rename, so a crash never leaves half a key behind.
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(raw)
    os.replace(temp, path)
    return key


def load_or_create_keys(keys_dir: Path) -> ServerKeys:
    """Load the server's keys from `keys_dir`, making them on first start."""
    signing = _load_or_create(
        keys_dir / SIGNING_FILE,
        Ed25519PrivateKey.generate,
        Ed25519PrivateKey.from_private_bytes,
        _raw_private,
    )
    sealing = _load_or_create(
        keys_dir / SEALING_FILE,
        X25519PrivateKey.generate,
        X25519PrivateKey.from_private_bytes,
        _raw_private,
    )
    blob_key = _load_or_create(
        keys_dir / BLOB_KEY_FILE, lambda: os.urandom(32), lambda raw: raw, lambda raw: raw
    )
    return ServerKeys(signing=signing, sealing=sealing, blob_key=blob_key)
