"""The list indexes: the unsynced flag the outbox keeps, status walks, counts, and the upgrade."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from sqlite_utils import Database

from core.clock import HybridClock
from core.events import EventType, make_event
from storage import Vault
from storage.schema import MIGRATIONS

NEW_MIGRATION = "m002_list_indexes"


def _started(dossier_id: str):
    return make_event(
        dossier_id,
        EventType.PROCESSING_STARTED,
        {},
        clock=HybridClock("tablet-1"),
        device_id="tablet-1",
        officer_id="cb01",
        unit_code="11311",
    )


def _unsynced(session) -> set[str]:
    return {s.id for s in session.dossiers.list(unsynced=True).items}


def test_the_unsynced_flag_follows_the_outbox(session, kit):
    first, second = kit.received_events(), kit.received_events()
    session.dossiers.save(first)
    session.dossiers.save(second)
    one, two = first[0].dossier_id, second[0].dossier_id
    assert _unsynced(session) == {one, two} and session.dossiers.count(unsynced=True) == 2
    session.outbox.mark_sent([first[0].id])
    assert _unsynced(session) == {one, two}
    session.outbox.mark_confirmed([first[0].id])
    assert _unsynced(session) == {two}
    session.dossiers.append([started := _started(one)])
    assert _unsynced(session) == {one, two}
    session.outbox.quarantine(started.id, "refused")
    session.outbox.mark_confirmed([second[0].id])
    assert _unsynced(session) == {one}
    assert [s.unsynced for s in session.dossiers.list().items] == [False, True]
    session.outbox.retry(started.id)
    session.outbox.mark_confirmed([started.id])
    assert _unsynced(session) == set() and session.dossiers.count(unsynced=True) == 0


def test_status_filters_page_through_several_statuses_newest_first(session, kit, clock):
    start = datetime(2026, 1, 5, 9, 0).astimezone()
    saved = []
    for day in range(7):
        events = kit.received_events(received_at=start + timedelta(days=day))
        session.dossiers.save(events)
        if day % 2:
            session.dossiers.append([_started(events[0].dossier_id)])
        saved.append(events[0].dossier_id)
    clock.now_ms = int((start + timedelta(days=20)).timestamp() * 1000)
    listed, after = [], None
    while True:
        page = session.dossiers.list(overdue=True, limit=2, after=after)
        listed += [s.id for s in page.items]
        if page.next_after is None:
            break
        after = page.next_after
    assert listed == saved[::-1]
    both = session.dossiers.list(status=("received", "in_processing"), limit=10).items
    assert [s.id for s in both] == saved[::-1]
    assert [s.id for s in session.dossiers.list(status="in_processing").items] == saved[5::-2]
    assert session.dossiers.list(status="returned", overdue=True).items == []
    assert session.dossiers.count(status="in_processing") == 3
    assert session.dossiers.count(overdue=True) == 7
    assert session.dossiers.count(received_since=start + timedelta(days=5)) == 2
    assert session.dossiers.count() == 7


def test_due_soonest_merges_the_open_statuses_in_due_order(session, kit):
    start = datetime(2026, 1, 5, 9, 0).astimezone()
    saved = []
    for day in (3, 0, 2, 1):
        events = kit.received_events(received_at=start + timedelta(days=day))
        session.dossiers.save(events)
        if day % 2:
            session.dossiers.append([_started(events[0].dossier_id)])
        saved.append((day, events[0].dossier_id))
    soonest = session.dossiers.due_soonest(start + timedelta(days=8), 3)
    assert [s.id for s in soonest] == [i for _, i in sorted(saved)][:3]


def _old_format() -> set[tuple[str, str]]:
    """The tables, indexes and triggers of a vault made before the list indexes."""
    db = Database(memory=True)
    MIGRATIONS.apply(db, stop_before=NEW_MIGRATION)
    return _objects(db.conn)


def _objects(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    rows = conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    columns = {("column", row[1]) for row in conn.execute("PRAGMA table_info(dossiers)")}
    return set(rows.fetchall()) | columns


def test_a_vault_of_the_old_format_gets_the_indexes_and_flags_when_opened(vault, session, kit):
    kept, sent = kit.received_events(), kit.received_events()
    session.dossiers.save(kept)
    session.dossiers.save(sent)
    session.outbox.mark_confirmed([sent[0].id])
    path = vault.data_dir / "vault.db"
    vault.close()
    old = sqlite3.connect(path)
    with old:
        for trigger in ("outbox_added", "outbox_moved", "outbox_removed"):
            old.execute(f"DROP TRIGGER {trigger}")
        for index in ("dossiers_due", "dossiers_status", "dossiers_unsynced"):
            old.execute(f"DROP INDEX {index}")
        old.execute("ALTER TABLE dossiers DROP COLUMN unsynced")
        old.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [NEW_MIGRATION])
    assert _objects(old) == _old_format()
    old.close()

    reopened = Vault.open(vault.data_dir, kdf_cost=kit.TEST_KDF_COST)
    again = reopened.unlock(reopened.officers()[0].id, kit.PIN)
    assert _unsynced(again) == {kept[0].dossier_id}
    assert {"dossiers_due", "dossiers_status", "dossiers_unsynced"} <= {
        name for _, name in _objects(reopened.db.conn)
    }
    session_events = again.dossiers.events(kept[0].dossier_id)
    again.outbox.mark_confirmed([e.id for e in session_events])
    assert _unsynced(again) == set()
    reopened.close()
