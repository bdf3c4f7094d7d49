"""City administration: staff accounts, enrolment codes, devices, publications, the audit log."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from core.units import unit
from server.audit import read_audit, verify_audit_chain
from server.deps import ContextDep, require_roles
from server.devices import create_enrolment_code, list_devices, set_device_status
from server.feed import append_command, publish
from server.staff import Role, StaffMember, create_staff

router = APIRouter(prefix="/v1/admin", tags=["admin"])

AdminDep = Annotated[StaffMember, Depends(require_roles(Role.ADMIN))]


class StaffRequest(BaseModel):
    """A new staff account."""

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)
    role: Role
    unit_code: str | None = Field(default=None, max_length=10)


class EnrolmentCodeRequest(BaseModel):
    """The unit a new device will belong to."""

    unit_code: str = Field(min_length=1, max_length=10)


class PublicationRequest(BaseModel):
    """A catalogue or calendar version to send to every device (a catalogue body: core format)."""

    kind: Literal["catalogue", "calendar"]
    version: str = Field(min_length=1, max_length=60)
    body: dict


@router.post("/staff", status_code=201)
def add_staff(request: StaffRequest, admin: AdminDep, context: ContextDep) -> dict:
    """Create a staff account."""
    if request.unit_code is not None:
        unit(request.unit_code)
    with context.db.write() as conn:
        member = create_staff(
            conn, request.username, request.password, request.role, request.unit_code
        )
    return {"username": member.username, "role": member.role, "unit_code": member.unit_code}


@router.post("/enrolment-codes", status_code=201)
def new_enrolment_code(request: EnrolmentCodeRequest, admin: AdminDep, context: ContextDep) -> dict:
    """Make a one-time enrolment code for a device of a unit."""
    unit(request.unit_code)
    with context.db.write() as conn:
        code = create_enrolment_code(
            conn, request.unit_code, context.settings.enrolment_ttl_seconds
        )
    return {"code": code, "unit_code": request.unit_code}


@router.get("/devices")
def devices(admin: AdminDep, context: ContextDep, unit_code: str | None = None) -> dict:
    """List the enrolled devices."""
    with context.db.read() as conn:
        return {"devices": list_devices(conn, unit_code)}


@router.post("/devices/{device_id}/revoke")
def revoke(device_id: str, admin: AdminDep, context: ContextDep) -> dict:
    """Refuse every further request of a device."""
    with context.db.write() as conn:
        device = set_device_status(conn, device_id, "revoked")
    return {"device_id": device.id, "status": device.status}


@router.post("/devices/{device_id}/wipe")
def wipe(device_id: str, admin: AdminDep, context: ContextDep) -> dict:
    """Queue a signed wipe command; the device may then only fetch it."""
    with context.db.write() as conn:
        device = set_device_status(conn, device_id, "wiping")
        command = append_command(conn, context.keys, device.id, "wipe", {})
    return {"device_id": device.id, "status": device.status, "command": command}


@router.post("/publications", status_code=201)
def add_publication(request: PublicationRequest, admin: AdminDep, context: ContextDep) -> dict:
    """Publish a catalogue or calendar version to every unit's feed (once per version).

    A catalogue body is one publication file's JSON; it must replay after the versions already
    out, or the request is refused with 422 ``bad_catalogue`` naming the file, procedure and field.
    """
    with context.db.write() as conn:
        created = publish(conn, request.kind, request.version, request.body)
    return {"kind": request.kind, "version": request.version, "created": created}


@router.get("/audit")
def audit(admin: AdminDep, context: ContextDep, after: int = Query(default=0, ge=0)) -> dict:
    """Return audit entries and whether the hash chain is intact."""
    with context.db.read() as conn:
        return {"entries": read_audit(conn, after), "broken_at": verify_audit_chain(conn)}
