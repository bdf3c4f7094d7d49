"""The vault's cryptography, kept to what cryptography 43 offers on phones and tablets.

AES-256-GCM for values (random 96-bit nonces, associated data naming where a value belongs),
AES key wrap for key envelopes, Scrypt + HKDF for PIN slots, X25519 for sealing a key to a public
key, truncated HMAC-SHA256 for blind indexes, and chunked AES-GCM for page images.
"""

from __future__ import annotations

import hmac
import os
import struct
from collections.abc import Iterator
from hashlib import sha256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

from storage.errors import TamperedData

__all__ = [
    "BLOB_CHUNK",
    "KEY_BYTES",
    "SCRYPT_COST",
    "associated_data",
    "blind_index",
    "decrypt_chunks",
    "derive_key",
    "encrypt_chunks",
    "new_key",
    "open_box",
    "open_sealed_key",
    "pin_key",
    "public_bytes",
    "seal",
    "seal_key_to",
    "unwrap_key",
    "wrap_key",
]

KEY_BYTES = 32
NONCE_BYTES = 12
# Scrypt N (r=8, p=1): 2^17 takes ~0.36 s and 128 MiB on this machine (bench/store.py prints it).
SCRYPT_COST = 1 << 17
BLOB_CHUNK = 64 * 1024
_BLOB_MAGIC = b"SHB1"
_CHUNK_HEADER = struct.Struct(">I")


def new_key() -> bytes:
    """Return 32 fresh random bytes for a key."""
    return os.urandom(KEY_BYTES)


def associated_data(table: str, column: str, record: str, unit_code: str) -> bytes:
    """Return the associated data that binds a value to its table, column, record and unit."""
    return f"sohoa-v1|{table}|{column}|{record}|{unit_code}".encode()


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt `plaintext` with AES-256-GCM; the result is nonce ‖ ciphertext ‖ tag."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_box(key: bytes, box: bytes, aad: bytes, where: str) -> bytes:
    """Decrypt what `seal` made.

    :raises TamperedData: when the bytes, the key or the associated data do not match.
    """
    try:
        return AESGCM(key).decrypt(box[:NONCE_BYTES], box[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError) as exc:
        raise TamperedData(where) from exc


def wrap_key(kek: bytes, key: bytes) -> bytes:
    """Wrap `key` under `kek` with AES key wrap (RFC 3394)."""
    return aes_key_wrap(kek, key)


def unwrap_key(kek: bytes, wrapped: bytes, where: str) -> bytes:
    """Unwrap what `wrap_key` made.

    :raises TamperedData: when the wrapped bytes or the key-encryption key are wrong.
    """
    try:
        return aes_key_unwrap(kek, wrapped)
    except (InvalidUnwrap, ValueError) as exc:
        raise TamperedData(where) from exc


def derive_key(key: bytes, label: str) -> bytes:
    """Derive an independent 32-byte key for one purpose (`label`) with HKDF-SHA256."""
    return HKDF(hashes.SHA256(), KEY_BYTES, salt=None, info=label.encode()).derive(key)


def pin_key(pin: str, salt: bytes, cost: int, device_secret: bytes, context: str) -> bytes:
    """Return a slot key from Scrypt(PIN) combined with the device secret.

    Both are needed: the PIN alone (without the keystore) or the device secret alone
    (without the PIN) opens nothing.
    """
    stretched = Scrypt(salt=salt, length=KEY_BYTES, n=cost, r=8, p=1).derive(pin.encode())
    return HKDF(
        hashes.SHA256(), KEY_BYTES, salt=salt, info=f"sohoa-slot|{context}".encode()
    ).derive(stretched + device_secret)


def public_bytes(private_key: X25519PrivateKey) -> bytes:
    """Return the raw 32-byte X25519 public key of `private_key`."""
    return private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def _sealing_key(shared: bytes, ephemeral_public: bytes) -> bytes:
    return HKDF(hashes.SHA256(), KEY_BYTES, salt=ephemeral_public, info=b"sohoa-keyslot-v1").derive(
        shared
    )


def seal_key_to(recipient_public: bytes, secret: bytes, aad: bytes) -> bytes:
    """Seal `secret` to an X25519 public key: ephemeral public ‖ AES-GCM box."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = public_bytes(ephemeral)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    return ephemeral_public + seal(_sealing_key(shared, ephemeral_public), secret, aad)


def open_sealed_key(private_key: X25519PrivateKey, sealed: bytes, aad: bytes, where: str) -> bytes:
    """Open what `seal_key_to` made with the recipient's private key.

    :raises TamperedData: when the sealed bytes or the associated data do not match.
    """
    ephemeral_public = sealed[:KEY_BYTES]
    try:
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    except ValueError as exc:
        raise TamperedData(where) from exc
    return open_box(_sealing_key(shared, ephemeral_public), sealed[KEY_BYTES:], aad, where)


def blind_index(key: bytes, value: str, bits: int = 16) -> int:
    """Return a keyed, truncated HMAC-SHA256 of `value`: equal values give equal numbers."""
    digest = hmac.new(key, value.encode(), sha256).digest()
    return int.from_bytes(digest[:4], "big") >> (32 - bits)


def _chunk_aad(aad: bytes, index: int, final: bool) -> bytes:
    return aad + f"|{index}|{int(final)}".encode()


def encrypt_chunks(key: bytes, data: bytes, aad: bytes) -> Iterator[bytes]:
    """Yield the encrypted file of `data`: a magic, then length-prefixed AES-GCM chunks.

    Each chunk's associated data carries its index and whether it is the last one, so chunks
    cannot be reordered, dropped or cut off without detection.
    """
    yield _BLOB_MAGIC
    count = max(1, -(-len(data) // BLOB_CHUNK))
    for index in range(count):
        piece = data[index * BLOB_CHUNK : (index + 1) * BLOB_CHUNK]
        box = seal(key, piece, _chunk_aad(aad, index, index == count - 1))
        yield _CHUNK_HEADER.pack(len(box)) + box


def decrypt_chunks(key: bytes, raw: bytes, aad: bytes, where: str) -> bytes:
    """Decrypt what `encrypt_chunks` made.

    :raises TamperedData: on a bad magic, a flipped bit, a reordered or missing chunk.
    """
    if not raw.startswith(_BLOB_MAGIC):
        raise TamperedData(where)
    position, index, parts = len(_BLOB_MAGIC), 0, []
    while True:
        if position + _CHUNK_HEADER.size > len(raw):
            raise TamperedData(where)
        (length,) = _CHUNK_HEADER.unpack_from(raw, position)
        position += _CHUNK_HEADER.size
        box = raw[position : position + length]
        if len(box) != length:
            raise TamperedData(where)
        position += length
        final = position == len(raw)
        parts.append(open_box(key, box, _chunk_aad(aad, index, final), where))
        if final:
            return b"".join(parts)
        index += 1
