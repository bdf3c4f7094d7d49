"""enrol from a photo of the enrolment QR; fill the applicant from a chip QR."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PIN = "97531864"


def test_qr_photos_enrol_the_device_and_fill_the_applicant(
    driver, fresh_device, qr, photos, tmp_path
):
    url, city = fresh_device
    code = city.admin.enrolment_code("11311")
    enrol_qr = tmp_path / "enrolment-qr.jpg"
    enrol_qr.write_bytes(qr.photo(qr.png(code), angle=12))
    chip_qr = tmp_path / "cccd-qr.jpg"
    chip_qr.write_bytes(
        qr.photo(
            qr.png("031090000123|123456789|Trần Thị Bích|17051990|Nam|Số 9 Cầu Đất|01012021"),
            angle=90,
        )
    )

    driver.open(url)
    driver.upload("enrol-qr-photo", [photos["text"]])
    driver.see("Không tìm thấy mã QR trong ảnh")
    driver.upload("enrol-qr-photo", [enrol_qr])
    driver.see("Đã đọc mã đăng ký từ ảnh")
    driver.shot("30-enrol-from-qr-photo")
    driver.submit_when_on("enrol-submit", {"enrol-officer_name": "Đỗ Minh Châu", "enrol-pin": PIN})
    driver.unlock(PIN)

    driver.click("home-new-dossier")
    driver.fill("procedure-search", "1.001193")
    driver.click("procedure-1.001193")
    driver.upload("applicant-chipqr-photo", [photos["form1"]])
    driver.see("Không tìm thấy mã QR trong ảnh")
    driver.upload("applicant-chipqr-photo", [chip_qr])
    driver.see("Đã điền từ mã QR: Trần Thị Bích")
    driver.fill("applicant-phone", "0912345678")
    driver.click("return_method-post")
    driver.wait("applicant-return_address")  # the postal address field comes with the choice
    driver.click("return_method-counter")
    driver.click_until("applicant-next", shows="components-next")
    driver.click("components-next")
    # Field values are not in the semantics tree; the review step shows them as text.
    driver.see("Người nộp: Trần Thị Bích")
    driver.shot("31-review-from-chip-qr-photo")
