from dataclasses import replace

import pytest

from app.errors import ReceiptBlocked
from app.state.applicant import fill_from_chip_qr, set_field
from app.state.checklist import PageRef, add_page
from app.state.intake import (
    IntakeState,
    Receipt,
    Step,
    choose_procedure,
    go_to,
    mark_received,
    review,
)
from core.catalogue import fee_for, load_catalogue

CATALOGUE = load_catalogue()
QR = "031090000123|123456789|Nguyễn Văn An|17051990|Nam|Số 1 Lê Lợi, Hồng Bàng, Hải Phòng|01012021"
RECEIPT = Receipt(
    "d1", "H31.11311-261127-0001", "2026-11-27T09:00:00+07:00", "2026-11-27T17:00:00+07:00", 0
)


def page(n: int) -> PageRef:
    return PageRef(sha256=f"{n:064x}", media_type="image/jpeg", mode="text", dpi=200, size=900)


def ready_state() -> IntakeState:
    state = choose_procedure(IntakeState(), CATALOGUE.get("1.001193"))
    state = replace(state, applicant=fill_from_chip_qr(state.applicant, QR))
    for n, component in enumerate(state.procedure.components):
        if component.mandatory:
            state = replace(state, checklist=add_page(state.checklist, component.id, page(n)))
    return state


def test_choosing_a_procedure_opens_the_applicant_step_with_its_checklist():
    state = choose_procedure(IntakeState(), CATALOGUE.get("1.001193"))
    assert state.step is Step.applicant
    assert len(state.checklist.items) == len(state.procedure.components)


def test_choosing_the_same_procedure_again_keeps_the_pages():
    state = ready_state()
    again = choose_procedure(replace(state, step=Step.procedure), state.procedure)
    assert again.checklist == state.checklist


def test_no_step_without_a_procedure():
    assert go_to(IntakeState(), Step.review).step is Step.procedure


def test_applicant_errors_keep_the_officer_on_the_applicant_step():
    state = choose_procedure(IntakeState(), CATALOGUE.get("1.001193"))
    state = replace(state, applicant=set_field(state.applicant, "name", "Lê Thị Hoa"))
    moved = go_to(state, Step.components)
    assert moved.step is Step.applicant
    assert "cccd" in moved.applicant.errors
    assert moved.applicant.values["name"] == "Lê Thị Hoa"


def test_review_blocks_on_missing_mandatory_components():
    state = choose_procedure(IntakeState(), CATALOGUE.get("1.001193"))
    state = replace(state, applicant=fill_from_chip_qr(state.applicant, QR))
    summary = review(state, fee_for)
    assert not summary.can_receive
    assert "Tờ khai đăng ký khai sinh" in summary.missing
    with pytest.raises(ReceiptBlocked) as blocked:
        mark_received(state, summary, RECEIPT)
    assert "Tờ khai" in blocked.value.message("vi")


def test_complete_dossier_is_received_and_then_frozen():
    state = ready_state()
    summary = review(state, fee_for)
    assert summary.can_receive and summary.page_count == 2 and summary.fee_vnd == 0
    done = mark_received(go_to(state, Step.review), summary, RECEIPT)
    assert done.step is Step.received and done.receipt == RECEIPT
    assert go_to(done, Step.applicant) == done


def test_fee_follows_the_catalogue_rule():
    paid = next(p for p in CATALOGUE.procedures.values() if fee_for(p, pages=1) > 0)
    state = choose_procedure(IntakeState(), paid)
    assert review(state, fee_for).fee_vnd == fee_for(paid, pages=0)
