"""In headless Chromium: typed lifecycle steps in the dossier detail, then their forms offered."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

CODE = re.compile(r"H31\.11311-\d{6}-\d{4}")


def test_hand_over_by_unit_name_then_stop_with_a_reason(driver, linked_device, photos):
    driver.open(linked_device.url)
    driver.unlock(linked_device.pin)
    driver.click("home-new-dossier")
    driver.fill("procedure-search", "1.001193")
    driver.click("procedure-1.001193")
    driver.fill_until(
        "applicant-chipqr",
        linked_device.chip_qr,
        then="applicant-chipqr-fill",
        shows="applicant-chipqr-filled",
    )
    driver.click_until("applicant-next", shows="pick-1")
    driver.upload("pick-1", [photos["form1"]])
    driver.wait("page-to_khai_khai_sinh-0", 60)
    driver.upload("pick-2", [photos["form2"]])
    driver.wait("page-giay_chung_sinh-0", 60)
    driver.click("components-next")
    driver.click("receive-submit")
    code = CODE.search(driver.text("receipt-code")).group(0)
    driver.click("nav-dossiers")
    driver.click(f"dossier-{code}")
    driver.click("action-processing_started")
    driver.click("lifecycle-handed_over")
    driver.fill_until("lifecycle-unit", "le chan", shows="lifecycle-unit-11383")  # no accents
    driver.click("lifecycle-unit-11383")
    driver.shot("10-hand-over")
    driver.click("lifecycle-record")
    driver.wait("dossier-form-06")
    driver.click("lifecycle-stopped")
    driver.fill("lifecycle-reason", "ab")
    driver.click("lifecycle-record")
    driver.see("Ghi rõ lý do (ít nhất 5 ký tự)")
    driver.shot("11-stop-reason-error")
    # Typing clears the field's error: once it is gone, the app has the new reason.
    driver.fill_until("lifecycle-reason", "Công dân rút hồ sơ", hides="Ghi rõ lý do (ít nhất")
    driver.click("lifecycle-record")
    driver.wait("dossier-form-05")
    driver.see("Trạng thái: Dừng giải quyết")
    driver.shot("12-stopped-forms")
