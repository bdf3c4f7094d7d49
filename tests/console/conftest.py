"""Fixtures for the console tests: a server context on a fresh SQLite database, a ward counter
that receives dossiers through the server's ingest, and the competent unit's officer."""

from __future__ import annotations

import pytest

from server.context import ServerContext
from server.main import build_context
from server.portal.testing import Unit, Ward
from server.testing import test_settings


@pytest.fixture
def context(tmp_path) -> ServerContext:
    """A fresh server context per test, so queues and figures start empty."""
    return build_context(test_settings(tmp_path))


@pytest.fixture
def ward(context: ServerContext) -> Ward:
    """A ward counter device of the test's server."""
    return Ward(context)


@pytest.fixture
def unit(context: ServerContext) -> Unit:
    """The competent unit's officer on the test's server."""
    return Unit(context)
