"""Data reuse at the counter: offer the citizen's stored documents, attach them, count them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from app.backend import Backend
from app.state.applicant import fill_from_chip_qr, set_field
from app.state.checklist import PageRef, add_page, components_payload, reuse_pages
from app.state.intake import IntakeState, choose_procedure, review
from app.state.reuse import ReuseOffers, lookup_cccd, offers_by_component, wanted_types
from core.calendar import TIMEZONE
from core.catalogue import fee_for
from core.figures import index766
from core.settings import Settings
from server.audit import read_audit
from sync.faultproxy import FaultPlan, FaultProxy

QR = "031090000123|123456789|Nguyễn Văn An|17051990|Nam|Số 1 Lê Lợi, Hồng Bàng, Hải Phòng|01012021"
CCCD = "031090000123"
PIN = "24681357"


@pytest.fixture
def link(city):
    """A loopback proxy between the device and the city that the test can switch off."""
    host, port = city.base_url.removeprefix("http://").split(":")
    with FaultProxy((host, int(port))) as proxy:
        yield proxy


@pytest.fixture
def linked_desk(tmp_path, city, link):
    """An unlocked desk of a device that reaches the city only through `link`."""
    backend = Backend(
        tmp_path / "counter", Settings(server_url=link.url), vault_options={"kdf_cost": 1 << 10}
    )
    code = city.admin.enrolment_code("11311")
    backend.vault_thread.submit(backend.enrol, link.url, code, "Lê Thị Hoa", PIN).result()
    officer = backend.vault_thread.submit(backend.officers).result()[0]
    desk = backend.vault_thread.submit(backend.unlock, officer.id, PIN).result()
    yield desk
    backend.vault_thread.submit(desk.lock).result()
    backend.close()


def on_vault(desk, fn, *args):
    return desk.backend.vault_thread.submit(fn, *args).result()


def new_intake(desk) -> IntakeState:
    state = choose_procedure(IntakeState(), desk.backend.catalogue.get("1.001193"))
    applicant = set_field(fill_from_chip_qr(state.applicant, QR), "phone", "0912345678")
    return replace(state, applicant=applicant)


def scanned_intake(desk, photos) -> IntakeState:
    state = new_intake(desk)
    mandatory = [c for c in state.procedure.components if c.mandatory]
    for component, name in zip(mandatory, ("form1", "form2"), strict=True):
        page = on_vault(desk, desk.add_photo, photos[name], False)
        state = replace(state, checklist=add_page(state.checklist, component.id, page))
    return state


def test_stored_documents_are_offered_reused_and_counted_in_index_766(linked_desk, photos, city):
    desk = linked_desk
    first = scanned_intake(desk, photos)
    on_vault(desk, desk.receive, first, review(first, fee_for))
    desk.sync_now()
    state = new_intake(desk)
    cccd = lookup_cccd(state.applicant.values, online=True)
    assert cccd == CCCD
    offers = on_vault(desk, desk.city.reuse_offers, state.procedure, cccd)
    scanned = {item.component_id: item.pages for item in first.checklist.items if item.pages}
    assert set(offers.by_component) == set(scanned)
    for component_id, pages in scanned.items():
        offer = offers.for_component(component_id)[0]
        reused = on_vault(desk, desk.city.reuse, cccd, state.procedure.code, offer)
        assert [p.sha256 for p in reused] == [p.sha256 for p in pages]
        assert all(p.reused and p.thumbnail.startswith(b"\xff\xd8") for p in reused)
        state = replace(state, checklist=reuse_pages(state.checklist, component_id, reused))
    assert all(c.get("reused") is True for c in components_payload(state.checklist))
    receipt = on_vault(desk, desk.receive, state, review(state, fee_for))
    dossier = on_vault(desk, desk.session.dossiers.get, receipt.dossier_id)
    assert dossier.reused_components == frozenset(scanned)
    figures = index766([dossier], datetime.now(TIMEZONE))
    assert figures.reused_components == len(scanned)
    assert figures.reuse_rate == 100.0
    assert on_vault(desk, desk.detail, receipt.dossier_id).thumbnails  # pages are in the vault
    report = desk.sync_now()
    assert not on_vault(desk, desk.session.outbox.quarantined), report
    with city.context.db.read() as conn:
        entries = [e for e in read_audit(conn) if e["subject"] == CCCD]
    assert {e["action"] for e in entries} == {"documents.lookup", "documents.page"}
    assert {e["actor"] for e in entries} == {f"device:{desk.identity.device_id}"}


def test_offline_nothing_is_offered_and_nothing_fails(linked_desk, link):
    link.set_plan(FaultPlan(refuse=True))
    state = new_intake(linked_desk)
    offers = on_vault(linked_desk, linked_desk.city.reuse_offers, state.procedure, CCCD)
    assert offers == ReuseOffers(CCCD)
    assert offers.for_component(state.procedure.components[0].id) == ()
    assert lookup_cccd(state.applicant.values, online=False) is None


def test_an_invalid_cccd_is_never_looked_up():
    assert lookup_cccd({"cccd": "0310900001"}, online=True) is None
    assert lookup_cccd({"cccd": "999090000123"}, online=True) is None
    assert lookup_cccd({"cccd": "031 090 000 123"}, online=True) == CCCD


def test_offers_match_components_by_document_type_newest_first(desk):
    procedure = desk.backend.catalogue.get("1.001193")
    typed = [c for c in procedure.components if c.document_type]
    assert wanted_types(procedure.components) == sorted({c.document_type for c in typed})
    page = {"sha256": "a" * 64, "media_type": "image/webp", "mode": "text", "dpi": 200, "bytes": 9}
    documents = [
        {
            "document_type": typed[0].document_type,
            "dossier_id": "old",
            "is_result": False,
            "stored_at": 1.0,
            "pages": [page],
        },
        {
            "document_type": typed[0].document_type,
            "dossier_id": "new",
            "is_result": True,
            "stored_at": 2.0,
            "pages": [page],
        },
        {
            "document_type": "unrelated",
            "dossier_id": "x",
            "is_result": False,
            "stored_at": 3.0,
            "pages": [page],
        },
        {
            "document_type": typed[0].document_type,
            "dossier_id": "empty",
            "is_result": False,
            "stored_at": 4.0,
            "pages": [],
        },
    ]
    offers = offers_by_component(CCCD, procedure.components, documents)
    assert [o.dossier_id for o in offers.for_component(typed[0].id)] == ["new", "old"]
    assert all(o.document_type == typed[0].document_type for o in offers.for_component(typed[0].id))


def test_a_component_is_reused_only_when_every_page_is():
    from app.state.checklist import Checklist, ComponentPages

    page = PageRef(sha256="b" * 64, media_type="image/webp", mode="text", dpi=200, size=9)
    photo = replace(page, sha256="c" * 64)
    checklist = Checklist((ComponentPages("giay", "Giấy", True, True),))
    reused = reuse_pages(checklist, "giay", (page,))
    assert components_payload(reused)[0]["reused"] is True
    mixed = add_page(reused, "giay", photo)
    assert "reused" not in components_payload(mixed)[0]
    assert "reused" not in components_payload(add_page(checklist, "giay", photo))[0]


@pytest.mark.browser
def test_the_officer_reuses_stored_documents_in_the_browser(
    driver, linked_device, linked_desk, photos
):
    stored = scanned_intake(linked_desk, photos)
    on_vault(linked_desk, linked_desk.receive, stored, review(stored, fee_for))
    linked_desk.sync_now()  # the city now holds this citizen's two documents
    driver.open(linked_device.url)
    driver.unlock(linked_device.pin)
    driver.click("home-new-dossier")
    driver.fill("procedure-search", "1.001193")
    driver.click("procedure-1.001193")
    driver.fill("applicant-chipqr", linked_device.chip_qr)
    driver.click("applicant-chipqr-fill")
    driver.fill("applicant-phone", "0912345678")
    driver.click("applicant-next")
    driver.click("reuse-1-0", 60)
    driver.wait("page-to_khai_khai_sinh-0", 60)
    driver.click("reuse-2-0")
    driver.wait("page-giay_chung_sinh-0", 60)
    for number in (1, 2):
        assert "Dùng lại từ kho dữ liệu" in driver.text(f"reused-{number}")
    driver.shot("reuse-components")
    driver.click("components-next")
    driver.click("receive-submit")
    driver.wait("receipt-code")
    driver.shot("reuse-receipt")
