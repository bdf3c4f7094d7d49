"""Server errors and the one handler that turns every error into a problem response.

Every refusal leaves with a JSON body ``{"status", "reason", "title", "detail_vi", "detail_en"}``
(``application/problem+json``) so devices and the web client can branch on ``reason``::

    SohoaError
    └── ServerProblem                400 bad_request (base)
        ├── BadRequest              400 malformed_json, body_too_large (413), invalid_field (422)
        ├── Unauthorised            401 bad_signature, clock_skew, replayed, unknown_device, ...
        ├── Forbidden               403 forbidden, device_revoked
        ├── NotFound                404 not_found
        └── Conflict                409 idempotency_key_reused (422), already_used, ...
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import SohoaError

__all__ = [
    "BadRequest",
    "Conflict",
    "Forbidden",
    "NotFound",
    "ServerProblem",
    "Unauthorised",
    "install_error_handler",
    "problem_response",
]

log = logging.getLogger("sohoa.server")

# Domain errors raised by core/ map to a status by their class name, so server/ needs no import
# of every core module just to translate them.
DOMAIN_STATUS = {
    "IllegalTransition": 409,
    "WireFormatError": 422,
    "CatalogueError": 422,
    "CalendarError": 422,
    "BadPeriod": 422,
    "UnknownProcedure": 422,
    "IdentityError": 422,
    "UnknownUnit": 422,
    "RoutingError": 422,
    "SignatureFormatError": 422,
    "StepNotAllowed": 403,
}


class ServerProblem(SohoaError):
    """A request the server refuses; `status` is the HTTP status and `code` the reason."""

    status: int = 400
    code = "bad_request"

    def __init__(
        self,
        message_vi: str,
        message_en: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        super().__init__(message_vi, message_en, code=code)
        if status is not None:
            self.status = status
        self.headers = dict(headers or {})


class BadRequest(ServerProblem):
    """The request body or parameters are not what the endpoint takes."""

    status = 400
    code = "bad_request"


class Unauthorised(ServerProblem):
    """The request is not signed, or not by a device or person the server trusts."""

    status = 401
    code = "unauthorised"


class Forbidden(ServerProblem):
    """The caller is known but may not do this."""

    status = 403
    code = "forbidden"


class NotFound(ServerProblem):
    """The thing does not exist, or the caller's unit may not know that it does."""

    status = 404
    code = "not_found"


class Conflict(ServerProblem):
    """The request clashes with what the server already holds."""

    status = 409
    code = "conflict"


def problem_response(
    status: int,
    reason: str,
    message_vi: str,
    message_en: str,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Build the problem+json response every refusal uses."""
    body = {
        "status": status,
        "reason": reason,
        "title": message_en,
        "detail_vi": message_vi,
        "detail_en": message_en,
    }
    return JSONResponse(
        body, status_code=status, headers=dict(headers or {}), media_type="application/problem+json"
    )


def _validation_problem(exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(error.get("type") == "json_invalid" for error in errors):
        return problem_response(
            400, "malformed_json", "Nội dung JSON không đọc được", "The JSON body cannot be parsed"
        )
    where = ", ".join(".".join(str(part) for part in error.get("loc", ())) for error in errors)
    return problem_response(
        422,
        "invalid_field",
        f"Trường không hợp lệ: {where}",
        f"Invalid field: {where}",
    )


async def handle_error(request: Request, exc: Exception) -> JSONResponse:
    """Turn any error the routes let out into a problem response (the one handler)."""
    if isinstance(exc, RequestValidationError):
        return _validation_problem(exc)
    if isinstance(exc, ServerProblem):
        return problem_response(exc.status, exc.code, exc.message_vi, exc.message_en, exc.headers)
    if isinstance(exc, SohoaError):
        status = DOMAIN_STATUS.get(type(exc).__name__, 400)
        return problem_response(status, exc.code, exc.message_vi, exc.message_en)
    if isinstance(exc, StarletteHTTPException):
        reason = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return problem_response(
            exc.status_code, reason, f"Lỗi HTTP {exc.status_code}", str(exc.detail), exc.headers
        )
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(500, "internal_error", "Lỗi máy chủ", "Internal server error")


def install_error_handler(app: FastAPI) -> None:
    """Route every error class through :func:`handle_error`."""
    for kind in (RequestValidationError, StarletteHTTPException, SohoaError, Exception):
        app.add_exception_handler(kind, handle_error)
