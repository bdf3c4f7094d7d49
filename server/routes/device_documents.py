"""Data reuse at the counter: a signed device finds a citizen's digitised documents and pages.

Both endpoints are POSTs with the CCCD in the signed body, so nothing personal lands in URLs,
access logs or proxies; every call is written to the hash-chained audit log.
"""

from __future__ import annotations

from typing import TypeVar

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, ValidationError

from server.blobstores import parse_sha256
from server.deps import ContextDep, DeviceDep, parse_json
from server.documents import find_document_page, find_documents_for_device
from server.errors import BadRequest, NotFound

router = APIRouter(prefix="/v1/device/documents", tags=["documents"])

CCCD_PATTERN = r"^\d{12}$"
PROCEDURE_PATTERN = r"^[0-9A-Za-z.\-]{1,40}$"
MAX_TYPES = 50

Model = TypeVar("Model", bound=BaseModel)


class Reason(BaseModel):
    """Why a device asks: the procedure of the dossier being received and a stated purpose."""

    cccd: str = Field(pattern=CCCD_PATTERN)
    procedure_code: str = Field(pattern=PROCEDURE_PATTERN)
    purpose: str = Field(min_length=3, max_length=200)

    def audit(self) -> dict[str, str]:
        """What the audit log keeps of the reason."""
        return {"procedure_code": self.procedure_code, "purpose": self.purpose}


class LookupRequest(Reason):
    """A lookup, optionally narrowed to some document types."""

    document_types: list[str] | None = Field(default=None, max_length=MAX_TYPES)


class PageRequest(Reason):
    """One page of one of the citizen's stored documents."""

    sha256: str


def _parse(model: type[Model], body: bytes) -> Model:
    try:
        return model.model_validate(parse_json(body))
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, error["loc"])) for error in exc.errors())
        raise BadRequest(
            f"Trường không hợp lệ: {fields}",
            f"Invalid fields: {fields}",
            code="invalid_field",
            status=422,
        ) from exc


@router.post("/lookup")
def lookup(signed: DeviceDep, context: ContextDep) -> dict:
    """Return the citizen's reusable documents, newest first (audited)."""
    request = _parse(LookupRequest, signed.body)
    with context.db.write() as conn:
        found = find_documents_for_device(
            conn, signed.device, request.cccd, request.document_types, request.audit()
        )
    return {"documents": found}


@router.post("/page")
def page(signed: DeviceDep, context: ContextDep) -> StreamingResponse:
    """Stream one page of the citizen's stored documents (audited); anything else is 404."""
    request = _parse(PageRequest, signed.body)
    name = parse_sha256(request.sha256)
    with context.db.write() as conn:
        stored = find_document_page(conn, signed.device, request.cccd, name, request.audit())
    if stored is None or not context.blobs.has(name):
        raise NotFound(f"Không có trang {name}", f"No page {name}", code="unknown_page")
    return StreamingResponse(
        context.blobs.stream(name), media_type=stored.get("media_type", "application/octet-stream")
    )
