"""``sohoa run`` as a newcomer meets it: the PIN in the console, then the app in the browser."""

import httpx
import pytest

pytestmark = pytest.mark.browser


def test_sohoa_run_serves_city_and_app_and_the_printed_pin_unlocks(sohoa_run, driver):
    assert "Phường Hồng Bàng" in sohoa_run.console
    assert httpx.get(sohoa_run.server_url + "/healthz").status_code == 200
    seconds = driver.open(sohoa_run.app_url)
    assert seconds < 60
    driver.wait("officer-0")
    driver.unlock(sohoa_run.pin)
    driver.wait("home-new-dossier")
    driver.see("Đã kết nối máy chủ")
    driver.click("lang-switch")
    driver.see("Receive a new dossier")
    driver.shot("09-sohoa-run-home-en")


def test_sohoa_run_on_a_phone_screen(sohoa_run, phone_driver):
    phone_driver.open(sohoa_run.app_url)
    phone_driver.unlock(sohoa_run.pin)
    phone_driver.wait("home-new-dossier")
    phone_driver.wait("nav-dossiers")
    phone_driver.see("Đã kết nối máy chủ")
    # Two figures a row, so the new-dossier button stays on the first screen.
    boxes = {
        name: phone_driver.wait(f"count-{name}").bounding_box()
        for name in ("received", "due", "overdue")
    }
    assert boxes["received"]["y"] == boxes["due"]["y"] < boxes["overdue"]["y"]
    assert phone_driver.wait("home-new-dossier").bounding_box()["y"] < 915 - 80
    phone_driver.shot("11-phone-home")
