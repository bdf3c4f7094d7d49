"""Officer key slots: PIN + device secret open an X25519 key that opens the vault key.

Each officer's slot holds an X25519 key pair whose private half is wrapped by
HKDF(Scrypt(PIN) ‖ device secret), and the vault key sealed to its public half. Sealing to public
keys lets a rotation (after removing an officer) re-seal the new vault key for everyone else and
for the city's recovery key without knowing their PINs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlite_utils import Database

from storage import crypto
from storage.errors import OfficerError, SlotWiped, TamperedData, UnlockThrottled, WrongPin
from storage.schema import flush_deleted

__all__ = [
    "MAX_FAILURES",
    "MIN_PIN_LENGTH",
    "THROTTLE_AFTER",
    "Officer",
    "create_slot",
    "list_officers",
    "open_slot",
    "reseal_all",
    "recovery_aad",
    "slot_aad",
]

MIN_PIN_LENGTH = 6
THROTTLE_AFTER = 5
MAX_FAILURES = 10
_BASE_DELAY_MS = 30_000


@dataclass(frozen=True)
class Officer:
    """An officer as the unlock screen shows them."""

    id: str
    name: str
    failures: int
    locked: bool


def slot_aad(vault_id: str, officer_id: str, unit_code: str) -> bytes:
    """Return the associated data binding a sealed vault key to its vault and officer."""
    return crypto.associated_data(
        "slots", "sealed_vault_key", f"{vault_id}/{officer_id}", unit_code
    )


def _names_key(device_secret: bytes) -> bytes:
    # Names are needed before unlock, so they are under the device secret: unreadable from a
    # copied database, readable on the device itself (where the unlock screen shows them anyway).
    return crypto.derive_key(device_secret, "sohoa-officer-names")


def _check_pin(pin: str) -> None:
    if len(pin) < MIN_PIN_LENGTH:
        raise OfficerError(
            f"Mã PIN phải có ít nhất {MIN_PIN_LENGTH} ký tự (nên dùng 8 chữ số trở lên)",
            f"The PIN needs at least {MIN_PIN_LENGTH} characters (8 digits or more advised)",
        )


def create_slot(
    db: Database,
    *,
    officer_id: str,
    name: str,
    pin: str,
    vault_key: bytes,
    device_secret: bytes,
    vault_id: str,
    unit_code: str,
    cost: int,
    now_ms: int,
) -> None:
    """Write a new officer slot (replacing an older one for the same officer, e.g. a PIN change).

    :raises OfficerError: when the name is empty or the PIN too short.
    """
    _check_pin(pin)
    if not name.strip():
        raise OfficerError("Tên cán bộ không được để trống", "The officer's name is empty")
    salt = os.urandom(16)
    officer_key = X25519PrivateKey.generate()
    kek = crypto.pin_key(pin, salt, cost, device_secret, f"{vault_id}/{officer_id}")
    public = crypto.public_bytes(officer_key)
    db.table("slots").insert(
        {
            "officer_id": officer_id,
            "name_box": crypto.seal(
                _names_key(device_secret),
                name.encode(),
                crypto.associated_data("slots", "name", officer_id, unit_code),
            ),
            "salt": salt,
            "cost": cost,
            "public_key": public,
            "wrapped_private": crypto.wrap_key(kek, officer_key.private_bytes_raw()),
            "sealed_vault_key": crypto.seal_key_to(
                public, vault_key, slot_aad(vault_id, officer_id, unit_code)
            ),
            "created_ms": now_ms,
        },
        replace=True,
    )


def list_officers(db: Database, device_secret: bytes, unit_code: str) -> list[Officer]:
    """Return every officer with a slot, oldest first, names decrypted with the device secret."""
    key = _names_key(device_secret)
    return [
        Officer(
            id=row["officer_id"],
            name=crypto.open_box(
                key,
                row["name_box"],
                crypto.associated_data("slots", "name", row["officer_id"], unit_code),
                "slots.name",
            ).decode(),
            failures=row["failures"],
            locked=bool(row["wiped"]),
        )
        for row in db.query("SELECT * FROM slots ORDER BY created_ms, officer_id")
    ]


def _delay_ms(failures: int) -> int:
    return 0 if failures < THROTTLE_AFTER else _BASE_DELAY_MS << (failures - THROTTLE_AFTER)


def open_slot(
    db: Database,
    officer_id: str,
    pin: str,
    *,
    device_secret: bytes,
    vault_id: str,
    unit_code: str,
    now_ms: int,
) -> bytes:
    """Return the vault key from an officer's slot, counting failures and throttling.

    The failure is counted (and committed) before the slow Scrypt runs, so killing the app
    mid-attempt does not give a free guess.

    :raises OfficerError: for an unknown officer.
    :raises UnlockThrottled: while the delay after repeated failures runs.
    :raises WrongPin: for a wrong PIN; the tenth in a row wipes the slot (`SlotWiped`).
    """
    slots = db.table("slots")
    rows = list(db.query("SELECT * FROM slots WHERE officer_id = ?", [officer_id]))
    if not rows:
        raise OfficerError(f"Không có cán bộ {officer_id}", f"No officer {officer_id}")
    row = rows[0]
    if row["wiped"]:
        raise SlotWiped()
    if now_ms < row["not_before_ms"]:
        raise UnlockThrottled((row["not_before_ms"] - now_ms) / 1000)
    failures = row["failures"] + 1
    with db.atomic():
        slots.update(officer_id, {"failures": failures})
    kek = crypto.pin_key(pin, row["salt"], row["cost"], device_secret, f"{vault_id}/{officer_id}")
    try:
        private = crypto.unwrap_key(kek, row["wrapped_private"], "slots.wrapped_private")
    except TamperedData:
        with db.atomic():
            if failures >= MAX_FAILURES:
                slots.update(
                    officer_id,
                    {"wiped": 1, "wrapped_private": b"", "sealed_vault_key": b""},
                )
            else:
                slots.update(officer_id, {"not_before_ms": now_ms + _delay_ms(failures)})
        if failures >= MAX_FAILURES:
            flush_deleted(db)
            raise SlotWiped() from None
        raise WrongPin(failures, MAX_FAILURES - failures) from None
    with db.atomic():
        slots.update(officer_id, {"failures": 0, "not_before_ms": 0})
    return crypto.open_sealed_key(
        X25519PrivateKey.from_private_bytes(private),
        row["sealed_vault_key"],
        slot_aad(vault_id, officer_id, unit_code),
        "slots.sealed_vault_key",
    )


def reseal_all(db: Database, vault_key: bytes, vault_id: str, unit_code: str) -> None:
    """Seal `vault_key` to every live officer slot and to the recovery key (in a transaction)."""
    for row in db.query("SELECT officer_id, public_key FROM slots WHERE wiped = 0"):
        sealed = crypto.seal_key_to(
            row["public_key"], vault_key, slot_aad(vault_id, row["officer_id"], unit_code)
        )
        db.table("slots").update(row["officer_id"], {"sealed_vault_key": sealed})
    for row in db.query("SELECT recovery_public FROM vault WHERE recovery_public IS NOT NULL"):
        sealed = crypto.seal_key_to(
            row["recovery_public"], vault_key, recovery_aad(vault_id, unit_code)
        )
        db.table("vault").update(1, {"recovery_sealed": sealed})


def recovery_aad(vault_id: str, unit_code: str) -> bytes:
    """Return the associated data of the recovery slot (the vault key sealed to the city)."""
    return crypto.associated_data("vault", "recovery_sealed", vault_id, unit_code)
