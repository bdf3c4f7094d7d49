"""In headless Chromium: a field two devices edited at once is settled on the dossier's screen."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.clock import HybridClock
from core.dossier import edit_payload, fold
from core.events import EventType, make_event
from core.ids import new_id

from .conftest import PIN, enrol_device, serve_app, stop

pytestmark = pytest.mark.browser

CODE = "H31.11311-261127-0007"
RECEIVED = {
    "code": CODE,
    "procedure_code": "1.001193",
    "catalogue_version": "2025.2",
    "applicant": {
        "cccd": "031090000123",
        "name": "Nguyễn Văn Ấn",
        "birth_date": "1990-05-17",
        "gender": "male",
        "phone": "0912345678",
        "address": "Hải Phòng",
    },
    "channel": "counter",
    "receiving_unit": "11311",
    "competent_unit": "11311",
    "return_method": "counter",
    "return_address": None,
    "received_at": "2026-11-27T09:00:00+07:00",
    "due_at": "2026-12-02T17:00:00+07:00",
    "components": [],
    "fee_vnd": 0,
}


def conflicting_events(unit_code: str) -> list:
    """A receipt, then two tablets changing the phone number without seeing each other."""
    morning = int(datetime.fromisoformat(RECEIVED["received_at"]).timestamp() * 1000)
    stamps = {"officer_id": "cb01", "unit_code": unit_code}
    first = HybridClock("tablet-1", now_ms=lambda: morning)
    received = make_event(
        new_id(), EventType.RECEIVED, RECEIVED, clock=first, device_id="tablet-1", **stamps
    )
    seen = fold([received])
    edits = []
    for minutes, (device, phone) in enumerate(
        (("tablet-1", "0911111111"), ("tablet-2", "0922222222"))
    ):
        clock = HybridClock(device, now_ms=lambda m=minutes: morning + (m + 1) * 60_000)
        payload = edit_payload(seen, {"applicant.phone": phone})
        edits.append(
            make_event(
                received.dossier_id,
                EventType.FIELDS_EDITED,
                payload,
                clock=clock,
                device_id=device,
                **stamps,
            )
        )
    return [received, *edits]


@pytest.fixture
def device_with_a_conflict(tmp_path, city):
    """The app served for a device whose vault holds one dossier with a conflicting field."""
    backend = enrol_device(tmp_path / "device", city, city.base_url)
    officer = backend.vault_thread.submit(backend.officers).result()[0]

    def seed() -> None:
        session = backend.vault.unlock(officer.id, PIN)
        session.dossiers.append(conflicting_events("11311"), {}, local=False)
        session.lock()

    backend.vault_thread.submit(seed).result()
    backend.close()
    process, url = serve_app(tmp_path / "device", city.base_url, tmp_path)
    try:
        yield url
    finally:
        stop(process)


def test_the_officer_settles_the_phone_number_two_tablets_changed(driver, device_with_a_conflict):
    driver.open(device_with_a_conflict)
    driver.unlock(PIN)
    driver.click("nav-dossiers")
    driver.click(f"dossier-{CODE}")
    driver.see("Sửa đồng thời cần cán bộ xem lại (1)")
    conflict = driver.text("conflict-0")
    assert "Số điện thoại" in conflict
    assert "0922222222" in conflict and "0911111111" in conflict
    edits = driver.page.get_by_text("Sửa thông tin")
    assert edits.count() == 2
    driver.shot("14-conflict")
    driver.click("conflict-0-overwritten")
    driver.wait("dossier-code")
    driver.page.get_by_text("Sửa đồng thời").first.wait_for(state="detached", timeout=30000)
    assert edits.count() == 3  # the settling edit is on the timeline
    driver.shot("14-conflict-settled")
