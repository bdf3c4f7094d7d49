"""Tamper tests: flipped bits, swapped rows, columns and units, truncated blobs all fail loudly."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from core.clock import HybridClock
from core.events import EventType, make_event
from storage import TamperedData, crypto


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _flip(blob: bytes, index: int) -> bytes:
    return blob[:index] + bytes([blob[index] ^ 0x01]) + blob[index + 1 :]


@pytest.mark.parametrize("index", [0, 5, 12, 20, -1])
def test_bit_flip_in_an_event_is_detected(session, vault, kit, index):
    events = kit.received_events()
    session.dossiers.save(events)
    box = vault.db.table("events").get(1)["body_box"]
    vault.db.execute("UPDATE events SET body_box = ? WHERE seq = 1", [_flip(box, index % len(box))])
    with pytest.raises(TamperedData):
        session.dossiers.get(events[0].dossier_id)


def test_event_swapped_between_dossiers_is_detected(session, vault, kit):
    a, b = kit.received_events(), kit.received_events()
    session.dossiers.save(a)
    session.dossiers.save(b)
    vault.db.execute("UPDATE events SET dossier_id = ? WHERE id = ?", [b[0].dossier_id, a[0].id])
    with pytest.raises(TamperedData):
        session.dossiers.get(b[0].dossier_id)


def test_event_swapped_between_rows_of_one_dossier_is_detected(session, vault, kit):
    events = kit.received_events()
    session.dossiers.save(events)
    started = make_event(
        events[0].dossier_id,
        EventType.PROCESSING_STARTED,
        {},
        clock=HybridClock("t"),
        device_id="t",
        officer_id="cb01",
        unit_code=kit.UNIT,
    )
    session.dossiers.append([started])
    boxes = [r["body_box"] for r in vault.db.query("SELECT body_box FROM events ORDER BY seq")]
    vault.db.execute("UPDATE events SET body_box = ? WHERE seq = 1", [boxes[1]])
    with pytest.raises(TamperedData):
        session.dossiers.events(events[0].dossier_id)


def test_summary_moved_to_another_dossier_is_detected(session, vault, kit):
    a, b = kit.received_events(name="Mai Văn Tư"), kit.received_events(name="Tô Thị Năm")
    session.dossiers.save(a)
    session.dossiers.save(b)
    box = vault.db.table("dossiers").get(a[0].dossier_id)["summary_box"]
    vault.db.table("dossiers").update(b[0].dossier_id, {"summary_box": box})
    with pytest.raises(TamperedData):
        session.dossiers.list()


def test_value_moved_between_columns_is_detected(session, vault):
    session.kv.set("sync.cursor", "c-1")
    box = next(vault.db.query("SELECT value_box FROM kv"))["value_box"]
    session.audit.record("view", "d-1", {"x": 1})
    vault.db.execute("UPDATE audit SET detail_box = ? WHERE seq = 2", [box])
    with pytest.raises(TamperedData):
        session.audit.entries()


def test_ciphertext_from_another_unit_is_refused():
    key = crypto.new_key()
    box = crypto.seal(key, b"Nguyen", crypto.associated_data("events", "body", "r1", "11311"))
    with pytest.raises(TamperedData):
        crypto.open_box(key, box, crypto.associated_data("events", "body", "r1", "11320"), "x")


@pytest.mark.parametrize("damage", ["truncate", "flip", "drop_chunk", "swap_file", "delete"])
def test_damaged_blob_files_are_detected(session, vault, kit, damage):
    big = kit.page_bytes("big", size=200_000)
    small = kit.page_bytes("small")
    pages = {_sha(big): big, _sha(small): small}
    session.dossiers.save(kit.received_events(pages=pages), pages)
    files = {
        row["size"]: vault.data_dir / "blobs" / row["file"]
        for row in vault.db.query("SELECT size, file FROM blobs")
    }
    target = files[len(big)]
    raw = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(raw[: len(raw) // 2])
    elif damage == "flip":
        target.write_bytes(_flip(raw, len(raw) // 3))
    elif damage == "drop_chunk":
        first_len = int.from_bytes(raw[4:8], "big")
        target.write_bytes(raw[:4] + raw[8 + first_len :])
    elif damage == "swap_file":
        target.write_bytes(files[len(small)].read_bytes())
    else:
        target.unlink()
    with pytest.raises(TamperedData):
        session.blobs.read(_sha(big))
    assert session.blobs.read(_sha(small)) == small


def test_slot_swapped_between_officers_fails(vault, session, kit, data_dir):
    second = session.add_officer("Hoàng Minh Đức", "11223344")
    first = session.officer_id
    db = sqlite3.connect(data_dir / "vault.db")
    sealed = dict(db.execute("SELECT officer_id, sealed_vault_key FROM slots"))
    db.execute(
        "UPDATE slots SET sealed_vault_key = ? WHERE officer_id = ?", [sealed[first], second]
    )
    db.commit()
    with pytest.raises(TamperedData):
        vault.unlock(second, "11223344")
    db.close()
    assert vault.unlock(first, kit.PIN).officer_id == first
