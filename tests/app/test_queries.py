"""Lists and figures read straight from a real vault (no server needed)."""

from datetime import datetime, timedelta

import pytest

from app.queries import find_dossiers, home_figures
from app.state.dossiers import FILTERS, DossierQuery, set_filter, set_search
from core.calendar import TIMEZONE
from core.clock import HybridClock
from core.events import EventType, make_event
from core.ids import new_id
from storage import Vault

NOW = datetime.now(TIMEZONE).replace(microsecond=0)
STAMP = {"device_id": "tablet-1", "officer_id": "cb01", "unit_code": "11311"}


@pytest.fixture
def vault(tmp_path):
    vault = Vault.create(
        tmp_path, unit_code="11311", officer_name="Lê Thị Hoa", pin="24681357", kdf_cost=1 << 10
    )
    yield vault
    vault.close()


@pytest.fixture
def dossiers(vault):
    session = vault.unlock(vault.officers()[0].id, "24681357")
    yield session.dossiers
    session.lock()


def store(dossiers, n: int, received: datetime, due: datetime, *, returned: bool = False):
    clock = HybridClock("tablet-1")
    payload = {
        "code": f"H31.11311-{received:%y%m%d}-{n:04d}",
        "procedure_code": "1.001193",
        "catalogue_version": "2025.2",
        "applicant": {"cccd": f"0310900{n:05d}", "name": f"Trần Văn {n}", "birth_date": None,
                      "gender": None, "phone": "", "address": "Hải Phòng"},
        "channel": "counter", "receiving_unit": "11311", "competent_unit": "11311",
        "return_method": "counter", "return_address": None,
        "received_at": received.isoformat(), "due_at": due.isoformat(),
        "components": [], "fee_vnd": 0,
    }  # fmt: skip
    dossier_id = new_id()
    events = [make_event(dossier_id, EventType.RECEIVED, payload, clock=clock, **STAMP)]
    if returned:
        steps = (
            (EventType.PROCESSING_STARTED, {}),
            (EventType.RESULT_READY, {"result": {"document_type": "x", "pages": [],
                                                 "digitised": False}}),
            (EventType.RETURNED, {"method": "counter", "postal_ref": None}),
        )  # fmt: skip
        events += [make_event(dossier_id, k, p, clock=clock, **STAMP) for k, p in steps]
    dossiers.save(events, {})
    return payload["code"]


def test_figures_count_today_due_and_overdue_but_not_closed_dossiers(dossiers):
    yesterday = NOW - timedelta(days=1)
    store(dossiers, 1, NOW - timedelta(minutes=5), NOW + timedelta(minutes=30))
    store(dossiers, 2, yesterday, NOW - timedelta(hours=1))
    store(dossiers, 3, yesterday, yesterday + timedelta(hours=2), returned=True)
    store(dossiers, 4, NOW - timedelta(minutes=1), NOW + timedelta(days=3))
    counts, queue = home_figures(dossiers, NOW)
    assert counts.received_today == 2
    assert counts.overdue == 1
    assert counts.due_today == 1
    assert counts.unsynced == 4
    assert [s.code[-4:] for s in queue] == ["0002", "0001"]


def test_find_by_text_and_filters(dossiers):
    code = store(dossiers, 7, NOW - timedelta(days=2), NOW - timedelta(days=1))
    store(dossiers, 8, NOW, NOW + timedelta(days=2), returned=True)
    rows, after = find_dossiers(dossiers, set_search(DossierQuery(), code), NOW)
    assert [r.code for r in rows] == [code] and after is None
    rows, _ = find_dossiers(dossiers, set_search(DossierQuery(), "tran van 7"), NOW)
    assert [r.code for r in rows] == [code]
    rows, _ = find_dossiers(dossiers, set_filter(DossierQuery(), "overdue"), NOW)
    assert [r.code for r in rows] == [code]
    rows, _ = find_dossiers(dossiers, set_filter(DossierQuery(), "received"), NOW)
    assert [r.code for r in rows] == [code]


def plans(vault, run) -> list[list[str]]:
    """The query plans of every SELECT that `run()` sends to the vault's connection."""
    statements: list[str] = []
    vault.db.conn.set_trace_callback(statements.append)
    try:
        run()
    finally:
        vault.db.conn.set_trace_callback(None)
    return [
        [row[3] for row in vault.db.execute("EXPLAIN QUERY PLAN " + sql)]
        for sql in statements
        if sql.lstrip().upper().startswith("SELECT")
    ]


@pytest.fixture
def mixed(dossiers):
    """Four dossiers received over four days: two overdue, one due now, one returned."""
    for n in range(4):
        received = NOW - timedelta(days=n, hours=3)
        store(dossiers, n, received, NOW + timedelta(hours=n - 2), returned=n == 3)
    return dossiers


def test_home_figures_search_indexes_and_never_walk_every_dossier(vault, mixed):
    dossiers = mixed
    steps = [step for plan in plans(vault, lambda: home_figures(dossiers, NOW)) for step in plan]
    assert steps and not [s for s in steps if "TEMP B-TREE" in s]
    # Only the unsynced ones may be scanned (a partial index); everything else is a search.
    assert all(s.startswith("SEARCH") or "dossiers_unsynced" in s for s in steps), steps
    assert all("INDEX" in s for s in steps), steps
    for index in ("dossiers_due", "dossiers_list", "dossiers_unsynced"):
        assert any(index in s for s in steps), index


def test_each_list_filter_walks_its_own_index_in_list_order(vault, mixed):
    dossiers = mixed
    expected = {
        "all": "dossiers_list",
        "received": "dossiers_status",
        "due": "dossiers_list",
        "overdue": "dossiers_status",
        "unsynced": "dossiers_unsynced",
    }
    for name in FILTERS:
        query = set_filter(DossierQuery(), name)
        walk, *rest = plans(vault, lambda q=query: find_dossiers(dossiers, q, NOW))
        assert len(walk) == 1 and expected[name] in walk[0], (name, walk)
        steps = [step for plan in (walk, *rest) for step in plan]
        assert all("INDEX" in s and "TEMP B-TREE" not in s for s in steps), (name, steps)
