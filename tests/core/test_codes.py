from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.codes import (
    DOSSIER_CODE_FORMAT,
    SLOT_COUNT,
    SLOT_SIZE,
    CodeIssuer,
    CodeSpaceExhausted,
    DossierCode,
    DossierCodeError,
    agency_code_for,
    format_dossier_code,
    parse_dossier_code,
    slot_of,
    slot_sequences,
)
from core.units import UnknownUnit

DAY = date(2026, 3, 2)


def test_code_has_the_circular_shape():
    assert format_dossier_code("H31.11311", DAY, 7) == "H31.11311-260302-0007"
    assert format_dossier_code("000.00.31.H31", DAY, 9999) == "000.00.31.H31-260302-9999"


def test_parse_inverts_format():
    code = parse_dossier_code("H31.11311-260302-0304")
    assert code == DossierCode("H31.11311", DAY, 304)
    assert str(code) == "H31.11311-260302-0304"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "H31.11311-260302",
        "H31.11311-260302-304",
        "H31.11311-260302-00304",
        "H31.11311-261302-0001",
        "H31.11311-260230-0001",
        "H31.11311-260302-0000",
        "h31.11311-260302-0001",
        "-260302-0001",
        "H31..11311-260302-0001",
        "H31.11311-2603O2-0001",
    ],
)
def test_parse_refuses_malformed_codes(text):
    with pytest.raises(DossierCodeError) as caught:
        parse_dossier_code(text)
    assert "YYMMDD" in caught.value.message("en")


@pytest.mark.parametrize(("agency", "sequence"), [("H31.11311", 0), ("H31.11311", 10_000), ("", 1)])
def test_format_refuses_bad_parts(agency, sequence):
    with pytest.raises(DossierCodeError):
        format_dossier_code(agency, DAY, sequence)


def test_agency_code_is_derived_from_the_unit():
    assert agency_code_for("11311") == "H31.11311"
    assert agency_code_for("00070") == "H01.00070"
    with pytest.raises(UnknownUnit):
        agency_code_for("99999")


def test_slots_partition_the_whole_daily_sequence_space():
    assert SLOT_COUNT * SLOT_SIZE == DOSSIER_CODE_FORMAT.max_sequence == 9999
    covered = [n for slot in range(SLOT_COUNT) for n in slot_sequences(slot)]
    assert covered == list(range(1, 10_000))
    assert all(slot_of(n) == slot for slot in range(SLOT_COUNT) for n in slot_sequences(slot))


@pytest.mark.parametrize("slot", [-1, SLOT_COUNT])
def test_out_of_range_slot_is_refused(slot):
    with pytest.raises(DossierCodeError):
        CodeIssuer("H31.11311", slot)
    with pytest.raises(DossierCodeError):
        slot_of(0)


def test_issuer_counts_per_day_inside_its_slot():
    issuer = CodeIssuer("H31.11311", device_slot=2)
    assert issuer.issue(DAY) == "H31.11311-260302-0607"
    assert issuer.issue(DAY) == "H31.11311-260302-0608"
    assert issuer.issue(DAY + timedelta(days=1)) == "H31.11311-260303-0607"
    assert issuer.issued_on(DAY) == 2
    assert issuer.issued_on(DAY - timedelta(days=1)) == 0


def test_restarted_issuer_continues_after_the_codes_it_issued():
    first = CodeIssuer("H31.11311", 0)
    issued = [first.issue(DAY) for _ in range(5)]
    again = CodeIssuer("H31.11311", 0, issued=reversed(issued))
    assert again.issue(DAY) == "H31.11311-260302-0006"


@pytest.mark.parametrize(
    "foreign", ["H31.11560-260302-0001", "H31.11311-260302-0304", "not a code"]
)
def test_issuer_refuses_codes_it_could_not_have_issued(foreign):
    with pytest.raises(DossierCodeError):
        CodeIssuer("H31.11311", 0, issued=[foreign])


def test_exhausted_slot_raises_a_clear_error():
    issuer = CodeIssuer("H31.11311", SLOT_COUNT - 1)
    codes = [issuer.issue(DAY) for _ in range(SLOT_SIZE)]
    assert codes[-1].endswith("-9999")
    with pytest.raises(CodeSpaceExhausted) as caught:
        issuer.issue(DAY)
    assert "303" in caught.value.message("vi") and "303" in caught.value.message("en")
    assert issuer.issue(DAY + timedelta(days=1)).endswith("-9697")


# One step of the simulation: which device acts, on which day offset, and whether it restarts
# (rebuilt from its vault) before issuing.
_steps = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 3), st.booleans()), min_size=1, max_size=250
)


@settings(max_examples=60, deadline=None)
@given(steps=_steps, slots=st.permutations(range(SLOT_COUNT)))
def test_codes_are_unique_city_wide_across_offline_devices_and_days(steps, slots):
    # Six devices: three in each of two units; the server gave each a distinct slot in its unit.
    devices = [("11311", slots[i]) for i in range(3)] + [("11560", slots[i]) for i in range(3)]
    issuers = [CodeIssuer(agency_code_for(u), s) for u, s in devices]
    vaults: list[list[str]] = [[] for _ in devices]
    seen: set[str] = set()
    for device, offset, restart in steps:
        unit_code, slot = devices[device]
        if restart:
            issuers[device] = CodeIssuer(agency_code_for(unit_code), slot, issued=vaults[device])
        code = issuers[device].issue(DAY + timedelta(days=offset))
        assert code not in seen
        seen.add(code)
        vaults[device].append(code)
        parsed = parse_dossier_code(code)
        assert parsed.agency_code == agency_code_for(unit_code)
        assert slot_of(parsed.sequence) == slot
