"""The officer's desk against a real city server and a real vault."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from app.state.applicant import fill_from_chip_qr, set_field
from app.state.checklist import add_page
from app.state.dossiers import DossierQuery, next_page, set_filter, set_search
from app.state.intake import IntakeState, choose_procedure, review
from core.calendar import TIMEZONE
from core.catalogue import fee_for
from scan.errors import ScanError

QR = "031090000123|123456789|Nguyễn Văn An|17051990|Nam|Số 1 Lê Lợi, Hồng Bàng, Hải Phòng|01012021"


def filled_intake(desk, on_vault, photos) -> IntakeState:
    state = choose_procedure(IntakeState(), desk.backend.catalogue.get("1.001193"))
    applicant = set_field(fill_from_chip_qr(state.applicant, QR), "phone", "0912345678")
    state = replace(state, applicant=applicant)
    mandatory = [c for c in state.procedure.components if c.mandatory]
    for component, name in zip(mandatory, ("form1", "form2"), strict=True):
        page = on_vault(desk.add_photo, photos[name], False)
        state = replace(state, checklist=add_page(state.checklist, component.id, page))
    return state


def receive(desk, on_vault, photos):
    state = filled_intake(desk, on_vault, photos)
    return on_vault(desk.receive, state, review(state, fee_for))


def test_photo_becomes_a_page_with_thumbnail_and_verdicts(desk, on_vault, photos):
    page = on_vault(desk.add_photo, photos["form1"], False)
    assert len(page.sha256) == 64 and page.size > 0
    assert page.thumbnail.startswith(b"\xff\xd8")  # a small JPEG, never the full page
    assert page.mode in ("text", "color", "photo", "idcard")
    assert all(vi and en for vi, en in page.problems)
    assert photos["form1"].exists()


def test_uploaded_photo_is_deleted_even_when_unreadable(desk, on_vault, photos, tmp_path):
    upload = tmp_path / "upload.bin"
    upload.write_bytes(photos["text"].read_bytes())
    with pytest.raises(ScanError):
        on_vault(desk.add_photo, upload, True)
    assert not upload.exists()


def test_receive_issues_code_and_appointment_and_stores_the_dossier(desk, on_vault, photos):
    receipt = receive(desk, on_vault, photos)
    assert receipt.code.startswith("H31.11311-")
    received = datetime.fromisoformat(receipt.received_at)
    due = datetime.fromisoformat(receipt.due_at)
    assert due > received and due.tzinfo is not None
    assert due.astimezone(TIMEZONE).hour == 17
    assert receipt.qr_png.startswith(b"\x89PNG")
    detail = on_vault(desk.detail, receipt.dossier_id)
    assert detail.state.code == receipt.code
    assert len(detail.thumbnails) == 2
    assert [event.type for event, _ in detail.timeline] == ["received"]
    assert on_vault(desk.receipt_pdf, receipt.dossier_id).startswith(b"%PDF")


def test_five_on_the_spot_returns_a_same_day_dossier(desk, on_vault, photos):
    receipt = receive(desk, on_vault, photos)
    assert receipt.finish_now
    state = on_vault(desk.finish_on_the_spot, receipt.dossier_id)
    assert state.status == "returned"
    kinds = [event.type for event, _ in on_vault(desk.detail, receipt.dossier_id).timeline]
    assert kinds == ["received", "processing_started", "result_ready", "returned"]


def test_codes_never_repeat(desk, on_vault, photos):
    first = receive(desk, on_vault, photos)
    second = receive(desk, on_vault, photos)
    assert first.code != second.code


def test_find_by_code_cccd_name_and_filters(desk, on_vault, photos):
    receipt = receive(desk, on_vault, photos)
    query = DossierQuery()
    for text in (receipt.code, "031090000123", "nguyen van an"):
        rows, _ = on_vault(desk.find, set_search(query, text))
        assert [r.code for r in rows] == [receipt.code], text
    rows, _ = on_vault(desk.find, set_filter(query, "unsynced"))
    assert [r.code for r in rows] == [receipt.code]
    rows, _ = on_vault(desk.find, set_filter(query, "overdue"))
    assert rows == []


def test_paging_walks_every_dossier_once(desk, on_vault, photos):
    codes = {receive(desk, on_vault, photos).code for _ in range(3)}
    query, seen = DossierQuery(page_size=2), []
    while True:
        rows, after = on_vault(desk.find, query)
        seen += [r.code for r in rows]
        if after is None:
            break
        query = next_page(query, after)
    assert sorted(seen) == sorted(codes)


def test_home_figures_count_today(desk, on_vault, photos):
    receipt = receive(desk, on_vault, photos)
    counts, _ = on_vault(desk.home_figures, datetime.now(TIMEZONE))
    assert counts.received_today == 1 and counts.unsynced == 1
    # The queue holds what is due by tonight: after 15:00 that is the next working day.
    due_at = datetime.fromisoformat(receipt.due_at).astimezone(TIMEZONE)
    counts, queue = on_vault(desk.home_figures, due_at - timedelta(hours=1))
    assert [s.code for s in queue] == [receipt.code]
    assert (counts.due_today, counts.overdue) == (1, 0)
    counts, _ = on_vault(desk.home_figures, due_at + timedelta(hours=1))
    assert (counts.due_today, counts.overdue) == (0, 1)


def test_sync_brings_the_dossier_and_its_pages_to_the_city(desk, on_vault, photos, city):
    from server.dossiers import list_dossiers, stored_events

    receipt = receive(desk, on_vault, photos)
    report = desk.sync_now()
    assert report.events_confirmed == 1 and report.blobs_uploaded == 2
    with city.context.db.read() as conn:
        (summary,) = [
            d for d in list_dossiers(conn, None, None, 10, 0) if d["code"] == receipt.code
        ]
        pages = [
            p["sha256"]
            for c in stored_events(conn, summary["id"])[0].payload["components"]
            for p in c["pages"]
        ]
    assert all(city.context.blobs.has(sha) for sha in pages) and len(pages) == 2
    snapshot, quarantined = on_vault(desk.sync_status)
    assert quarantined == [] and snapshot.items_quarantined == 0
    counts, _ = on_vault(desk.home_figures, datetime.now(TIMEZONE))
    assert counts.unsynced == 0


def test_offline_bundle_carries_the_dossier_to_the_city(desk, on_vault, photos, city):
    from server.bundles import import_bundle
    from server.dossiers import list_dossiers

    receipt = receive(desk, on_vault, photos)
    bundle = on_vault(desk.export_bundle)
    assert bundle.startswith(b"SOHOA-BUNDLE\x01")
    import_bundle(city.context, bundle)
    with city.context.db.read() as conn:
        codes = [d["code"] for d in list_dossiers(conn, None, None, 10, 0)]
    assert codes == [receipt.code]


def test_device_facts_and_new_officer(desk, on_vault):
    facts = on_vault(desk.device_facts)
    assert facts["unit_code"] == "11311" and facts["code_slot"] == "0"
    on_vault(desk.add_officer, "Phạm Văn Cường", "86420975")
    names = [o.name for o in on_vault(desk.backend.officers)]
    assert "Phạm Văn Cường" in names


def test_a_conflict_from_another_device_is_settled_by_the_officer(desk, on_vault, photos):
    from core.clock import HybridClock
    from core.dossier import edit_payload
    from core.events import EventType, make_event

    receipt = receive(desk, on_vault, photos)
    at_receipt = on_vault(desk.session.dossiers.get, receipt.dossier_id)
    on_vault(
        desk.record_step,
        receipt.dossier_id,
        EventType.FIELDS_EDITED,
        edit_payload(at_receipt, {"applicant.phone": "0911111111"}),
    )
    # Another tablet edited the same field a minute later without having seen this edit.
    later = HybridClock("tablet-2", now_ms=lambda: desk.clock.last.wall_ms + 60_000)
    theirs = make_event(
        receipt.dossier_id,
        EventType.FIELDS_EDITED,
        edit_payload(at_receipt, {"applicant.phone": "0922222222"}),
        clock=later,
        device_id="tablet-2",
        officer_id=desk.officer_id,
        unit_code=desk.identity.unit_code,
    )
    merged = on_vault(lambda: desk.session.dossiers.append([theirs], {}, local=False))
    assert [c.field for c in merged.conflicts] == ["applicant.phone"]

    settled = on_vault(desk.resolve_conflict, receipt.dossier_id, "applicant.phone", "0911111111")
    assert not settled.conflicts
    assert settled.applicant["phone"] == "0911111111"
    assert not on_vault(desk.session.dossiers.get, receipt.dossier_id).conflicts
