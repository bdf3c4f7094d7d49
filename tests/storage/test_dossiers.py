"""Saving, appending, folding, finding and listing dossiers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.clock import HybridClock
from core.events import EventType, make_event
from storage import DossierRejected, NotFound


def _event(dossier_id, type_, payload, clock=None):
    return make_event(
        dossier_id,
        type_,
        payload,
        clock=clock or HybridClock("tablet-1"),
        device_id="tablet-1",
        officer_id="cb01",
        unit_code="11311",
    )


def test_save_then_get_folds_the_events(session, kit):
    pages = kit.pages_of("p1", "p2")
    events = kit.received_events(pages=pages)
    state = session.dossiers.save(events, pages)
    again = session.dossiers.get(events[0].dossier_id)
    assert again.code == state.code == events[0].payload["code"]
    assert again.pages == frozenset(pages)
    assert again.applicant["name"] == "Nguyễn Văn An"
    assert [e.id for e in session.dossiers.events(state.id)] == [events[0].id]


def test_save_refuses_duplicates_and_non_received_starts(session, kit):
    events = kit.received_events()
    session.dossiers.save(events)
    with pytest.raises(DossierRejected):
        session.dossiers.save(events)
    start = _event(kit.received_events()[0].dossier_id, EventType.PROCESSING_STARTED, {})
    with pytest.raises(DossierRejected):
        session.dossiers.save([start])


def test_page_that_does_not_match_its_hash_is_refused_and_nothing_written(session, kit, data_dir):
    pages = kit.pages_of("honest")
    sha = next(iter(pages))
    with pytest.raises(DossierRejected):
        session.dossiers.save(kit.received_events(pages=pages), {sha: b"something else"})
    assert session.dossiers.count() == 0
    assert list((data_dir / "blobs").iterdir()) == []


def test_append_local_event_goes_to_the_outbox(session, kit):
    events = kit.received_events()
    session.dossiers.save(events)
    started = _event(events[0].dossier_id, EventType.PROCESSING_STARTED, {})
    state = session.dossiers.append([started])
    assert state.status == "in_processing"
    assert [e.id for e in session.outbox.pending_events()] == [events[0].id, started.id]
    assert session.dossiers.list(status="in_processing").items[0].id == state.id


def test_append_illegal_local_step_is_rejected_and_nothing_written(session, kit):
    events = kit.received_events()
    session.dossiers.save(events)
    returned = _event(
        events[0].dossier_id, EventType.RETURNED, {"method": "counter", "postal_ref": None}
    )
    with pytest.raises(DossierRejected):
        session.dossiers.append([returned])
    assert len(session.dossiers.events(events[0].dossier_id)) == 1


def test_append_local_to_unknown_dossier(session, kit):
    events = kit.received_events()
    with pytest.raises(NotFound):
        session.dossiers.append(events)


def test_remote_events_create_dossier_without_outbox_and_are_idempotent(session, kit):
    pages = kit.pages_of("remote")
    events = kit.received_events(pages=pages)
    session.dossiers.append(events, pages, local=False)
    session.dossiers.append(events, pages, local=False)
    assert len(session.dossiers.events(events[0].dossier_id)) == 1
    assert session.outbox.pending_events() == []
    assert session.outbox.pending_blobs() == []
    assert session.blobs.read(next(iter(pages))) == next(iter(pages.values()))


def test_remote_events_without_a_received_event_are_refused(session, kit):
    orphan = _event(kit.received_events()[0].dossier_id, EventType.PROCESSING_STARTED, {})
    with pytest.raises(DossierRejected):
        session.dossiers.append([orphan], local=False)
    assert session.dossiers.count() == 0


def test_events_of_two_dossiers_in_one_call_are_refused(session, kit):
    with pytest.raises(DossierRejected):
        session.dossiers.append(kit.received_events() + kit.received_events(), local=False)


def test_find_by_cccd_and_code(session, kit):
    mine = kit.received_events(cccd="031095001234", name="Vũ Thị Lan")
    session.dossiers.save(mine)
    session.dossiers.save(kit.received_events(cccd="031095009999"))
    [found] = session.dossiers.find_by_cccd("031 095 001 234")
    assert found.applicant_name == "Vũ Thị Lan"
    assert session.dossiers.find_by_cccd("079999999999") == []
    assert session.dossiers.find_by_code(mine[0].payload["code"]).id == mine[0].dossier_id
    assert session.dossiers.find_by_code("nope") is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van an", {"Nguyễn Văn An"}),
        ("NGUYỄN", {"Nguyễn Văn An", "Nguyễn Thị Bích"}),
        ("đặng", {"Đặng Quốc Bảo"}),
        ("dang bao", {"Đặng Quốc Bảo"}),
        ("an nguyen", {"Nguyễn Văn An"}),
        ("binh", set()),
        ("", set()),
    ],
)
def test_find_by_name_ignores_diacritics_case_and_order(session, kit, query, expected):
    for name in ("Nguyễn Văn An", "Nguyễn Thị Bích", "Đặng Quốc Bảo"):
        session.dossiers.save(kit.received_events(name=name))
    assert {s.applicant_name for s in session.dossiers.find_by_name(query)} == expected


def test_list_pages_and_filters(session, kit, clock):
    start = datetime(2026, 1, 5, 9, 0).astimezone()
    saved = []
    for day in range(7):
        events = kit.received_events(received_at=start + timedelta(days=day))
        saved.append(session.dossiers.save(events))
    first = session.dossiers.list(limit=3)
    second = session.dossiers.list(limit=3, after=first.next_after)
    third = session.dossiers.list(limit=3, after=second.next_after)
    listed = [s.id for s in first.items + second.items + third.items]
    assert listed == [s.id for s in reversed(saved)]
    assert third.next_after is None
    assert all(s.unsynced for s in first.items)
    session.outbox.mark_confirmed([e.id for e in session.dossiers.events(saved[0].id)])
    assert saved[0].id not in {s.id for s in session.dossiers.list(unsynced=True).items}
    due_soon = session.dossiers.list(due_before=start + timedelta(days=7))
    assert {s.id for s in due_soon.items} == {s.id for s in saved[:2]}
    clock.now_ms = int((start + timedelta(days=6, hours=1)).timestamp() * 1000)
    assert {s.id for s in session.dossiers.list(overdue=True).items} == {s.id for s in saved[:2]}


def test_local_event_naming_a_page_without_its_image_is_refused(session, kit):
    pages = kit.pages_of("one", "two")
    events = kit.received_events(pages=pages)
    first = next(iter(pages))
    with pytest.raises(DossierRejected):
        session.dossiers.save(events, {first: pages[first]})
    assert session.dossiers.count() == 0


def _colliding(session, kind: str, value: str, make) -> str:
    """Return another value with the same blind index as `value` (16 bits: quick to find)."""
    target = session.dossiers._token(kind, value)
    return next(
        candidate
        for candidate in (make(i) for i in range(1_000_000))
        if candidate != value and session.dossiers._token(kind, candidate) == target
    )


def test_blind_index_false_positives_are_filtered_out(session, kit):
    other_word = _colliding(session, "name", "lan", lambda i: f"x{i}")
    other_cccd = _colliding(session, "cccd", "031095001234", lambda i: f"031095{i:06d}")
    session.dossiers.save(kit.received_events(name="Vũ Thị Lan", cccd="031095001234"))
    session.dossiers.save(kit.received_events(name=f"Vũ Thị {other_word}", cccd=other_cccd))
    assert [s.applicant_name for s in session.dossiers.find_by_name("lan")] == ["Vũ Thị Lan"]
    assert [s.applicant_cccd for s in session.dossiers.find_by_cccd(other_cccd)] == [other_cccd]


def test_find_by_name_pages_through_many_matches(session, kit):
    start = datetime(2026, 1, 5, 9, 0).astimezone()
    saved = [
        session.dossiers.save(
            kit.received_events(name=f"Nguyễn Văn {given}", received_at=start + timedelta(hours=i))
        )
        for i, given in enumerate(["An", "Bình", "Cường", "Dũng", "Em"])
    ]
    found = session.dossiers.find_by_name("nguyen", limit=2)
    assert [s.id for s in found] == [saved[4].id, saved[3].id]
    assert len(session.dossiers.find_by_name("nguyen van")) == 5


def test_pages_added_locally_need_their_images_but_remote_ones_may_come_later(session, kit):
    remote_pages = kit.pages_of("remote-later")
    events = kit.received_events(pages=remote_pages)
    session.dossiers.append(events, local=False)
    new_pages = kit.pages_of("scan-2")
    sha = next(iter(new_pages))
    added = _event(
        events[0].dossier_id,
        EventType.PAGES_ADDED,
        {
            "component_id": "tk",
            "pages": [
                {"sha256": sha, "media_type": "image/jpeg", "mode": "RGB", "dpi": 200, "bytes": 9}
            ],
        },
    )
    with pytest.raises(DossierRejected):
        session.dossiers.append([added])
    state = session.dossiers.append([added], new_pages)
    assert state.pages == frozenset(remote_pages) | {sha}
    assert session.outbox.pending_blobs() == [sha]
