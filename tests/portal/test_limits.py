"""The sliding-window rate limiter, counted in a real city database."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, func, select, text

from server.db import Database, open_database
from server.portal import RateLimiter, TooManyLookups
from server.schema import rate_hits
from server.settings import ServerSettings, normalise_db_url
from server.testing import test_settings


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request, tmp_path) -> Iterator[ServerSettings]:
    """Settings for a fresh city database (a schema of its own on PostgreSQL)."""
    if request.param == "sqlite":
        yield test_settings(tmp_path)
        return
    dsn = normalise_db_url(request.getfixturevalue("pg_dsn"))
    schema = f"sohoa_limits_{secrets.token_hex(4)}"
    yield test_settings(tmp_path, dsn, schema)
    engine = create_engine(dsn)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def db(settings) -> Iterator[Database]:
    """A migrated city database."""
    database = open_database(settings)
    yield database
    database.dispose()


def test_hits_are_allowed_up_to_the_limit_then_refused_until_the_window_slides(db):
    clock = Clock()
    limiter = RateLimiter(db, "client", 2, 60, now=clock)
    limiter.hit("a")
    clock.now += 30
    limiter.hit("a")
    with pytest.raises(TooManyLookups) as refused:
        limiter.hit("a")
    assert refused.value.retry_after_seconds == 31
    limiter.hit("b")  # other keys keep their own windows
    clock.now += 30  # the first hit leaves the window
    limiter.hit("a")
    with pytest.raises(TooManyLookups):
        limiter.check("a")


def test_check_does_not_spend_a_hit(db):
    limiter = RateLimiter(db, "client", 1, 60, now=Clock())
    for _ in range(3):
        limiter.check("a")
    limiter.hit("a")
    with pytest.raises(TooManyLookups) as refused:
        limiter.check("a")
    assert "phút" in refused.value.message_vi and "min" in refused.value.message_en


def test_server_processes_on_one_database_share_the_count(settings, db):
    clock = Clock()
    other_process = open_database(settings)  # the same database, its own engine
    try:
        RateLimiter(db, "code", 2, 3600, now=clock).hit("H31.11311-260302-0001")
        RateLimiter(other_process, "code", 2, 3600, now=clock).hit("H31.11311-260302-0001")
        with pytest.raises(TooManyLookups):
            RateLimiter(db, "code", 2, 3600, now=clock).check("H31.11311-260302-0001")
    finally:
        other_process.dispose()
    RateLimiter(db, "client", 2, 3600, now=clock).check("H31.11311-260302-0001")  # apart


def test_hits_that_left_the_window_are_forgotten(db):
    clock = Clock()
    limiter = RateLimiter(db, "client", 5, 60, now=clock)
    for key in ("a", "b", "c"):
        limiter.hit(key)
    clock.now += 61
    limiter.hit("d")
    with db.read() as conn:
        assert conn.scalar(select(func.count()).select_from(rate_hits)) == 1
