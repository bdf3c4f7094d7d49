"""Blobs outside tus: which hashes the server lacks, and reading a page for staff."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from server.blobstores import parse_sha256
from server.deps import ContextDep, DeviceDep, StaffDep, parse_json
from server.dossiers import require_visible_page
from server.errors import BadRequest

router = APIRouter(prefix="/v1/blobs", tags=["blobs"])

MAX_HASHES = 5000


class MissingRequest(BaseModel):
    """The hashes a device is about to upload."""

    hashes: list[str] = Field(max_length=MAX_HASHES)


@router.post("/missing")
def missing(signed: DeviceDep, context: ContextDep) -> dict:
    """Return the hashes among those asked that the server does not hold yet."""
    document = parse_json(signed.body)
    try:
        request = MissingRequest.model_validate(document)
    except ValueError as exc:
        raise BadRequest(
            f'Nội dung phải là {{"hashes": [...]}} (tối đa {MAX_HASHES})',
            f'The body must be {{"hashes": [...]}} (at most {MAX_HASHES})',
            code="invalid_field",
            status=422,
        ) from exc
    hashes = [parse_sha256(value) for value in request.hashes]
    return {"missing": context.blobs.missing(hashes)}


@router.get("/{sha256}")
def read_blob(sha256: str, member: StaffDep, context: ContextDep) -> StreamingResponse:
    """Stream a page of a dossier the member's unit may see."""
    name = parse_sha256(sha256)
    with context.db.read() as conn:
        require_visible_page(conn, name, member.unit_code)
    return StreamingResponse(context.blobs.stream(name), media_type="application/octet-stream")
