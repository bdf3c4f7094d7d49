"""Fixtures shared by every test package: the PostgreSQL DSN and the marker policy."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

PG_ENV = "SOHOA_TEST_PG_DSN"

# CI explores the same examples on every run, so a landing is never decided by a lucky draw;
# developers' runs stay random and keep finding new cases.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out PostgreSQL tests on a machine without a DSN; CI must always run them."""
    if os.environ.get(PG_ENV):
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI must set {PG_ENV} so the PostgreSQL tests run")
    kept = [item for item in items if "postgres" not in item.keywords]
    deselected = [item for item in items if "postgres" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(scope="session")
def pg_dsn() -> str:
    """The DSN of the PostgreSQL database the tests may use (trust auth, database `test`)."""
    return os.environ[PG_ENV]
