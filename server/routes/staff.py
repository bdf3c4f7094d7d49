"""Staff log-in: a username and password buy a bearer token."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from server.deps import ContextDep, StaffDep
from server.staff import log_in

router = APIRouter(prefix="/v1/auth", tags=["staff"])


class LoginRequest(BaseModel):
    """A staff member's credentials."""

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


@router.post("/login")
def login(credentials: LoginRequest, context: ContextDep) -> dict:
    """Return a bearer token for the staff member."""
    with context.db.write() as conn:
        token = log_in(
            conn, credentials.username, credentials.password, context.settings.token_ttl_seconds
        )
    return {"token": token, "expires_in": context.settings.token_ttl_seconds}


@router.get("/me")
def me(member: StaffDep) -> dict:
    """Return who the token belongs to."""
    return {"username": member.username, "role": member.role, "unit_code": member.unit_code}
