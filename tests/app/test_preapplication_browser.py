"""type a pre-application code at the counter and find its pages on the components step."""

from __future__ import annotations

import re

import pytest

from scan.synthetic import Scene, draw_form, photograph
from server.portal import PreApplication, issue_preapplication, mount_portal, store_photo
from server.portal.testing import running_city

pytestmark = pytest.mark.browser


@pytest.fixture
def city(tmp_path):
    """The city server with the citizen portal (and its pre-application routes) mounted."""
    with running_city(tmp_path / "city", mount_portal) as running:
        yield running


def test_the_officer_fetches_a_pre_application_by_its_code(driver, linked_device, city):
    page, text = draw_form(dpi=200)
    draft = PreApplication("1.001193", city.context.catalogue.version)
    for component_id, seed in (("to_khai_khai_sinh", 1), ("giay_chung_sinh", 2)):
        photo = photograph(page, text, Scene(frame=(1800, 2400), seed=seed)).data
        draft.add_page(component_id, store_photo(city.context.blobs, photo).page_record())
    with city.context.db.write() as conn:
        issued = issue_preapplication(conn, draft, city.context.catalogue)

    driver.open(linked_device.url)
    driver.unlock(linked_device.pin)
    driver.click("home-new-dossier")
    driver.fill("preapp-code", "NT-0000-0000")
    driver.click("preapp-fetch")
    driver.see("Không tìm thấy hồ sơ nộp trước")
    driver.fill("preapp-code", issued.code.lower().replace("-", ""))
    driver.click("preapp-fetch")
    driver.fill("applicant-chipqr", linked_device.chip_qr, 60)
    driver.click("applicant-chipqr-fill")
    driver.fill("applicant-phone", "0912345678")
    driver.click("applicant-next")
    driver.wait("page-to_khai_khai_sinh-0")
    driver.wait("page-giay_chung_sinh-0")
    driver.shot("15-preapplication")
    driver.click("components-next")
    driver.click("receive-submit")
    assert re.search(r"H31\.11311-\d{6}-\d{4}", driver.text("receipt-code"))
    driver.shot("15-preapplication-receipt")
