"""In headless Chromium: drag a page corner with the mouse, apply, and find it where it was left."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.browser

DRAG = 60  # px on screen, towards the middle of the page


def centre(driver, identifier: str) -> tuple[float, float]:
    box = driver.wait(identifier).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def settles_at(driver, identifier: str, where: tuple[float, float], timeout: float = 20) -> bool:
    """Whether the handle `identifier` comes to `where` (within 3 px) once the screen redraws."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        x, y = centre(driver, identifier)
        if abs(x - where[0]) < 3 and abs(y - where[1]) < 3:
            return True
        time.sleep(0.2)
    return False


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
    assert settles_at(driver, "corner-handle-0", moved)
    driver.click("corner-reset")
    assert settles_at(driver, "corner-handle-0", start)
