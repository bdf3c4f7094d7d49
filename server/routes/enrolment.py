"""Enrolment: a device redeems a one-time code with its Ed25519 public key."""

from __future__ import annotations

import base64
import binascii
import time

from fastapi import APIRouter
from pydantic import BaseModel, Field

from core.codes import agency_code_for
from server.deps import ContextDep, DeviceDep
from server.devices import redeem_enrolment_code
from server.errors import BadRequest
from server.feed import list_publications

router = APIRouter(prefix="/v1", tags=["devices"])


class EnrolmentRequest(BaseModel):
    """What a device sends to enrol."""

    code: str = Field(min_length=4, max_length=40)
    public_key: str = Field(description="raw 32-byte Ed25519 public key, base64")
    label: str = Field(default="", max_length=200)


@router.post("/enrol", status_code=201)
def enrol(request: EnrolmentRequest, context: ContextDep) -> dict:
    """Bind a device to the unit of its one-time code; answer with all it needs offline."""
    try:
        public_key = base64.b64decode(request.public_key, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadRequest(
            "Khoá công khai không phải base64", "public_key is not base64", code="bad_public_key"
        ) from exc
    with context.db.write() as conn:
        device = redeem_enrolment_code(conn, request.code, public_key, request.label)
        published = list_publications(conn)
    return {
        "device_id": device.id,
        "unit_code": device.unit_code,
        "code_issuer": {
            "agency_code": agency_code_for(device.unit_code),
            "device_slot": device.slot,
        },
        "server_signing_key": context.keys.signing_public_b64,
        "server_sealing_key": context.keys.sealing_public_b64,
        "publications": published,
        "server_time": int(time.time()),
    }


@router.get("/device")
def whoami(signed: DeviceDep) -> dict:
    """Return the signing device's own record (a cheap signed round trip)."""
    device = signed.device
    return {
        "device_id": device.id,
        "unit_code": device.unit_code,
        "slot": device.slot,
        "status": device.status,
        "server_time": int(time.time()),
    }
