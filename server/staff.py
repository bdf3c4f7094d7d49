"""City staff accounts: roles, scrypt-hashed passwords and bearer tokens after login."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, delete, select, update

from server.errors import BadRequest, Conflict, NotFound, Unauthorised
from server.schema import staff, staff_tokens

__all__ = [
    "Role",
    "StaffMember",
    "create_staff",
    "hash_password",
    "log_in",
    "set_password",
    "staff_for_token",
    "verify_password",
]

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class Role(StrEnum):
    """What a staff member may do."""

    RECEIVING_OFFICER = "receiving_officer"
    PROCESSING_OFFICER = "processing_officer"
    LEADER = "leader"
    ADMIN = "admin"


@dataclass(frozen=True)
class StaffMember:
    """A logged-in person; `unit_code` None means city-wide (admins, city leaders)."""

    username: str
    role: Role
    unit_code: str | None


def hash_password(password: str) -> str:
    """Return a salted scrypt hash of `password` in a self-describing text form."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    parts = [base64.b64encode(salt).decode(), base64.b64encode(digest).decode()]
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${parts[0]}${parts[1]}"


def verify_password(password: str, stored: str) -> bool:
    """Check `password` against a hash made by :func:`hash_password`, in constant time."""
    _, n, r, p, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(
        password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise BadRequest(
            "Mật khẩu phải có ít nhất 8 ký tự",
            "The password must have at least 8 characters",
            code="weak_password",
        )


def create_staff(
    conn: Connection, username: str, password: str, role: Role | str, unit_code: str | None
) -> StaffMember:
    """Create a staff account.

    :raises BadRequest: the password is shorter than 8 characters or the role is unknown
    :raises Conflict: the username is taken
    """
    _check_password(password)
    try:
        role = Role(role)
    except ValueError as exc:
        raise BadRequest(
            f"Vai trò không tồn tại: {role}", f"Unknown role: {role}", code="unknown_role"
        ) from exc
    if conn.execute(select(staff.c.username).where(staff.c.username == username)).first():
        raise Conflict(
            f"Tên đăng nhập đã có: {username}", f"Username taken: {username}", code="username_taken"
        )
    conn.execute(
        staff.insert().values(
            username=username,
            password_hash=hash_password(password),
            role=role.value,
            unit_code=unit_code,
            active=True,
        )
    )
    return StaffMember(username=username, role=role, unit_code=unit_code)


def set_password(conn: Connection, username: str, password: str) -> None:
    """Give an existing account a new password.

    :raises BadRequest: the password is shorter than 8 characters
    :raises NotFound: no such account
    """
    _check_password(password)
    result = conn.execute(
        update(staff)
        .where(staff.c.username == username)
        .values(password_hash=hash_password(password))
    )
    if result.rowcount == 0:
        raise NotFound(
            f"Không có tài khoản {username}", f"No account {username}", code="unknown_user"
        )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def log_in(conn: Connection, username: str, password: str, ttl_seconds: int) -> str:
    """Check a username and password and return a new bearer token.

    :raises Unauthorised: unknown user, inactive account or wrong password (one answer for all)
    """
    row = conn.execute(select(staff).where(staff.c.username == username)).first()
    if row is None or not row.active or not verify_password(password, row.password_hash):
        raise Unauthorised(
            "Sai tên đăng nhập hoặc mật khẩu",
            "Wrong username or password",
            code="bad_credentials",
        )
    token = secrets.token_urlsafe(32)
    now = time.time()
    conn.execute(delete(staff_tokens).where(staff_tokens.c.expires_at < now))
    conn.execute(
        staff_tokens.insert().values(
            token_hash=_token_hash(token), username=username, expires_at=now + ttl_seconds
        )
    )
    return token


def staff_for_token(conn: Connection, token: str) -> StaffMember:
    """Return who a bearer token belongs to.

    :raises Unauthorised: the token is unknown or expired, or the account is inactive
    """
    row = conn.execute(
        select(staff.c.username, staff.c.role, staff.c.unit_code, staff.c.active)
        .join(staff_tokens, staff_tokens.c.username == staff.c.username)
        .where(staff_tokens.c.token_hash == _token_hash(token))
        .where(staff_tokens.c.expires_at > time.time())
    ).first()
    if row is None or not row.active:
        raise Unauthorised(
            "Phiên đăng nhập không hợp lệ hoặc đã hết hạn",
            "The session token is invalid or expired",
            code="bad_token",
        )
    return StaffMember(username=row.username, role=Role(row.role), unit_code=row.unit_code)
