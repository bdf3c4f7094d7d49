"""Staff accounts: scrypt hashes, tokens that expire, one answer for every bad log-in."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from server.errors import BadRequest, Unauthorised
from server.schema import staff
from server.staff import (
    create_staff,
    hash_password,
    log_in,
    set_password,
    staff_for_token,
    verify_password,
)


def test_hashes_are_salted_and_verify_only_the_right_password():
    first, second = hash_password("mat-khau-123"), hash_password("mat-khau-123")
    assert first != second and first.startswith("scrypt$")
    assert verify_password("mat-khau-123", first)
    assert not verify_password("mat-khau-124", first)


def test_tokens_expire_and_inactive_accounts_are_refused(server):
    db = server.context.db
    with db.write() as conn:
        create_staff(conn, "minh", "mat-khau-123", "leader", "11311")
        expired = log_in(conn, "minh", "mat-khau-123", ttl_seconds=-1)
        live = log_in(conn, "minh", "mat-khau-123", ttl_seconds=60)
    with db.read() as conn:
        assert staff_for_token(conn, live).unit_code == "11311"
        with pytest.raises(Unauthorised):
            staff_for_token(conn, expired)
    with db.write() as conn:
        conn.execute(update(staff).where(staff.c.username == "minh").values(active=False))
    with db.read() as conn, pytest.raises(Unauthorised) as raised:
        staff_for_token(conn, live)
    assert raised.value.code == "bad_token"


def test_a_new_password_replaces_the_old_one(server):
    with server.context.db.write() as conn:
        create_staff(conn, "tuan", "mat-khau-123", "admin", None)
        set_password(conn, "tuan", "mat-khau-moi")
        with pytest.raises(Unauthorised):
            log_in(conn, "tuan", "mat-khau-123", 60)
        assert log_in(conn, "tuan", "mat-khau-moi", 60)
        with pytest.raises(BadRequest):
            set_password(conn, "tuan", "short")
