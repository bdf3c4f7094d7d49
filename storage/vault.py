"""The vault facade: create or open a data dir, list officers, unlock, wipe."""

from __future__ import annotations

import hmac
import os
import shutil
import time
from collections.abc import Callable
from hashlib import sha256
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlite_utils import Database

from core.ids import new_id
from storage import crypto, slots
from storage.blobs import BLOB_DIR, collect_orphans
from storage.catalogue import CatalogueCache
from storage.errors import ForeignVault, VaultExists, VaultLocked, VaultNotFound
from storage.keyring import Keyring
from storage.keystore import DeviceSecretStore, FileSecretStore
from storage.schema import DB_NAME, flush_deleted, guard_disk, open_database
from storage.session import Session

__all__ = ["Vault"]

SECRET_NAME = "device.secret"


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


def _device_check(device_secret: bytes, vault_id: str) -> bytes:
    return hmac.new(
        crypto.derive_key(device_secret, "sohoa-vault-check"), vault_id.encode(), sha256
    ).digest()


class Vault:
    """One device's encrypted vault in a data dir; locked until an officer unlocks it.

    >>> vault = Vault.create(data_dir, unit_code="11311", officer_name="Lê Thị Hoa", pin="20251231")
    >>> session = vault.unlock(vault.officers()[0].id, "20251231")
    """

    def __init__(
        self,
        data_dir: Path,
        db: Database,
        secret_store: DeviceSecretStore,
        device_secret: bytes,
        *,
        clock: Callable[[], int],
        kdf_cost: int,
    ):
        row = db.table("vault").get(1)
        self.data_dir = data_dir
        self.db = db
        self.vault_id: str = row["vault_id"]
        self.unit_code: str = row["unit_code"]
        self.catalogue = CatalogueCache(db, clock)
        self._secret_store = secret_store
        self._device_secret = device_secret
        self._clock = clock
        self._kdf_cost = kdf_cost
        self._keyrings: list[Keyring] = []

    @classmethod
    def create(
        cls,
        data_dir: Path | str,
        *,
        unit_code: str,
        officer_name: str,
        pin: str,
        recovery_public_key: bytes | None = None,
        secret_store: DeviceSecretStore | None = None,
        kdf_cost: int = crypto.SCRYPT_COST,
        clock: Callable[[], int] = _wall_ms,
    ) -> Vault:
        """Create a vault for `unit_code` with its first officer, in one transaction.

        :param recovery_public_key: the city's raw X25519 public key; the vault key is sealed
          to it so the city can restore access when every PIN is lost.
        :param secret_store: where the device secret goes (default: a 0600 file in `data_dir`).
        :param kdf_cost: Scrypt N for PIN slots (lower only in tests).
        :raises VaultExists: when `data_dir` already holds a vault or a device secret.
        :raises OfficerError: for an empty name or a short PIN.
        """
        data_dir = Path(data_dir)
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        (data_dir / BLOB_DIR).mkdir(mode=0o700, exist_ok=True)
        store = secret_store or FileSecretStore(data_dir / SECRET_NAME)
        if (data_dir / DB_NAME).exists() or store.load() is not None:
            raise VaultExists(
                f"Thư mục {data_dir} đã có kho dữ liệu", f"{data_dir} already holds a vault"
            )
        device_secret, vault_key, root_key = crypto.new_key(), crypto.new_key(), crypto.new_key()
        vault_id, officer_id = new_id(), new_id()
        store.save(device_secret)
        # SQLite gives the WAL and SHM files the main file's mode, so create it owner-only.
        os.close(os.open(data_dir / DB_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        db = open_database(data_dir / DB_NAME, create=True)
        try:
            with guard_disk(), db.atomic():
                db.table("vault").insert(
                    {
                        "id": 1,
                        "vault_id": vault_id,
                        "unit_code": unit_code,
                        "created_ms": clock(),
                        "device_check": _device_check(device_secret, vault_id),
                        "generation": 1,
                        "wrapped_root": crypto.wrap_key(vault_key, root_key),
                        "recovery_public": recovery_public_key,
                    }
                )
                slots.create_slot(
                    db,
                    officer_id=officer_id,
                    name=officer_name,
                    pin=pin,
                    vault_key=vault_key,
                    device_secret=device_secret,
                    vault_id=vault_id,
                    unit_code=unit_code,
                    cost=kdf_cost,
                    now_ms=clock(),
                )
                slots.reseal_all(db, vault_key, vault_id, unit_code)
        except BaseException:
            db.close()
            store.destroy()
            for suffix in ("", "-wal", "-shm"):
                (data_dir / (DB_NAME + suffix)).unlink(missing_ok=True)
            raise
        return cls(data_dir, db, store, device_secret, clock=clock, kdf_cost=kdf_cost)

    @classmethod
    def open(
        cls,
        data_dir: Path | str,
        *,
        secret_store: DeviceSecretStore | None = None,
        kdf_cost: int = crypto.SCRYPT_COST,
        clock: Callable[[], int] = _wall_ms,
    ) -> Vault:
        """Open an existing vault (locked) and clear blob files a crash left behind.

        :raises VaultNotFound: when there is no vault, or it was wiped.
        :raises ForeignVault: when the database is not a vault of this device secret.
        """
        data_dir = Path(data_dir)
        store = secret_store or FileSecretStore(data_dir / SECRET_NAME)
        if not (data_dir / DB_NAME).exists():
            raise VaultNotFound(f"Không có kho dữ liệu trong {data_dir}", f"No vault in {data_dir}")
        device_secret = store.load()
        if device_secret is None:
            raise VaultNotFound(
                "Khoá thiết bị không còn (thiết bị đã bị xoá dữ liệu?)",
                "The device secret is gone (was the device wiped?)",
            )
        db = open_database(data_dir / DB_NAME)
        rows = list(db.query("SELECT vault_id, device_check FROM vault"))
        if not rows or not hmac.compare_digest(
            rows[0]["device_check"], _device_check(device_secret, rows[0]["vault_id"])
        ):
            db.close()
            raise ForeignVault(
                "Kho dữ liệu này không thuộc thiết bị này",
                "This vault does not belong to this device",
            )
        collect_orphans(db, data_dir / BLOB_DIR)
        return cls(data_dir, db, store, device_secret, clock=clock, kdf_cost=kdf_cost)

    def officers(self) -> list[slots.Officer]:
        """Return the officers who can unlock this vault, for the unlock screen."""
        return slots.list_officers(self.db, self._device_secret, self.unit_code)

    def unlock(self, officer_id: str, pin: str) -> Session:
        """Open a session for `officer_id`; the keys stay in this process's memory only.

        :raises WrongPin: for a wrong PIN (the 10th in a row raises `SlotWiped`).
        :raises UnlockThrottled: while the delay after 5+ failures runs.
        :raises TamperedData: when the slot or the wrapped root key was altered.
        """
        vault_key = slots.open_slot(
            self.db,
            officer_id,
            pin,
            device_secret=self._device_secret,
            vault_id=self.vault_id,
            unit_code=self.unit_code,
            now_ms=self._clock(),
        )
        return self._unlocked(vault_key, officer_id)

    def unlock_with_recovery(self, city_private_key: X25519PrivateKey) -> Session:
        """Open a session with the city's recovery key (the forgotten-PIN admin flow).

        :raises VaultNotFound: when the vault has no recovery slot.
        :raises TamperedData: when the key does not open the recovery slot.
        """
        row = self.db.table("vault").get(1)
        if row["recovery_sealed"] is None:
            raise VaultNotFound("Kho không có khoá khôi phục", "The vault has no recovery slot")
        vault_key = crypto.open_sealed_key(
            city_private_key,
            row["recovery_sealed"],
            slots.recovery_aad(self.vault_id, self.unit_code),
            "vault.recovery_sealed",
        )
        return self._unlocked(vault_key, "recovery")

    def share(self, session: Session) -> Session:
        """Return a session on this vault's connection holding the keys of `session`, no PIN asked.

        For a second thread (sync) after one unlock: `session` comes from this same vault opened
        on another connection, and the PIN is not stretched again. Both sessions hold one set of
        keys, so locking either, or closing or wiping either vault, locks both.

        :raises ForeignVault: when `session` belongs to another vault.
        :raises VaultLocked: when `session` is locked.
        """
        keyring = session.keyring
        if keyring.vault_id != self.vault_id:
            raise ForeignVault(
                "Phiên làm việc thuộc một kho dữ liệu khác", "The session belongs to another vault"
            )
        if not keyring.unlocked:
            raise VaultLocked()
        return self._session(keyring, session.officer_id)

    def _unlocked(self, vault_key: bytes, officer_id: str) -> Session:
        wrapped_root = self.db.table("vault").get(1)["wrapped_root"]
        root_key = crypto.unwrap_key(vault_key, wrapped_root, "vault.wrapped_root")
        session = self._session(
            Keyring(vault_key, root_key, self.vault_id, self.unit_code), officer_id
        )
        session.audit.record("unlock")
        return session

    def _session(self, keyring: Keyring, officer_id: str) -> Session:
        self._keyrings.append(keyring)
        return Session(
            self.db,
            keyring,
            officer_id,
            blob_dir=self.data_dir / BLOB_DIR,
            device_secret=self._device_secret,
            clock=self._clock,
            kdf_cost=self._kdf_cost,
        )

    def wipe(self) -> None:
        """Crypto-shred the vault: destroy the device secret, then the slots, then the files.

        Destroying the device secret alone already makes every slot useless; the slot rows and
        wrapped root key are then overwritten (``secure_delete``), and the files removed.
        """
        self._forget_sessions()
        self._secret_store.destroy()
        with self.db.atomic():
            self.db.execute("DELETE FROM slots")
            self.db.execute(
                "UPDATE vault SET wrapped_root = NULL, recovery_sealed = NULL, device_check = x''"
            )
        flush_deleted(self.db)
        self.db.close()
        for suffix in ("", "-wal", "-shm"):
            (self.data_dir / (DB_NAME + suffix)).unlink(missing_ok=True)
        shutil.rmtree(self.data_dir / BLOB_DIR, ignore_errors=True)

    def _forget_sessions(self) -> None:
        for keyring in self._keyrings:
            keyring.forget()
        self._keyrings.clear()

    def close(self) -> None:
        """Close the database; sessions made from this vault stop working."""
        self._forget_sessions()
        self.db.close()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
