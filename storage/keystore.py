"""Where the device secret lives: the platform keystore on phones, an owner-only file elsewhere.

The vault needs 32 bytes that never sit in its own database. On Android and iOS the app passes a
store backed by flet-secure-storage (Keystore / Keychain). On desktop and in server-hosted web
mode `FileSecretStore` keeps them in a file readable only by its owner — weaker: whoever copies
the data dir *and* that file needs only the PIN, so keep the file outside the data dir there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from storage.crypto import KEY_BYTES
from storage.errors import StorageFull, VaultError

__all__ = ["DeviceSecretStore", "FileSecretStore"]


class DeviceSecretStore(Protocol):
    """Keeps the device secret: load it, save it once, destroy it for a wipe."""

    def load(self) -> bytes | None:
        """Return the stored secret, or None when there is none."""

    def save(self, secret: bytes) -> None:
        """Store `secret`; an existing one is never replaced."""

    def destroy(self) -> None:
        """Erase the secret for good."""


class FileSecretStore:
    """A device secret in a file with owner-only permissions (0600).

    >>> store = FileSecretStore(Path("/var/lib/sohoa/device.secret"))
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)

    def load(self) -> bytes | None:
        """Return the secret, or None when the file does not exist."""
        try:
            secret = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if len(secret) != KEY_BYTES:
            raise VaultError(
                f"Tệp khoá thiết bị {self.path} bị hỏng",
                f"Device secret file {self.path} is corrupt",
            )
        return secret

    def save(self, secret: bytes) -> None:
        """Create the file with `secret`; fails if it already exists.

        :raises StorageFull: when the disk is full.
        """
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise VaultError(
                f"Tệp khoá thiết bị {self.path} đã tồn tại",
                f"Device secret file {self.path} already exists",
            ) from exc
        try:
            os.write(fd, secret)
            os.fsync(fd)
        except OSError as exc:
            os.close(fd)
            self.path.unlink()
            raise StorageFull() from exc
        os.close(fd)

    def destroy(self) -> None:
        """Overwrite the file with zeros, flush it, then delete it."""
        try:
            fd = os.open(self.path, os.O_WRONLY)
        except FileNotFoundError:
            return
        try:
            os.write(fd, bytes(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        self.path.unlink()
