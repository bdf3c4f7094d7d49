"""Leak scan: known personal data and page content never reach any byte under the data dir."""

from __future__ import annotations

import hashlib
import unicodedata

from core.clock import HybridClock
from core.events import EventType, make_event

NAME = "Phạm Thị Hương Giang"
ADDRESS = "Thôn Đồng Xuân, xã Bạch Long Vĩ"
CCCD = "031186007788"
PHONE = "0987654321"
PAGE_MARK = "CĂN CƯỚC CÔNG DÂN canary-page-7f3a"
EDITED_NAME = "Phạm Thị Hương Giang Mới"


def _variants(text: str) -> set[bytes]:
    forms = set()
    for cased in (text, text.upper(), text.lower()):
        for norm in ("NFC", "NFD"):
            value = unicodedata.normalize(norm, cased)
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                forms.add(value.encode(encoding))
    return forms


def _hits(raw: bytes) -> list[str]:
    canaries = [NAME, ADDRESS, CCCD, PHONE, PAGE_MARK, EDITED_NAME, "Hương Giang", "Bạch Long"]
    return [c for c in canaries for form in _variants(c) if form in raw]


def test_no_canary_in_database_wal_blobs_or_names(vault, session, kit, data_dir):
    page = (
        kit.page_bytes("id-card", size=150_000) + PAGE_MARK.encode() + PAGE_MARK.encode("utf-16-le")
    )
    pages = {hashlib.sha256(page).hexdigest(): page}
    events = kit.received_events(name=NAME, cccd=CCCD, address=ADDRESS, phone=PHONE, pages=pages)
    session.dossiers.save(events, pages)
    edit = make_event(
        events[0].dossier_id,
        EventType.FIELDS_EDITED,
        {"fields": {"applicant.name": EDITED_NAME}},
        clock=HybridClock("tablet-1"),
        device_id="tablet-1",
        officer_id="cb01",
        unit_code=kit.UNIT,
    )
    session.dossiers.append([edit])
    session.add_officer(NAME, "13572468")
    session.kv.set("note", ADDRESS)
    session.audit.record("view", events[0].dossier_id, {"who": NAME})
    session.outbox.quarantine(edit.id, f"trùng {CCCD}")
    assert session.dossiers.find_by_cccd(CCCD)[0].applicant_name == EDITED_NAME
    assert session.dossiers.find_by_name("huong giang moi")
    # While open: the WAL holds the recent writes.
    assert (data_dir / "vault.db-wal").exists()
    assert _hits(kit.all_bytes(data_dir)) == []
    assert not any(NAME in str(p) or CCCD in str(p) for p in data_dir.rglob("*"))
    # After a checkpoint the main file holds everything.
    vault.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert _hits(kit.all_bytes(data_dir)) == []
    vault.close()
    assert _hits(kit.all_bytes(data_dir)) == []


def test_scan_itself_finds_plaintext(tmp_path):
    (tmp_path / "leak.txt").write_bytes(
        unicodedata.normalize("NFD", NAME.upper()).encode("utf-16-le")
    )
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert NAME in _hits(raw)
