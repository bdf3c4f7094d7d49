"""Devices: one-time enrolment codes, redeeming them with an Ed25519 key, revoking and wiping."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from core.codes import SLOT_COUNT
from core.ids import new_id
from server.errors import BadRequest, Conflict, NotFound, Unauthorised
from server.schema import devices, enrolment_codes

__all__ = [
    "Device",
    "create_enrolment_code",
    "get_device",
    "list_devices",
    "redeem_enrolment_code",
    "set_device_status",
]

# Crockford's base32 without look-alikes, so a code can be typed from a screen without mistakes.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS, GROUP_LENGTH = 3, 4


@dataclass(frozen=True)
class Device:
    """An enrolled tablet or phone; `status` is active, wiping or revoked."""

    id: str
    unit_code: str
    public_key: bytes
    slot: int
    status: str
    label: str


def _normalise_code(code: str) -> str:
    return code.strip().upper().replace("-", "").replace(" ", "")


def _code_hash(code: str) -> str:
    return hashlib.sha256(_normalise_code(code).encode()).hexdigest()


def create_enrolment_code(conn: Connection, unit_code: str, ttl_seconds: int) -> str:
    """Store and return a new one-time code that enrols one device into `unit_code`."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * GROUP_LENGTH))
    code = "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))
    conn.execute(
        enrolment_codes.insert().values(
            code_hash=_code_hash(code), unit_code=unit_code, expires_at=time.time() + ttl_seconds
        )
    )
    return code


def _free_slot(conn: Connection, unit_code: str) -> int:
    """Pick a code slot no live device of the unit holds, preferring slots never given out."""
    rows = conn.execute(
        select(devices.c.slot, devices.c.status).where(devices.c.unit_code == unit_code)
    ).all()
    ever = {row.slot for row in rows}
    live = {row.slot for row in rows if row.status != "revoked"}
    for candidates in (set(range(SLOT_COUNT)) - ever, set(range(SLOT_COUNT)) - live):
        if candidates:
            return min(candidates)
    raise Conflict(
        f"Đơn vị {unit_code} đã có đủ {SLOT_COUNT} thiết bị",
        f"Unit {unit_code} already has {SLOT_COUNT} live devices",
        code="no_free_slot",
    )


def redeem_enrolment_code(conn: Connection, code: str, public_key: bytes, label: str) -> Device:
    """Bind a new device with `public_key` to the unit the code was made for.

    :raises BadRequest: the key is not a raw 32-byte Ed25519 public key
    :raises Unauthorised: the code is unknown or expired
    :raises Conflict: the code was already used
    """
    if len(public_key) != 32:
        raise BadRequest(
            "Khoá công khai phải là Ed25519 32 byte",
            "The public key must be a raw 32-byte Ed25519 key",
            code="bad_public_key",
        )
    row = conn.execute(
        select(enrolment_codes).where(enrolment_codes.c.code_hash == _code_hash(code))
    ).first()
    if row is None or row.expires_at < time.time():
        raise Unauthorised(
            "Mã đăng ký không đúng hoặc đã hết hạn",
            "The enrolment code is wrong or expired",
            code="bad_enrolment_code",
        )
    if row.used_at is not None:
        raise Conflict(
            "Mã đăng ký đã được dùng", "The enrolment code was already used", code="code_used"
        )
    device = Device(
        id=new_id(),
        unit_code=row.unit_code,
        public_key=public_key,
        slot=_free_slot(conn, row.unit_code),
        status="active",
        label=label,
    )
    conn.execute(
        update(enrolment_codes)
        .where(enrolment_codes.c.code_hash == row.code_hash)
        .values(used_at=time.time(), device_id=device.id)
    )
    conn.execute(
        devices.insert().values(
            id=device.id,
            unit_code=device.unit_code,
            public_key=public_key,
            slot=device.slot,
            status=device.status,
            label=label,
            enrolled_at=time.time(),
        )
    )
    return device


def get_device(conn: Connection, device_id: str) -> Device | None:
    """Return the device with `device_id`, or None."""
    row = conn.execute(select(devices).where(devices.c.id == device_id)).first()
    if row is None:
        return None
    return Device(
        id=row.id,
        unit_code=row.unit_code,
        public_key=row.public_key,
        slot=row.slot,
        status=row.status,
        label=row.label,
    )


def list_devices(conn: Connection, unit_code: str | None = None) -> list[dict]:
    """Return every device (of one unit when given) as plain dicts, oldest first."""
    query = select(
        devices.c.id, devices.c.unit_code, devices.c.slot, devices.c.status, devices.c.label
    ).order_by(devices.c.enrolled_at)
    if unit_code is not None:
        query = query.where(devices.c.unit_code == unit_code)
    return [dict(row._mapping) for row in conn.execute(query)]


def set_device_status(conn: Connection, device_id: str, status: str) -> Device:
    """Move a device to `status` (wiping or revoked).

    :raises NotFound: no such device
    """
    values: dict[str, object] = {"status": status}
    if status == "revoked":
        values["revoked_at"] = time.time()
    result = conn.execute(update(devices).where(devices.c.id == device_id).values(**values))
    if result.rowcount == 0:
        raise NotFound(
            f"Không có thiết bị {device_id}", f"No device {device_id}", code="unknown_device"
        )
    device = get_device(conn, device_id)
    assert device is not None
    return device
