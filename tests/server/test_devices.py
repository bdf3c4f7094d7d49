"""Device records: code slots, one-time codes that expire, status changes."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from core.codes import SLOT_COUNT
from server.devices import (
    create_enrolment_code,
    list_devices,
    redeem_enrolment_code,
    set_device_status,
)
from server.errors import Conflict, NotFound, Unauthorised

UNIT = "11566"


def public_key() -> bytes:
    key = Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def enrol(conn, unit=UNIT):
    return redeem_enrolment_code(conn, create_enrolment_code(conn, unit, 60), public_key(), "")


def test_slots_are_unique_among_live_devices_and_reused_only_when_all_were_given(server):
    with server.context.db.write() as conn:
        devices = [enrol(conn) for _ in range(SLOT_COUNT)]
        assert sorted(d.slot for d in devices) == list(range(SLOT_COUNT))
        with pytest.raises(Conflict) as full:
            enrol(conn)
        assert full.value.code == "no_free_slot"
        set_device_status(conn, devices[5].id, "revoked")
        assert enrol(conn).slot == devices[5].slot
        assert len(list_devices(conn, UNIT)) == SLOT_COUNT + 1


def test_codes_are_typed_loosely_but_expire_and_work_once(server):
    with server.context.db.write() as conn:
        code = create_enrolment_code(conn, "11527", 60)
        typed = code.lower().replace("-", " ")
        assert redeem_enrolment_code(conn, typed, public_key(), "tablet").unit_code == "11527"
        expired = create_enrolment_code(conn, "11527", -1)
        with pytest.raises(Unauthorised) as raised:
            redeem_enrolment_code(conn, expired, public_key(), "")
        assert raised.value.code == "bad_enrolment_code"
        with pytest.raises(NotFound):
            set_device_status(conn, "01a21bac-0000-7000-8000-000000000001", "revoked")
