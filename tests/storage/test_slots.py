"""Officer slots: lockout, PIN change, removal with key rotation."""

from __future__ import annotations

import pytest

from storage import OfficerError, SlotWiped, TamperedData, UnlockThrottled, WrongPin
from storage.slots import MAX_FAILURES, THROTTLE_AFTER


def test_wrong_pin_counts_then_throttles_then_wipes(vault, clock, kit):
    officer = vault.officers()[0].id
    wrapped_private = vault.db.table("slots").get(officer)["wrapped_private"]
    for failure in range(1, THROTTLE_AFTER + 1):
        with pytest.raises(WrongPin) as caught:
            vault.unlock(officer, "00000000")
        assert caught.value.failures == failure
    with pytest.raises(UnlockThrottled) as throttled:
        vault.unlock(officer, kit.PIN)
    assert throttled.value.retry_after == 30
    clock.now_ms += 29_000
    with pytest.raises(UnlockThrottled):
        vault.unlock(officer, kit.PIN)
    delays = []
    for _ in range(THROTTLE_AFTER + 1, MAX_FAILURES):
        clock.now_ms += 10**9
        with pytest.raises(WrongPin):
            vault.unlock(officer, "00000000")
        row = vault.db.table("slots").get(officer)
        delays.append(row["not_before_ms"] - clock.now_ms)
    assert delays == sorted(delays) and delays[-1] > delays[0]
    clock.now_ms += 10**9
    with pytest.raises(SlotWiped):
        vault.unlock(officer, "00000000")
    clock.now_ms += 10**9
    with pytest.raises(SlotWiped):
        vault.unlock(officer, kit.PIN)
    row = vault.db.table("slots").get(officer)
    assert row["wrapped_private"] == b"" and row["sealed_vault_key"] == b""
    assert vault.officers()[0].locked
    assert wrapped_private not in kit.all_bytes(vault.data_dir)


def test_correct_pin_works_once_the_delay_has_passed(vault, clock, kit):
    officer = vault.officers()[0].id
    for _ in range(THROTTLE_AFTER):
        with pytest.raises(WrongPin):
            vault.unlock(officer, "00000000")
    clock.now_ms += 30_000
    assert vault.unlock(officer, kit.PIN).officer_id == officer
    assert vault.officers()[0].failures == 0


def test_success_resets_the_failure_count(vault, kit):
    officer = vault.officers()[0].id
    for _ in range(3):
        with pytest.raises(WrongPin):
            vault.unlock(officer, "99999999")
    vault.unlock(officer, kit.PIN)
    assert vault.officers()[0].failures == 0


def test_unknown_officer(vault, kit):
    with pytest.raises(OfficerError):
        vault.unlock("01900000-0000-7000-8000-000000000000", kit.PIN)


def test_add_officer_and_change_pin(vault, session, kit):
    second = session.add_officer("Hoàng Minh Đức", "11223344")
    assert [o.name for o in vault.officers()] == ["Trần Thị Bình", "Hoàng Minh Đức"]
    other = vault.unlock(second, "11223344")
    with pytest.raises(WrongPin):
        other.change_pin("00000000", "55667788")
    other.change_pin("11223344", "55667788")
    with pytest.raises(WrongPin):
        vault.unlock(second, "11223344")
    assert vault.unlock(second, "55667788").officer_id == second
    assert [o.name for o in vault.officers()] == ["Trần Thị Bình", "Hoàng Minh Đức"]


def test_short_pin_refused(session):
    with pytest.raises(OfficerError):
        session.add_officer("Hoàng Minh Đức", "1234")


def test_remove_officer_rotates_the_vault_key(vault, session, kit):
    pages = kit.pages_of("rotation")
    events = kit.received_events(pages=pages)
    session.dossiers.save(events, pages)
    second = session.add_officer("Hoàng Minh Đức", "11223344")
    removed_slot = dict(vault.db.table("slots").get(second))
    assert removed_slot["wrapped_private"] in kit.all_bytes(vault.data_dir)
    wrapped_before = vault.db.table("vault").get(1)["wrapped_root"]
    session.remove_officer(second)
    assert [o.id for o in vault.officers()] == [session.officer_id]
    assert removed_slot["wrapped_private"] not in kit.all_bytes(vault.data_dir)
    assert vault.db.table("vault").get(1)["wrapped_root"] != wrapped_before
    # The removed slot, put back from a copy, opens only the old vault key, which no longer
    # unwraps anything.
    vault.db.table("slots").insert(removed_slot)
    with pytest.raises(TamperedData):
        vault.unlock(second, "11223344").dossiers.get(events[0].dossier_id)
    again = vault.unlock(session.officer_id, kit.PIN)
    assert again.dossiers.get(events[0].dossier_id).code == events[0].payload["code"]
    assert again.blobs.read(next(iter(pages))) == next(iter(pages.values()))
    assert session.dossiers.get(events[0].dossier_id).pages == frozenset(pages)


def test_last_officer_cannot_be_removed(session):
    with pytest.raises(OfficerError):
        session.remove_officer(session.officer_id)


def test_officer_names_are_not_in_the_database(vault, data_dir):
    vault.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = (data_dir / "vault.db").read_bytes()
    assert "Trần Thị Bình".encode() not in raw
