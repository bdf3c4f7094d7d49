"""End to end in headless Chromium: unlock, receive a dossier with photos, sync, go offline."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.browser

CODE = re.compile(r"H31\.11311-\d{6}-\d{4}")


def unlock(driver, device) -> None:
    driver.open(device.url)
    driver.shot("01-unlock")
    driver.unlock(device.pin)
    driver.wait("home-new-dossier")


def receive_birth_registration(driver, device, photos, prefix: str) -> str:
    """Receive a birth registration with one photo per mandatory component; return the code."""
    driver.click("home-new-dossier")
    driver.fill_until("procedure-search", "dang ky khai sinh", shows="procedure-1.001193")
    driver.click("procedure-1.001193")
    driver.fill("applicant-cccd", "0310900001ab")
    driver.see("CCCD chỉ gồm chữ số")
    driver.click("applicant-chipqr-fill")  # nothing pasted yet: an error, not a red box
    driver.no_refused_controls()
    driver.fill_until(
        "applicant-chipqr",
        device.chip_qr,
        then="applicant-chipqr-fill",
        shows="applicant-chipqr-filled",
    )
    driver.fill("applicant-phone", "0912345678")
    driver.shot(f"{prefix}-applicant")
    driver.click_until("applicant-next", shows="pick-1")
    driver.upload("pick-1", [photos["form1"]])
    driver.wait("page-to_khai_khai_sinh-0", 60)
    driver.click("components-next")
    assert "Giấy chứng sinh" in driver.text("review-missing")
    driver.shot(f"{prefix}-review-blocked")
    driver.click("step-components")
    driver.upload("pick-2", [photos["form2"]])
    driver.wait("page-giay_chung_sinh-0", 60)
    driver.shot(f"{prefix}-components")
    driver.click("components-next")
    driver.click("receive-submit")
    code = CODE.search(driver.text("receipt-code")).group(0)
    assert re.search(r"\d\d:\d\d \d\d/\d\d/\d{4}", driver.text("receipt-due"))
    assert "Phí, lệ phí: 0 đồng" in driver.text("receipt-fee")  # birth registration is free
    driver.shot(f"{prefix}-receipt")
    return code


def wait_until(condition, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError("condition not met in time")


def test_receive_online_then_find_it_with_its_pages_on_the_city_server(
    driver, linked_device, photos
):
    unlock(driver, linked_device)
    driver.shot("02-home")
    code = receive_birth_registration(driver, linked_device, photos, "03-online")
    driver.click("finish-on-spot")
    driver.see("Trạng thái: Đã trả kết quả")
    driver.shot("03-online-returned-on-the-spot")
    driver.click("nav-sync")
    driver.click("sync-now")
    summary, pages = wait_until(
        lambda: (
            (found := linked_device.city_dossier(code))
            and found[0]["status"] == "returned"
            and found
        )
    )
    assert summary["procedure_code"] == "1.001193"
    assert len(pages) == 2
    driver.shot("04-sync")


def test_bad_files_show_an_error_next_to_the_component_and_keep_the_form(
    driver, linked_device, photos
):
    unlock(driver, linked_device)
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
    driver.upload("pick-1", [photos["text"]])
    assert "notes.txt" in driver.text("component-error-1")
    driver.upload("pick-2", [photos["huge"]])
    assert "huge.png" in driver.text("component-error-2")
    driver.shot("05-bad-files")
    driver.click("step-applicant")
    driver.shot("05b-applicant-kept")
    # Flet's web semantics do not expose a field's value, so prove the typed data was kept by
    # moving on: the applicant page only lets the officer through when every field is valid.
    driver.click("applicant-next")
    driver.wait("pick-1")


def test_offline_receipt_waits_and_syncs_when_the_server_returns(driver, linked_device, photos):
    unlock(driver, linked_device)
    linked_device.go_offline()
    driver.page.get_by_text(re.compile("Ngoại tuyến")).first.wait_for(timeout=30000)
    code = receive_birth_registration(driver, linked_device, photos, "06-offline")
    driver.click("nav-dossiers")
    driver.wait(f"dossier-{code}")
    driver.shot("07-offline-list")
    assert linked_device.city_dossier(code) is None
    linked_device.go_online()
    driver.click("nav-sync")
    driver.click("sync-now")
    summary, pages = wait_until(lambda: linked_device.city_dossier(code))
    assert summary["code"] == code and len(pages) == 2
    driver.shot("08-back-online")


def test_first_run_enrols_the_device_then_the_new_officer_unlocks(driver, fresh_device):
    url, city = fresh_device
    driver.open(url)
    driver.wait("enrol-code")
    driver.fill("enrol-code", "ab$")
    driver.see("Mã đăng ký gồm 6–64 chữ cái")
    typed = {
        "enrol-code": city.admin.enrolment_code("11311"),
        "enrol-officer_name": "Đỗ Minh Châu",
        "enrol-pin": "97531864",
    }
    driver.submit_when_on("enrol-submit", typed)
    driver.shot("00-enrol")
    driver.unlock("97531864")
    driver.see("Xin chào, Đỗ Minh Châu")
    driver.click("nav-settings")
    driver.fill("officer-name", "Vũ Thị Dung")
    driver.fill("officer-pin", "12")
    driver.click("officer-add")
    driver.wait("officer-error")
    driver.fill("officer-pin", "86420975")
    driver.click("officer-add")
    driver.see("• Vũ Thị Dung")
    driver.click("language-en")
    driver.see("Officers on this device")
    driver.shot("10-settings-en")
    driver.click("nav-lock")
    driver.wait("officer-1")
