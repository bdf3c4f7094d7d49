"""The portal's and the console's queries on PostgreSQL: lookup, supplement, pre-application,
queue and figures, in a schema of their own."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from core.dossier import Status
from core.dossier_state import VIETNAM
from server.console import parse_period, period_figures, unit_queue
from server.context import ServerContext
from server.main import build_context
from server.portal import LookupFailed, Portal, PreApplication
from server.portal.preapply import create_tables, find_preapplication, issue_preapplication
from server.portal.testing import UNIT, Unit, Ward
from server.settings import normalise_db_url
from server.testing import test_settings

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_context(pg_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerContext]:
    """A server context on a fresh PostgreSQL schema, dropped afterwards."""
    dsn = normalise_db_url(pg_dsn)
    schema = f"sohoa_portal_{secrets.token_hex(4)}"
    context = build_context(test_settings(tmp_path_factory.mktemp("pg"), dsn, schema))
    try:
        yield context
    finally:
        context.db.dispose()
        engine = create_engine(dsn)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def test_the_citizen_and_the_unit_work_the_same_on_postgres(pg_context, sharp_photo):
    ward, unit, portal = Ward(pg_context), Unit(pg_context), Portal(pg_context)
    dossier_id, code = ward.receive()
    with pytest.raises(LookupFailed):
        portal.follow(code, "4321", "192.0.2.1")
    assert portal.follow(code, "1234", "192.0.2.1") == dossier_id
    unit.ask_supplement(dossier_id, ["giay_chung_sinh"])
    record = portal.add_photo(dossier_id, "giay_chung_sinh", sharp_photo)
    portal.finish_supplement(dossier_id)
    assert portal.view(dossier_id).page_count == 2
    with pg_context.db.read() as conn:
        (row,) = unit_queue(conn, UNIT, datetime.now(UTC))
    assert (row.dossier_id, row.status) == (dossier_id, Status.RECEIVED)
    draft = PreApplication("1.001193", pg_context.catalogue.version)
    draft.add_page("to_khai_khai_sinh", record)
    with pg_context.db.write() as conn:
        create_tables(conn)
        issued = issue_preapplication(conn, draft, pg_context.catalogue)
    with pg_context.db.read() as conn:
        assert find_preapplication(conn, issued.code).page_count == 1
        today = str(datetime.now(VIETNAM).date())
        period = parse_period(today, today)
        rows = period_figures(conn, None, period)
    assert rows[0].figures.received == 1
