import json
from datetime import datetime

import pypdfium2
import pytest

from app.forms import ReceiptSlip, SlipComponent, build_receipt_pdf, qr_payload, qr_png
from app.forms_data import forms_produced, render_form
from core.calendar import TIMEZONE
from core.clock import HybridClock
from core.dossier import fold
from core.events import EventType, make_event
from core.ids import new_id

SLIP = ReceiptSlip(
    unit_name="Phường Hồng Bàng",
    dossier_code="H31.11311-261127-0001",
    procedure_code="1.001193",
    procedure_name="Đăng ký khai sinh",
    applicant_name="Nguyễn Văn Ấn",
    cccd="031090000123",
    address="Số 1 Lê Lợi, Hồng Bàng, Hải Phòng",
    phone="0912345678",
    components=(SlipComponent("Tờ khai đăng ký khai sinh", 2), SlipComponent("Giấy chứng sinh", 1)),
    received_at=datetime(2026, 11, 27, 9, 5, tzinfo=TIMEZONE),
    due_at=datetime(2026, 11, 30, 17, 0, tzinfo=TIMEZONE),
    fee_vnd=8000,
    officer_name="Trần Thị Bình",
    return_method="post",
    return_address="12 Trần Phú, Hải Phòng",
)


@pytest.fixture(scope="module")
def pdf():
    document = pypdfium2.PdfDocument(build_receipt_pdf(SLIP))
    yield document
    document.close()


def test_slip_is_one_a5_page(pdf):
    assert len(pdf) == 1
    width, height = pdf[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (148, 210)


def test_slip_prints_the_facts_in_vietnamese(pdf):
    text = pdf[0].get_textpage().get_text_range()
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: H31.11311-261127-0001",
        "Nguyễn Văn Ấn",
        "031090000123",
        "Tờ khai đăng ký khai sinh",
        "17 giờ 00 phút, ngày 30/11/2026",
        "09 giờ 05 phút, ngày 27/11/2026",
        "8.000 đồng",
        "12 Trần Phú, Hải Phòng",
        "Trần Thị Bình",
    ):
        assert expected in text, expected


def dark_share(image) -> float:
    histogram = image.histogram()
    return sum(histogram[:100]) / sum(histogram)


def test_qr_code_sits_top_left(pdf):
    image = pdf[0].render(scale=4).to_pil().convert("L")
    mm = image.width / 148
    qr_box = image.crop((int(9 * mm), int(9 * mm), int(31 * mm), int(31 * mm)))
    assert 0.3 < dark_share(qr_box) < 0.7  # QR modules are about half dark
    assert dark_share(image.crop((int(9 * mm), int(150 * mm), int(31 * mm), int(172 * mm)))) < 0.2


def test_qr_payload_names_dossier_procedure_applicant_and_document():
    payload = json.loads(qr_payload(SLIP))
    assert payload["ma_ho_so"] == SLIP.dossier_code
    assert payload["ma_tthc"] == "1.001193"
    assert payload["so_dinh_danh"] == "031090000123"
    assert payload["ten_giay_to"] == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"


def test_qr_png_is_a_png():
    assert qr_png("H31.11311-261127-0001").startswith(b"\x89PNG\r\n\x1a\n")


# -- forms 02–06, from a dossier's history ---------------------------------------------------

STAMP = {"device_id": "tablet-1", "officer_id": "cb01", "unit_code": "11311"}
RECEIVED = {
    "code": "H31.11311-261127-0002",
    "procedure_code": "1.001193",
    "catalogue_version": "2025.2",
    "applicant": {
        "cccd": "031090000123",
        "name": "Nguyễn Văn Ấn",
        "birth_date": "1990-05-17",
        "gender": "male",
        "phone": "",
        "address": "Hải Phòng",
    },
    "channel": "counter",
    "receiving_unit": "11311",
    "competent_unit": "11311",
    "return_method": "counter",
    "return_address": None,
    "received_at": "2026-11-27T09:00:00+07:00",
    "due_at": "2026-11-27T17:00:00+07:00",
    "components": [],
    "fee_vnd": 0,
}


def dossier(*steps):
    """Fold a dossier received at 11311 and then taken through `steps` (kind, payload)."""
    # Every step happens at the morning counter, so timeliness never depends on when tests run.
    morning_ms = int(datetime.fromisoformat(RECEIVED["received_at"]).timestamp() * 1000)
    clock = HybridClock("tablet-1", now_ms=lambda: morning_ms)
    events = [make_event(new_id(), EventType.RECEIVED, RECEIVED, clock=clock, **STAMP)]
    for kind, payload in steps:
        events.append(make_event(events[0].dossier_id, kind, payload, clock=clock, **STAMP))
    return fold(events)


def text_of(pdf_bytes: bytes) -> tuple[str, tuple[int, int]]:
    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        assert len(document) == 1
        width, height = document[0].get_size()
        size = (round(width / 72 * 25.4), round(height / 72 * 25.4))
        return document[0].get_textpage().get_text_range(), size
    finally:
        document.close()


HEADER = ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ")


def test_slip_carries_the_shared_header(pdf):
    text = pdf[0].get_textpage().get_text_range()
    assert all(line in text for line in HEADER)


def test_supplement_request_lists_what_is_missing():
    state = dossier(
        (EventType.SUPPLEMENT_REQUESTED, {"missing": ["Giấy chứng sinh"], "note": "Bản gốc"})
    )
    assert forms_produced(state) == ["01", "02"]
    text, size = text_of(render_form("02", state, "Đăng ký khai sinh", "Trần Thị Bình"))
    assert size == (148, 210)
    for expected in (
        *HEADER,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Mã hồ sơ: H31.11311-261127-0002",
        "Nguyễn Văn Ấn",
        "1. Giấy chứng sinh",
        "Ghi chú: Bản gốc",
        "Trần Thị Bình",
    ):
        assert expected in text, expected


def test_refusal_prints_the_reason():
    state = dossier((EventType.REFUSED, {"reason": "Không thuộc thẩm quyền của phường"}))
    text, _ = text_of(render_form("03", state, "Đăng ký khai sinh", "Trần Thị Bình"))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "lý do: Không thuộc thẩm quyền của phường" in text
    with pytest.raises(ValueError):
        render_form("05", state, "Đăng ký khai sinh", "Trần Thị Bình")


def processed():
    new_due = datetime(2026, 12, 2, 17, 0, tzinfo=TIMEZONE).isoformat()
    return dossier(
        (EventType.PROCESSING_STARTED, {}),
        (EventType.HANDED_OVER, {"from_unit": "11311", "to_unit": "11383", "note": "Xác minh"}),
        (EventType.EXTENDED, {"new_due_at": new_due, "reason": "Chờ kết quả xác minh"}),
        (EventType.STOPPED, {"reason": "Công dân rút hồ sơ"}),
    )


def test_apology_and_stop_notice_print_reasons_and_dates():
    state = processed()
    assert forms_produced(state) == ["01", "04", "05", "06"]
    apology, _ = text_of(render_form("04", state, "Đăng ký khai sinh", "Trần Thị Bình"))
    for expected in (
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN",
        "Lý do: Chờ kết quả xác minh",
        "17:00 ngày 27/11/2026",
        "17:00 ngày 02/12/2026",
    ):
        assert expected in apology, expected
    stop, _ = text_of(render_form("05", state, "Đăng ký khai sinh", "Trần Thị Bình"))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in stop and "Công dân rút hồ sơ" in stop


def test_control_slip_is_a4_with_one_row_per_hand_off():
    state = processed()
    text, size = text_of(render_form("06", state, "Đăng ký khai sinh", "Trần Thị Bình"))
    assert size == (210, 297)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert text.count("1. Giao:") == 2 and text.count("2. Nhận:") == 2
    for expected in ("Phường Hồng Bàng", "Phường Lê Chân", "Xác minh", "Đúng hạn", "Người giao"):
        assert expected in text, expected
