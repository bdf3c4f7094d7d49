"""The counter takes over a citizen's pre-application by its code instead of scanning again."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.errors import FieldError
from app.state.intake import IntakeState, PreApplicationNotFound, Step, take_over
from scan.synthetic import Scene, draw_form, photograph
from server.audit import read_audit
from server.portal import PreApplication, issue_preapplication, mount_portal, store_photo
from server.portal.testing import running_city

BIRTH = "1.001193"


@pytest.fixture
def city(tmp_path):
    """The city server with the citizen portal (and its pre-application routes) mounted."""
    with running_city(tmp_path / "city", mount_portal) as running:
        yield running


def _issue(city) -> PreApplication:
    page, text = draw_form(dpi=200)
    draft = PreApplication(BIRTH, city.context.catalogue.version)
    for component_id, seed in (("to_khai_khai_sinh", 1), ("giay_chung_sinh", 2)):
        photo = photograph(page, text, Scene(frame=(1800, 2400), seed=seed)).data
        draft.add_page(component_id, store_photo(city.context.blobs, photo).page_record())
    with city.context.db.write() as conn:
        return issue_preapplication(conn, draft, city.context.catalogue)


def test_the_counter_takes_over_the_pages_of_a_pre_application(city, desk, on_vault):
    issued = _issue(city)
    typed = issued.code.lower().replace("-", " ")  # as an officer may type it

    taken = on_vault(desk.city.take_over, typed)
    state = take_over(IntakeState(), taken)

    assert (taken.code, state.procedure.code, state.step) == (issued.code, BIRTH, Step.applicant)
    for component_id, records in issued.components.items():
        pages = state.checklist.item(component_id).pages
        assert [p.sha256 for p in pages] == [r["sha256"] for r in records]
        assert [p.size for p in pages] == [r["bytes"] for r in records]
        assert not any(p.reused for p in pages)  # digitised by the citizen, not reuse
        assert Image.open(io.BytesIO(pages[0].thumbnail)).format == "JPEG"
    assert state.checklist.page_count == issued.page_count
    entry = on_vault(desk.session.audit.entries)[-1]
    assert (entry.action, entry.detail["code"]) == ("preapplication_takeover", issued.code)
    assert entry.detail["pages"] == issued.page_count
    with city.context.db.read() as conn:
        looks = [e for e in read_audit(conn, limit=10_000) if e["action"] == "preapplication.page"]
    assert len(looks) == issued.page_count


def test_an_unknown_or_mistyped_code_is_a_typed_error_in_both_languages(city, desk, on_vault):
    with pytest.raises(PreApplicationNotFound) as unknown:
        on_vault(desk.city.take_over, "NT-0000-0000")
    assert "NT-0000-0000" in unknown.value.message("vi")
    assert unknown.value.message("vi").startswith("Không tìm thấy hồ sơ nộp trước")
    assert unknown.value.message("en").startswith("No pre-application")
    with pytest.raises(FieldError) as mistyped:
        on_vault(desk.city.take_over, "NT-12")
    assert mistyped.value.message("vi") == "Mã nộp trước có dạng NT-XXXX-XXXX"
    assert mistyped.value.message("en") == "A pre-application code looks like NT-XXXX-XXXX"


def test_a_taken_over_dossier_is_received_and_synced_without_sending_its_pages(
    city, desk, on_vault
):
    from dataclasses import replace

    from app.state.applicant import fill_from_chip_qr, set_field
    from app.state.intake import review
    from core.catalogue import fee_for
    from server.dossiers import list_dossiers, stored_events

    from .conftest import CHIP_QR

    issued = _issue(city)
    state = take_over(IntakeState(), on_vault(desk.city.take_over, issued.code))
    applicant = set_field(fill_from_chip_qr(state.applicant, CHIP_QR), "phone", "0912345678")
    state = replace(state, applicant=applicant)
    summary = review(state, fee_for)
    assert summary.can_receive, summary.missing

    receipt = on_vault(desk.receive, state, summary)
    held = on_vault(desk.detail, receipt.dossier_id)
    assert len(held.thumbnails) == issued.page_count  # the pages are in the vault
    report = desk.sync_now()
    assert (report.events_confirmed, report.blobs_uploaded) == (1, 0)  # the city had them
    with city.context.db.read() as conn:
        (found,) = [d for d in list_dossiers(conn, None, None, 10, 0) if d["code"] == receipt.code]
        components = stored_events(conn, found["id"])[0].payload["components"]
    sent = {c["component_id"]: [p["sha256"] for p in c["pages"]] for c in components}
    assert sent == {cid: [r["sha256"] for r in rs] for cid, rs in issued.components.items()}
