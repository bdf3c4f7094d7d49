"""Fixtures shared by every test package: the PostgreSQL DSN and the marker policy."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

PG_ENV = "SOHOA_TEST_PG_DSN"
CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium as root, on a machine whose only network is loopback.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

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


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium (never one Playwright downloads), for one test module.

    Playwright's sync API holds an event loop on the main thread while it runs, so it is stopped
    after each module: later tests are free to call ``asyncio.run``.
    """
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-tools`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
