"""The city server's address changed in settings, in headless Chromium through a real link."""

from __future__ import annotations

import re
import time

import pytest

from app.shell import LINK_POLL_SECONDS

pytestmark = pytest.mark.browser


def test_moving_to_the_citys_new_address_keeps_the_device_online(driver, linked_device):
    # The device enrolled through a proxy (the old address); the city itself is the new one.
    new_address = linked_device.city.base_url
    driver.open(linked_device.url)
    driver.unlock(linked_device.pin)
    driver.click("nav-settings")
    driver.see(f"Máy chủ thành phố: {linked_device.proxy.url}")
    driver.fill("settings-server-new", "ftp://city")
    driver.see("Địa chỉ máy chủ phải bắt đầu bằng http:// hoặc https://")
    driver.fill("settings-server-new", "http://127.0.0.1:9")
    driver.click("settings-server-move")
    driver.wait("server-error")
    driver.see(f"Máy chủ thành phố: {linked_device.proxy.url}")
    driver.fill("settings-server-new", new_address)
    driver.click("settings-server-move")
    driver.see(f"Đã chuyển sang {new_address}")
    driver.see(f"Máy chủ thành phố: {new_address}")
    driver.shot("13-settings-server-moved")
    # The old address goes dark; the link state follows the new one and stays online.
    linked_device.go_offline()
    driver.click("nav-home")
    time.sleep(2.5 * LINK_POLL_SECONDS)  # long enough for two link checks
    driver.see("Đã kết nối máy chủ")
    assert not driver.page.get_by_text(re.compile("Ngoại tuyến")).count()
