"""Offline bundles carried in on USB or SD and imported at the city."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from server.bundles import import_bundle
from server.deps import ContextDep, read_body, require_roles
from server.staff import Role, StaffMember

router = APIRouter(prefix="/v1/bundles", tags=["bundles"])

ImporterDep = Annotated[
    StaffMember, Depends(require_roles(Role.ADMIN, Role.RECEIVING_OFFICER, Role.LEADER))
]


@router.post("", openapi_extra={"requestBody": {"content": {"application/octet-stream": {}}}})
async def post_bundle(request: Request, member: ImporterDep, context: ContextDep) -> dict:
    """Import a sealed bundle sent as the raw request body; a second import changes nothing."""
    raw = await read_body(request, context.settings.max_bundle_bytes)
    return await run_in_threadpool(import_bundle, context, raw)
