"""Blobs outside tus: which hashes the server lacks, and reading a page for staff and devices."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from server.blobstores import parse_sha256
from server.deps import ContextDep, DeviceDep, ViewerDep, parse_json
from server.dossiers import require_visible_page
from server.errors import BadRequest

router = APIRouter(prefix="/v1/blobs", tags=["blobs"])

MAX_HASHES = 5000
OCTETS = "application/octet-stream"
# One range from an offset, to an end or open-ended: what a download resumed after a cut asks.
BYTE_RANGE = re.compile(r"bytes=(\d{1,15})-(\d{0,15})")


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
def read_blob(
    sha256: str,
    unit_code: ViewerDep,
    context: ContextDep,
    byte_range: Annotated[str | None, Header(alias="Range")] = None,
) -> Response:
    """Send a page of a dossier the caller's unit may see, whole or from a byte offset on.

    A staff member or a signing device of another unit gets the same 404 as for a page that
    does not exist. A Range this endpoint does not serve (several ranges, a suffix) is ignored
    and the whole page sent, as RFC 9110 allows.

    :raises NotFound: 404 unknown_page
    :raises BadRequest: 416 range_not_satisfiable, the range starts past the page's end
    """
    name = parse_sha256(sha256)
    with context.db.read() as conn:
        require_visible_page(conn, name, unit_code)
    match = BYTE_RANGE.fullmatch(byte_range or "")
    if match is None:
        return StreamingResponse(
            context.blobs.stream(name), media_type=OCTETS, headers={"Accept-Ranges": "bytes"}
        )
    # Pages are a few hundred KB, one sealed segment: the store decrypts them whole anyway.
    data = context.blobs.read(name)
    start = int(match[1])
    end = min(int(match[2]) if match[2] else len(data) - 1, len(data) - 1)
    if start > end:
        raise BadRequest(
            f"Khoảng byte nằm ngoài trang ({len(data)} byte)",
            f"The byte range lies outside the page ({len(data)} bytes)",
            code="range_not_satisfiable",
            status=416,
        )
    return Response(
        data[start : end + 1],
        status_code=206,
        media_type=OCTETS,
        headers={"Accept-Ranges": "bytes", "Content-Range": f"bytes {start}-{end}/{len(data)}"},
    )
