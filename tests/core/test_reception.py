"""The RECEIVED payload: routing by the applicant's commune, due date by the calendar."""

from __future__ import annotations

from datetime import datetime

from core.calendar import TIMEZONE, default_calendar
from core.catalogue import load_catalogue
from core.reception import received_payload

CATALOGUE = load_catalogue()
APPLICANT = {"cccd": "031090000123", "name": "Nguyễn Văn An"}
# Friday 2026-11-27 at 16:00: after the 15:00 cut-off, so counting starts on Monday.
FRIDAY_AFTERNOON = datetime(2026, 11, 27, 16, 0, tzinfo=TIMEZONE)


def payload_for(procedure_code: str, residence_unit: str) -> dict:
    return received_payload(
        CATALOGUE.get(procedure_code),
        code="H31.11311-261127-0001",
        catalogue_version=CATALOGUE.version,
        applicant=APPLICANT,
        residence_unit=residence_unit,
        receiving_unit="11311",
        received_at=FRIDAY_AFTERNOON,
        calendar=default_calendar(),
        components=[],
        fee_vnd=0,
    )


def test_a_residence_bound_procedure_goes_to_the_applicants_commune():
    payload = payload_for("1.001193", residence_unit="11383")  # birth registration
    assert (payload["receiving_unit"], payload["competent_unit"]) == ("11311", "11383")
    assert payload["applicant"]["residence_unit"] == "11383"
    assert "residence_unit" not in APPLICANT  # the caller's dict is left as it was


def test_a_procedure_of_the_receiving_unit_stays_there_and_carries_no_residence():
    payload = payload_for("2.000815", residence_unit="11383")
    assert payload["competent_unit"] == "11311"
    assert payload["applicant"] == APPLICANT


def test_the_due_date_follows_the_calendar_and_the_cut_off():
    payload = payload_for("1.004873", residence_unit="11311")  # 3 working days
    # Counted as received on Monday 30 November, so due on Thursday 3 December at 17:00.
    assert payload["due_at"] == "2026-12-03T17:00:00+07:00"
    assert payload["received_at"] == FRIDAY_AFTERNOON.isoformat()
