"""Finding a dossier by code and last digits, and what the citizen sees of it."""

from __future__ import annotations

import pytest

from core.events import EventType
from server.portal import LookupFailed, citizen_view, find_dossier
from server.portal.follow import normalise_code


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (" h31.11311-260302-0042 ", "H31.11311-260302-0042"),
        ("H31.11311 - 260302 - 0042", "H31.11311-260302-0042"),
        ("", None),
        ("abc", None),
        ("H31.11311/../../etc", None),
    ],
)
def test_codes_are_normalised_or_refused(given, expected):
    assert normalise_code(given) == expected


def test_the_last_digits_of_either_number_find_the_dossier(context, ward):
    dossier_id, code = ward.receive()
    with context.db.read() as conn:
        for digits in ("1234", "01234", "001234", "5678", "345678"):
            assert find_dossier(conn, code, digits).id == dossier_id


@pytest.mark.parametrize("digits", ["0000", "123", "1234567", "12a4", "", "1235"])
def test_wrong_or_malformed_digits_get_the_same_refusal(context, ward, digits):
    _, code = ward.receive()
    with context.db.read() as conn, pytest.raises(LookupFailed) as refused:
        find_dossier(conn, code, digits)
    assert "Không tìm thấy hồ sơ" in refused.value.message_vi


def test_an_applicant_without_a_phone_is_found_by_cccd_only(context, ward):
    dossier_id, code = ward.receive(phone="")
    with context.db.read() as conn:
        assert find_dossier(conn, code, "1234").id == dossier_id
        with pytest.raises(LookupFailed):
            find_dossier(conn, code, "5678")


def test_the_citizen_view_names_the_procedure_and_hides_personal_data(context, ward, unit):
    dossier_id, code = ward.receive()
    unit.ask_supplement(dossier_id, ["giay_chung_sinh"])
    with context.db.read() as conn:
        state = find_dossier(conn, code, "1234")
    view = citizen_view(state, context.catalogue_version(state.catalogue_version))
    assert view.procedure_vi == "Đăng ký khai sinh"
    assert view.missing[0].name_vi.startswith("Giấy chứng sinh")
    assert [e.event_type for e in view.timeline] == [
        EventType.RECEIVED,
        EventType.SUPPLEMENT_REQUESTED,
    ]
    shown = repr(view)
    assert "Nguyễn Văn An" not in shown and "031095001234" not in shown
    assert view.due_at.utcoffset().total_seconds() == 7 * 3600
