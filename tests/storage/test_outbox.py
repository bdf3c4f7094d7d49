"""The outbox: order, confirmation, quarantine and retry; pages waiting for upload."""

from __future__ import annotations

import pytest

from storage import NotFound, TamperedData


def test_pending_events_in_write_order_until_confirmed(session, kit):
    written = []
    for name in ("Lý Văn Một", "Lý Văn Hai", "Lý Văn Ba"):
        written += kit.received_events(name=name)
        session.dossiers.save(written[-1:])
    assert [e.id for e in session.outbox.pending_events()] == [e.id for e in written]
    assert [e.id for e in session.outbox.pending_events(limit=2)] == [e.id for e in written[:2]]
    session.outbox.mark_sent([written[0].id])
    assert session.outbox.pending_events()[0].id == written[0].id  # sent but unanswered: resent
    session.outbox.mark_confirmed([written[0].id])
    assert [e.id for e in session.outbox.pending_events()] == [e.id for e in written[1:]]
    assert session.outbox.counts() == {"confirmed": 1, "pending": 2}


def test_quarantine_does_not_block_and_retry_requeues(session, kit):
    first, second = kit.received_events(), kit.received_events()
    session.dossiers.save(first)
    session.dossiers.save(second)
    session.outbox.quarantine(first[0].id, "Mã hồ sơ đã tồn tại / code already used")
    assert [e.id for e in session.outbox.pending_events()] == [second[0].id]
    [held] = session.outbox.quarantined()
    assert held.event.id == first[0].id
    assert held.reason == "Mã hồ sơ đã tồn tại / code already used"
    session.outbox.retry(first[0].id)
    assert [e.id for e in session.outbox.pending_events()] == [first[0].id, second[0].id]
    with pytest.raises(NotFound):
        session.outbox.retry(first[0].id)
    with pytest.raises(NotFound):
        session.outbox.quarantine("01900000-0000-7000-8000-000000000000", "x")


def test_pending_blobs_until_confirmed(session, kit):
    pages = kit.pages_of("a", "b")
    session.dossiers.save(kit.received_events(pages=pages), pages)
    assert sorted(session.outbox.pending_blobs()) == sorted(pages)
    first = sorted(pages)[0]
    session.outbox.mark_blobs_confirmed([first])
    assert session.outbox.pending_blobs() == [sorted(pages)[1]]
    assert session.blobs.read(first) == pages[first]
    assert session.blobs.has(first)


def test_blob_put_and_missing_blob(session, kit):
    data = kit.page_bytes("from-server")
    sha = session.blobs.put(data)
    assert session.blobs.read(sha) == data
    assert session.outbox.pending_blobs() == []
    with pytest.raises(NotFound):
        session.blobs.read("0" * 64)


def test_kv_round_trip_and_device_key(session, vault, kit):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    assert session.kv.get("sync.cursor", "start") == "start"
    session.kv.set("sync.cursor", "c-1042")
    session.kv.set("tus:" + "a" * 64, {"offset": 65536, "url": "/files/7"})
    assert session.kv.get("sync.cursor") == "c-1042"
    assert session.kv.get("tus:" + "a" * 64)["offset"] == 65536
    session.kv.delete("sync.cursor")
    assert session.kv.get("sync.cursor") is None
    assert session.device_key() is None
    key = Ed25519PrivateKey.generate()
    session.set_device_key(key)
    again = vault.unlock(session.officer_id, kit.PIN)
    assert again.device_key().private_bytes_raw() == key.private_bytes_raw()
    assert key.private_bytes_raw() not in kit.all_bytes(vault.data_dir)


def test_kv_value_moved_to_another_key_is_detected(session, vault):
    session.kv.set("sync.cursor", "c-1")
    session.kv.set("sync.server_time", 1767225600)
    rows = {r["ref"]: r["value_box"] for r in vault.db.query("SELECT * FROM kv")}
    first, second = rows
    vault.db.execute("UPDATE kv SET value_box = ? WHERE ref = ?", [rows[first], second])
    with pytest.raises(TamperedData):
        [session.kv.get(k) for k in ("sync.cursor", "sync.server_time")]


def test_lock_is_audited(vault, session, kit):
    session.lock()
    again = vault.unlock(session.officer_id, kit.PIN)
    assert [e.action for e in again.audit.entries()] == ["unlock", "lock", "unlock"]


def test_audit_chain_records_and_detects_edits(session, vault):
    session.audit.record("view", "d-1", {"screen": "chi tiết"})
    session.audit.record("export", "d-1", {"format": "pdf"})
    entries = session.audit.entries()
    assert [e.action for e in entries] == ["unlock", "view", "export"]
    assert {e.officer_id for e in entries} == {session.officer_id}
    assert entries[2].detail == {"format": "pdf"}
    vault.db.execute("UPDATE audit SET action = 'view' WHERE seq = 3")
    with pytest.raises(TamperedData):
        session.audit.entries()
    vault.db.execute("UPDATE audit SET action = 'export' WHERE seq = 3")
    vault.db.execute("DELETE FROM audit WHERE seq = 2")
    with pytest.raises(TamperedData):
        session.audit.entries()
