import pytest

from app.errors import FieldError
from app.state.applicant import (
    ApplicantForm,
    applicant_payload,
    check_all,
    fill_from_chip_qr,
    parse_birth_date,
    set_field,
)

QR = "031090000123|123456789|Nguyễn Văn An|17051990|Nam|Số 1 Lê Lợi, Hồng Bàng, Hải Phòng|01012021"


def typed(form: ApplicantForm, name: str, text: str) -> ApplicantForm:
    """Type `text` one character at a time, as the field's on_change does."""
    for end in range(1, len(text) + 1):
        form = set_field(form, name, text[:end])
    return form


def test_partial_cccd_is_fine_while_typing_and_kept():
    form = typed(ApplicantForm(), "cccd", "03109")
    assert form.values["cccd"] == "03109"
    assert "cccd" not in form.errors


def test_letters_in_cccd_show_an_error_at_once_and_keep_the_text():
    form = typed(ApplicantForm(), "cccd", "031a")
    assert form.values["cccd"] == "031a"
    assert "digits" in form.errors["cccd"].message("en")


def test_full_cccd_is_checked_against_birth_year_and_gender():
    form = typed(ApplicantForm(), "birth_date", "17/05/1990")
    form = set_field(form, "gender", "female")
    form = typed(form, "cccd", "031090000123")
    assert "cccd" in form.errors
    assert "cccd" not in set_field(form, "gender", "male").errors


def test_unknown_province_is_reported():
    form = typed(ApplicantForm(), "cccd", "003090000123")
    assert "cccd" in form.errors


def test_chip_qr_fills_the_form():
    form = fill_from_chip_qr(ApplicantForm(), QR)
    assert form.values["cccd"] == "031090000123"
    assert form.values["name"] == "Nguyễn Văn An"
    assert form.values["birth_date"] == "17/05/1990"
    assert form.values["gender"] == "male"
    assert form.errors == {}


def test_bad_chip_qr_marks_the_cccd_field_and_keeps_what_was_typed():
    form = typed(ApplicantForm(), "name", "Lê Thị Hoa")
    form = fill_from_chip_qr(form, "not a card")
    assert "cccd" in form.errors
    assert form.values["name"] == "Lê Thị Hoa"


def test_final_check_lists_missing_required_fields():
    form = check_all(typed(ApplicantForm(), "name", "Lê Thị Hoa"))
    assert set(form.errors) == {"cccd", "birth_date", "gender", "address"}
    assert not form.complete


def test_post_return_needs_an_address():
    form = fill_from_chip_qr(ApplicantForm(), QR)
    form = set_field(form, "return_method", "post")
    assert "return_address" in check_all(form).errors
    form = set_field(form, "return_address", "12 Trần Phú, Hải Phòng")
    assert check_all(form).complete


def test_unknown_channel_is_refused():
    with pytest.raises(ValueError):
        set_field(ApplicantForm(), "channel", "fax")


@pytest.mark.parametrize("text", ["17/05/1990", "1990-05-17", "17051990"])
def test_birth_date_formats(text):
    assert parse_birth_date(text).isoformat() == "1990-05-17"


@pytest.mark.parametrize("text", ["31/02/1990", "01/01/2999", "yesterday"])
def test_bad_birth_dates(text):
    with pytest.raises(FieldError):
        parse_birth_date(text)


def test_phone_is_checked_once_long_enough():
    assert "phone" not in typed(ApplicantForm(), "phone", "0912").errors
    assert "phone" in typed(ApplicantForm(), "phone", "09123abc45").errors
    assert "phone" not in typed(ApplicantForm(), "phone", "0912345678").errors


def test_payload_matches_the_received_event_shape():
    payload = applicant_payload(
        set_field(fill_from_chip_qr(ApplicantForm(), QR), "phone", "0912345678")
    )
    assert payload == {
        "cccd": "031090000123",
        "name": "Nguyễn Văn An",
        "birth_date": "1990-05-17",
        "gender": "male",
        "phone": "0912345678",
        "address": "Số 1 Lê Lợi, Hồng Bàng, Hải Phòng",
    }
