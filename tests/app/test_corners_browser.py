"""In headless Chromium: drag a page corner with the mouse, apply, and find it where it was left."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

DRAG = 60  # px on screen, towards the middle of the page


def centre(driver, identifier: str) -> tuple[float, float]:
    box = driver.wait(identifier).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag(driver, identifier: str, dx: float, dy: float) -> None:
    x, y = centre(driver, identifier)
    mouse = driver.page.mouse
    mouse.move(x, y)
    mouse.down()
    mouse.move(x + dx / 2, y + dy / 2, steps=5)
    mouse.move(x + dx, y + dy, steps=5)
    mouse.up()


def test_dragged_corner_is_applied_and_kept(driver, linked_device, photos):
    driver.open(linked_device.url)
    driver.unlock(linked_device.pin)
    driver.click("home-new-dossier")
    driver.fill("procedure-search", "1.001193")
    driver.click("procedure-1.001193")
    driver.fill("applicant-chipqr", linked_device.chip_qr)
    driver.click("applicant-chipqr-fill")
    driver.click("applicant-next")
    driver.upload("pick-1", [photos["form1"]])
    driver.click("adjust-to_khai_khai_sinh-0", 60)
    start = centre(driver, "corner-handle-0")
    drag(driver, "corner-handle-0", DRAG, DRAG)
    moved = centre(driver, "corner-handle-0")
    assert moved[0] - start[0] > DRAG / 2 and moved[1] - start[1] > DRAG / 2
    driver.shot("20-corners-dragged")
    driver.click("corner-apply")
    driver.page.locator('[flt-semantics-identifier="corner-surface"]').wait_for(
        state="detached", timeout=60000
    )
    driver.click("adjust-to_khai_khai_sinh-0")
    again = centre(driver, "corner-handle-0")
    assert abs(again[0] - moved[0]) < 3 and abs(again[1] - moved[1]) < 3
    driver.click("corner-reset")
    reset = centre(driver, "corner-handle-0")
    assert abs(reset[0] - start[0]) < 3 and abs(reset[1] - start[1]) < 3
