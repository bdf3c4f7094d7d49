from collections import Counter

import pytest

from core.text import fold
from core.units import (
    DEFAULT_UNITS_PATH,
    AdminUnit,
    UnknownUnit,
    find_units,
    load_units,
    province,
    unit,
)

REGISTRY = load_units()


def test_the_2025_table_has_34_provinces_and_3321_units():
    assert len(REGISTRY.units) == 3321
    assert len({u.code for u in REGISTRY.units}) == 3321
    assert len(REGISTRY.provinces()) == 34
    assert Counter(u.kind for u in REGISTRY.units) == {"xa": 2621, "phuong": 687, "dac_khu": 13}


def test_hai_phong_has_114_units():
    units = REGISTRY.units_of("31")
    assert len(units) == 114
    assert Counter(u.kind for u in units) == {"phuong": 45, "xa": 67, "dac_khu": 2}
    assert province("31").name == "Thành phố Hải Phòng"


def test_lookup_by_code():
    assert unit("11311") == AdminUnit(
        "11311", "Phường Hồng Bàng", "phuong", "31", "Thành phố Hải Phòng"
    )
    assert unit("11914").name == "Đặc khu Cát Hải"
    assert unit("11948").kind == "dac_khu"


@pytest.mark.parametrize("code", ["", "1131", "99999", "11311 "])
def test_unknown_unit_code_is_a_typed_error(code):
    with pytest.raises(UnknownUnit) as caught:
        unit(code)
    assert code in caught.value.message("en")


def test_unknown_province_is_a_typed_error():
    with pytest.raises(UnknownUnit):
        province("30")
    with pytest.raises(UnknownUnit):
        REGISTRY.units_of("63")


@pytest.mark.parametrize(
    "typed", ["thuy nguyen", "THỦY NGUYÊN", "Thuỷ Nguyên", "phuong thuy nguyen", "  thủy   nguyên "]
)
def test_find_ignores_case_diacritics_and_tone_placement(typed):
    assert [u.code for u in find_units(typed)] == ["11560"]


def test_find_matches_whole_words_and_puts_exact_names_first():
    names = [u.name for u in find_units("tan an")]
    assert all(f" {fold(n)} ".find(" tan an ") >= 0 for n in names)
    exact = [i for i, n in enumerate(names) if fold(n).endswith("tan an")]
    longer = [i for i, n in enumerate(names) if not fold(n).endswith("tan an")]
    assert exact and longer and max(exact) < min(longer)
    assert find_units("hong ban") == []


def test_find_can_be_limited_to_a_province():
    everywhere = find_units("tan minh")
    in_hai_phong = find_units("tan minh", province_code="31")
    assert len(everywhere) > len(in_hai_phong)
    assert all(u.province_code == "31" for u in in_hai_phong)


def test_empty_query_finds_nothing():
    assert find_units("") == []
    assert find_units("  ,  ") == []


def test_registry_is_read_once():
    assert load_units(DEFAULT_UNITS_PATH) is load_units() is load_units(None)
