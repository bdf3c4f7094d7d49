"""An unlocked vault: the repositories, officer management and key rotation."""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlite_utils import Database

from core.ids import new_id
from storage import crypto, slots
from storage.audit import AuditLog
from storage.blobs import BlobStore
from storage.dossiers import Dossiers
from storage.errors import OfficerError
from storage.keyring import Keyring
from storage.kv import KeyValueStore
from storage.outbox import Outbox
from storage.schema import flush_deleted, guard_disk

__all__ = ["DEVICE_KEY", "Session"]

DEVICE_KEY = "device.ed25519"


class Session:
    """What an officer can do once the vault is unlocked; `lock()` forgets the keys.

    >>> session = vault.unlock(officer_id, pin)
    >>> session.dossiers.save(events, pages)
    >>> session.lock()
    """

    def __init__(
        self,
        db: Database,
        keyring: Keyring,
        officer_id: str,
        *,
        blob_dir: Path,
        device_secret: bytes,
        clock: Callable[[], int],
        kdf_cost: int,
    ):
        self.officer_id = officer_id
        self.keyring = keyring  # held in memory only; `Vault.share` hands it to a second session
        self._db = db
        self._device_secret = device_secret
        self._clock = clock
        self._kdf_cost = kdf_cost
        self.blobs = BlobStore(db, keyring, blob_dir)
        self.dossiers = Dossiers(db, keyring, self.blobs, clock)
        self.outbox = Outbox(db, keyring, self.blobs)
        self.kv = KeyValueStore(db, keyring)
        self.audit = AuditLog(db, keyring, officer_id, clock)

    @property
    def locked(self) -> bool:
        """Whether `lock()` was called."""
        return not self.keyring.unlocked

    def lock(self) -> None:
        """Forget the keys; every later call on this session raises `VaultLocked`."""
        if self.keyring.unlocked:
            self.audit.record("lock")
            self.keyring.forget()

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """Group several writes into one transaction (nested writes become savepoints)."""
        with guard_disk(), self._db.atomic():
            yield

    def _new_slot(self, officer_id: str, name: str, pin: str, created_ms: int) -> None:
        slots.create_slot(
            self._db,
            officer_id=officer_id,
            name=name,
            pin=pin,
            vault_key=self.keyring.vault_key,
            device_secret=self._device_secret,
            vault_id=self.keyring.vault_id,
            unit_code=self.keyring.unit_code,
            cost=self._kdf_cost,
            now_ms=created_ms,
        )

    def add_officer(self, name: str, pin: str) -> str:
        """Give a new officer a key slot; returns their id.

        :raises OfficerError: for an empty name or a short PIN.
        """
        officer_id = new_id()
        with self.atomic():
            self._new_slot(officer_id, name, pin, self._clock())
            self.audit.record("officer_added", detail={"officer_id": officer_id})
        return officer_id

    def change_pin(self, old_pin: str, new_pin: str) -> None:
        """Change the unlocked officer's own PIN (the old one must be given again).

        :raises WrongPin: when `old_pin` is wrong (counted like a failed unlock).
        :raises OfficerError: when the session was opened with the recovery key, or the new
          PIN is too short.
        """
        officer = self._officer(self.officer_id)
        slots.open_slot(
            self._db,
            self.officer_id,
            old_pin,
            device_secret=self._device_secret,
            vault_id=self.keyring.vault_id,
            unit_code=self.keyring.unit_code,
            now_ms=self._clock(),
        )
        created_ms = self._db.table("slots").get(self.officer_id)["created_ms"]
        with self.atomic():
            self._new_slot(self.officer_id, officer.name, new_pin, created_ms)
            self.audit.record("pin_changed")
        flush_deleted(self._db)

    def _officer(self, officer_id: str) -> slots.Officer:
        for officer in slots.list_officers(self._db, self._device_secret, self.keyring.unit_code):
            if officer.id == officer_id:
                return officer
        raise OfficerError(f"Không có cán bộ {officer_id}", f"No officer {officer_id}")

    def remove_officer(self, officer_id: str) -> None:
        """Delete an officer's slot and rotate the vault key, so a copied slot opens nothing new.

        :raises OfficerError: for an unknown officer, or the last one who can still unlock.
        """
        self._officer(officer_id)
        live = self._db.table("slots").count_where("wiped = 0 AND officer_id != ?", [officer_id])
        if live == 0:
            raise OfficerError(
                "Không thể xoá cán bộ cuối cùng còn mở được kho",
                "Cannot remove the last officer who can unlock the vault",
            )
        new_key = crypto.new_key()
        with self.atomic():
            self._db.execute("DELETE FROM slots WHERE officer_id = ?", [officer_id])
            self._rewrap(new_key)
            self.audit.record("officer_removed", detail={"officer_id": officer_id})
        self.keyring.replace_vault_key(new_key)
        flush_deleted(self._db)

    def rotate_vault_key(self) -> None:
        """Replace the vault key: rewrap every dossier, blob and root key, re-seal every slot.

        Data is not re-encrypted (the per-record keys stay); one transaction, so a crash leaves
        either the old key everywhere or the new one everywhere.
        """
        new_key = crypto.new_key()
        with self.atomic():
            self._rewrap(new_key)
            self.audit.record("vault_key_rotated")
        self.keyring.replace_vault_key(new_key)

    def _rewrap(self, new: bytes) -> None:
        old = self.keyring.vault_key
        for table, pk in (("dossiers", "id"), ("blobs", "ref")):
            for row in list(self._db.query(f"SELECT {pk}, wrapped_key FROM {table}")):
                key = crypto.unwrap_key(old, row["wrapped_key"], f"{table}.wrapped_key")
                self._db.execute(
                    f"UPDATE {table} SET wrapped_key = ? WHERE {pk} = ?",
                    [crypto.wrap_key(new, key), row[pk]],
                )
        vault = self._db.table("vault").get(1)
        root = crypto.unwrap_key(old, vault["wrapped_root"], "vault.wrapped_root")
        self._db.execute(
            "UPDATE vault SET wrapped_root = ?, generation = generation + 1",
            [crypto.wrap_key(new, root)],
        )
        slots.reseal_all(self._db, new, self.keyring.vault_id, self.keyring.unit_code)

    def device_key(self) -> Ed25519PrivateKey | None:
        """Return this device's Ed25519 signing key (set at enrolment), or None."""
        encoded = self.kv.get(DEVICE_KEY)
        if encoded is None:
            return None
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(encoded))

    def set_device_key(self, private_key: Ed25519PrivateKey) -> None:
        """Store this device's Ed25519 signing key, encrypted."""
        self.kv.set(DEVICE_KEY, base64.b64encode(private_key.private_bytes_raw()).decode())
