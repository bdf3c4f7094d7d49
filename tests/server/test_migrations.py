"""Migrations bring a database of version 1 up to date: migration 2 adds the figures summary and
back-fills it, migration 3 adds the portal's shared rate-limit table."""

from __future__ import annotations

import importlib.util
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, inspect, select, text

from server.db import MIGRATIONS, Database, open_database
from server.figures import figures_for
from server.schema import dossier_figures, rate_hits, schema_migrations
from server.settings import normalise_db_url
from server.testing import test_settings

# Test modules are not a package here: load the dossier maker and the fold oracle by path.
_SPEC = importlib.util.spec_from_file_location(
    "figures_summary_tests", Path(__file__).with_name("test_figures_summary.py")
)
summary_tests = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(summary_tests)


def _layout(db: Database) -> dict[str, set[str]]:
    """Return each table with the names of its indexes."""
    found = inspect(db.engine)
    return {t: {i["name"] for i in found.get_indexes(t)} for t in found.get_table_names()}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request, tmp_path):
    """Settings for a fresh database (a fresh schema on PostgreSQL)."""
    if request.param == "sqlite":
        yield test_settings(tmp_path)
        return
    dsn = normalise_db_url(os.environ["SOHOA_TEST_PG_DSN"])
    schema = f"sohoa_migration_{secrets.token_hex(4)}"
    yield test_settings(tmp_path, db_url=dsn, db_schema=schema)
    engine = create_engine(dsn)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def test_a_version_1_database_full_of_dossiers_gets_its_summary(settings):
    db = open_database(settings)
    with db.write() as conn:
        summary_tests.fill(conn, 120, seed=2)
    with db.write() as conn:
        written_at_ingest = {row.dossier_id: row for row in conn.execute(select(dossier_figures))}
        # Back to version 1: what later migrations built goes, the dossiers and events stay.
        dossier_figures.drop(conn)
        rate_hits.drop(conn)
        conn.execute(delete(schema_migrations).where(schema_migrations.c.version > 1))
    v1_layout = _layout(db)
    db.dispose()
    fresh_v1 = Database(create_engine(f"sqlite:///{Path(settings.blobs_dir).parent / 'v1.db'}"))
    with fresh_v1.write() as conn:
        MIGRATIONS[0][2](conn)
    assert set(v1_layout) == set(_layout(fresh_v1))
    assert "ix_dossiers_code" in v1_layout["dossiers"]
    fresh_v1.dispose()

    db = open_database(settings)  # applies migrations 2 and 3
    assert db.migrate() == []
    with db.read() as conn:
        versions = list(conn.scalars(select(schema_migrations.c.version)))
        backfilled = {row.dossier_id: row for row in conn.execute(select(dossier_figures))}
        now = datetime.now(UTC)
        for unit_code in (None, *summary_tests.UNITS):
            expected = summary_tests.folded_figures(conn, unit_code, None, now)
            assert figures_for(conn, unit_code, None, now) == expected
    assert sorted(versions) == [1, 2, 3]
    assert len(backfilled) == 120 and backfilled == written_at_ingest
    assert {"ix_dossier_figures_unit_received"} <= _layout(db)["dossier_figures"]
    assert _layout(db)["rate_hits"] == {"ix_rate_hits_limiter_key_at"}
    db.dispose()
