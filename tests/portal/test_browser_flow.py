"""End to end in headless Chromium: a ward receives a dossier, the competent unit asks in the
console for a missing component, a citizen on an emulated phone supplements it (bad codes, wrong
digits, oversized, non-image and blurred photos refused clearly), the unit sees the new pages and
returns the result, the citizen rates it, and the figures change."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from core.dossier import fold
from core.dossier_state import VIETNAM
from scan.synthetic import Scene, draw_form, photograph
from server.console import parse_period, period_figures
from server.dossiers import stored_events
from server.portal import MAX_PHOTO_BYTES

pytestmark = pytest.mark.browser

WAIT_MS = 30_000

MISSING = "giay_chung_sinh"


def _photos(tmp_path: Path) -> dict[str, Path]:
    page, text = draw_form(dpi=200)
    files = {
        "good": photograph(page, text, Scene(frame=(1800, 2400))).data,
        "blurred": photograph(page, text, Scene(frame=(1800, 2400), blur=6.0)).data,
        "not_image": "đây không phải ảnh".encode() * 50,
        "huge": b"\xff\xd8" + bytes(MAX_PHOTO_BYTES),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.jpg"
        paths[name].write_bytes(data)
    return paths


def _city_figures(city):  # type: ignore[no-untyped-def]
    today = datetime.now(VIETNAM).date()
    period = parse_period(str(today - timedelta(days=1)), str(today + timedelta(days=1)))
    with city.context.db.read() as conn:
        rows = period_figures(conn, None, period, datetime.now(UTC))
    return {row.unit: row.figures for row in rows}


def _console_open(screen, city, role: str, code: str) -> None:  # type: ignore[no-untyped-def]
    screen.page.bring_to_front()
    screen.open(f"{city.base_url}/console/", "username")
    screen.type_into("username", role)
    screen.type_into("password", "mat-khau-123")
    screen.press("log-in")
    screen.press(f"open-{code}")


def _citizen_lookup(phone, code: str, digits: str) -> None:  # type: ignore[no-untyped-def]
    phone.type_into("code", code)
    phone.type_into("digits", digits)
    phone.press("look-up")


def test_citizen_supplements_unit_processes_citizen_rates(city, ward, phone, desktop, tmp_path):
    photos = _photos(tmp_path)
    before = _city_figures(city)
    dossier_id, code = ward.receive()

    # The competent unit opens the dossier from its queue and asks for the birth certificate.
    for role in ("receiving_officer", "processing_officer", "leader"):
        city.admin.add_staff(role, "mat-khau-123", role, "11533")
    _console_open(desktop, city, "receiving_officer", code)
    desktop.expect_text("Trang đã số hoá: 1")
    desktop.expect_text("Tiếp nhận hồ sơ · Phường Hồng Bàng")  # units by name, not by code
    desktop.press(f"missing-{MISSING}")
    desktop.type_into("note", "Thiếu giấy chứng sinh")
    desktop.press("step-supplement_requested")
    desktop.expect_text("Đã ghi nhận: Yêu cầu bổ sung")

    # The citizen follows it; wrong inputs get one clear answer.
    phone.open(f"{city.base_url}/portal/", "code")
    _citizen_lookup(phone, "H31.99999-000000-0000", "1234")
    phone.expect_text("Không tìm thấy hồ sơ")
    _citizen_lookup(phone, code, "9999")
    phone.expect_text("Không tìm thấy hồ sơ")
    _citizen_lookup(phone, code, "1234")
    phone.expect_text("Trạng thái: Chờ bổ sung")
    assert code not in phone.page.url and "1234" not in phone.page.url

    photo_button = f"photo-{MISSING}"
    phone.upload(photo_button, photos["huge"])
    phone.expect_text("Tệp quá lớn")
    phone.upload(photo_button, photos["not_image"])
    phone.expect_text("Tệp không phải ảnh chụp")
    phone.upload(photo_button, photos["blurred"])
    phone.expect_text("vui lòng chụp lại")
    phone.upload(photo_button, photos["good"])
    phone.expect_text("Đã nhận trang (2 trang)")
    phone.press("send")
    phone.expect_text("Đã gửi bổ sung")

    # The unit sees the new page at once, processes and returns the result with a scan of it.
    desktop.press("back")
    desktop.press(f"open-{code}")
    desktop.expect_text("Trang đã số hoá: 2")
    desktop.expect_text("Trạng thái: Đã tiếp nhận")
    desktop.press("page-1")  # the citizen's page; page 0 is the counter's made-up record
    desktop.page.get_by_role("alertdialog").wait_for(timeout=WAIT_MS)
    desktop.page.keyboard.press("Escape")
    desktop.page.get_by_role("alertdialog").wait_for(state="detached", timeout=WAIT_MS)
    # Each role takes only its own steps (server.permissions), each member in a tab of their own.
    processing = type(desktop)(desktop.page.context.new_page(), mobile=False)
    leader = type(desktop)(desktop.page.context.new_page(), mobile=False)
    _console_open(processing, city, "processing_officer", code)
    processing.press("step-processing_started")
    processing.expect_text("Đã ghi nhận: Bắt đầu giải quyết")
    _console_open(leader, city, "leader", code)
    leader.upload("step-result_ready", photos["good"])
    leader.expect_text("Đã ghi nhận: Có kết quả")
    desktop.page.bring_to_front()
    desktop.press("back")
    desktop.press(f"open-{code}")
    desktop.press("step-returned")
    desktop.expect_text("Đã ghi nhận: Trả kết quả")

    # The citizen rates the service.
    phone.press("another")
    _citizen_lookup(phone, code, "5678")  # the phone number's last digits work too
    phone.expect_text("Trạng thái: Đã trả kết quả")
    phone.press("rate-unsatisfied")
    phone.expect_text("Cảm ơn bạn đã đánh giá")

    # The unit's figures screen shows the period's table and exports it as CSV.
    desktop.press("back")
    desktop.press("figures")
    desktop.press("show")
    desktop.expect_text("Hài lòng (%)")
    with desktop.page.expect_download(timeout=WAIT_MS) as download:
        desktop.press("export")
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert exported[0].startswith("unit,received,finished")
    assert [line.split(",")[0] for line in exported[1:]] == ["11533"]

    after = _city_figures(city)["city"]
    assert after.received == before["city"].received + 1
    assert after.finished == before["city"].finished + 1
    assert after.digitised_results == before["city"].digitised_results + 1
    assert after.unsatisfied_or_late == before["city"].unsatisfied_or_late + 1
    with city.context.db.read() as conn:
        state = fold(stored_events(conn, dossier_id))
    assert len(state.pages) == 2 and state.rating == "unsatisfied"


def test_a_citizen_pre_applies_and_an_officer_finds_it_by_code(city, phone, tmp_path):
    photo = _photos(tmp_path)["good"]
    phone.open(f"{city.base_url}/portal/", "preapply")
    phone.press("language")
    phone.expect_text("Follow a dossier")
    phone.press("language")
    phone.expect_text("Tra cứu hồ sơ")
    phone.press("preapply")
    phone.type_into("procedure-search", "khai sinh")
    phone.press("procedure-1.001193")
    phone.upload("photo-to_khai_khai_sinh", photo)
    phone.expect_text("Đã nhận trang (1 trang)")
    phone.press("get-code")
    issued = phone.page.get_by_text(re.compile(r"Mã nộp trước: NT-[0-9A-Z]{4}-[0-9A-Z]{4}")).first
    issued.wait_for(timeout=WAIT_MS)
    code = re.search(r"NT-[0-9A-Z]{4}-[0-9A-Z]{4}", issued.inner_text()).group(0)
    answer = httpx.get(
        f"{city.base_url}/v1/preapplications/{code}",
        headers={"Authorization": f"Bearer {city.admin.token}"},
    ).json()
    assert answer["procedure_code"] == "1.001193"
    (component,) = answer["components"]
    assert component["component_id"] == "to_khai_khai_sinh" and len(component["pages"]) == 1
    assert city.context.blobs.has(component["pages"][0]["sha256"])
