"""FastAPI dependencies: the server context, a verified device request, a logged-in staff member."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from core.signing import SIGNATURE_INPUT
from server.context import ServerContext
from server.devices import Device
from server.errors import BadRequest, Forbidden, Unauthorised
from server.signatures import verify_signed_request
from server.staff import Role, StaffMember, staff_for_token

__all__ = [
    "ContextDep",
    "DeviceDep",
    "SignedRequest",
    "StaffDep",
    "ViewerDep",
    "WipingDeviceDep",
    "current_device_id",
    "parse_json",
    "read_body",
    "require_roles",
]


def get_context(request: Request) -> ServerContext:
    """Return the context :func:`server.main.create_app` attached to the app."""
    return request.app.state.context


ContextDep = Annotated[ServerContext, Depends(get_context)]


async def read_body(request: Request, limit: int) -> bytes:
    """Read the request body, refusing it as soon as it passes `limit` bytes.

    :raises BadRequest: 413 body_too_large
    """
    too_large = BadRequest(
        f"Nội dung quá lớn (tối đa {limit} byte)",
        f"The body is too large (at most {limit} bytes)",
        code="body_too_large",
        status=413,
    )
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
    except ClientDisconnect as exc:
        # A cut-off body cannot match its signed digest; the client sends it again whole.
        raise BadRequest(
            "Kết nối bị ngắt giữa chừng", "The client went away mid-body", code="incomplete_body"
        ) from exc
    body = b"".join(chunks)
    # Starlette reads a cached body on later request.body() calls, so routes can read it again.
    request._body = body
    return body


def parse_json(body: bytes) -> Any:
    """Decode a JSON body.

    :raises BadRequest: 400 malformed_json
    """
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest(
            "Nội dung JSON không đọc được", "The JSON body cannot be parsed", code="malformed_json"
        ) from exc


@dataclass(frozen=True)
class SignedRequest:
    """A device request whose signature checked out, with the body it covered."""

    device: Device
    body: bytes


async def _signed(request: Request, allow_wiping: bool) -> SignedRequest:
    context = get_context(request)
    body = await read_body(request, context.settings.max_body_bytes)
    device = await run_in_threadpool(
        verify_signed_request,
        context.db,
        method=request.method,
        path=request.url.path,
        headers=request.headers,
        body=body,
        skew_seconds=context.settings.clock_skew_seconds,
        allow_wiping=allow_wiping,
    )
    return SignedRequest(device=device, body=body)


async def signed_request(request: Request) -> SignedRequest:
    """Verify a device's signed request (active devices only)."""
    return await _signed(request, allow_wiping=False)


async def wiping_signed_request(request: Request) -> SignedRequest:
    """Verify a device's signed request, letting a device being wiped through."""
    return await _signed(request, allow_wiping=True)


async def current_device_id(request: Request) -> str:
    """Return the id of the active device that signed this request (the tus endpoint's auth)."""
    return (await signed_request(request)).device.id


DeviceDep = Annotated[SignedRequest, Depends(signed_request)]
WipingDeviceDep = Annotated[SignedRequest, Depends(wiping_signed_request)]


def current_staff(request: Request) -> StaffMember:
    """Return the staff member whose bearer token the request carries.

    :raises Unauthorised: no ``Authorization: Bearer`` header, or a bad token
    """
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorised(
            "Cần đăng nhập", "Log in first (Authorization: Bearer <token>)", code="no_token"
        )
    with get_context(request).db.read() as conn:
        return staff_for_token(conn, token.strip())


StaffDep = Annotated[StaffMember, Depends(current_staff)]


async def viewing_unit(request: Request) -> str | None:
    """Return the unit whose dossiers the caller may see (None: a city-wide staff member).

    A signed request is a device's and sees its own unit; any other needs a staff bearer token.
    """
    if SIGNATURE_INPUT in request.headers:
        return (await signed_request(request)).device.unit_code
    return (await run_in_threadpool(current_staff, request)).unit_code


ViewerDep = Annotated[str | None, Depends(viewing_unit)]


def require_roles(*roles: Role) -> Callable[[StaffMember], StaffMember]:
    """Return a dependency that lets only staff with one of `roles` through."""

    def check(member: StaffDep) -> StaffMember:
        if member.role not in roles:
            raise Forbidden(
                "Vai trò của bạn không được làm việc này",
                "Your role may not do this",
                code="forbidden_role",
            )
        return member

    return check
