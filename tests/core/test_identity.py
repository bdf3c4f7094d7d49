from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.identity import PROVINCES_OF_BIRTH, IdentityError, parse_cccd, parse_chip_qr

CARD = "031090000123|123456789|Nguyễn  Văn An|17051990|Nam|12 Lạch Tray, Hải Phòng|01022021"


def test_the_old_63_province_table_is_complete():
    assert len(PROVINCES_OF_BIRTH) == 63
    assert PROVINCES_OF_BIRTH["001"] == "Hà Nội"
    assert PROVINCES_OF_BIRTH["031"] == "Hải Phòng"
    assert PROVINCES_OF_BIRTH["030"] == "Hải Dương"
    assert PROVINCES_OF_BIRTH["079"] == "TP. Hồ Chí Minh"
    assert PROVINCES_OF_BIRTH["096"] == "Cà Mau"
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCES_OF_BIRTH)
    assert max(PROVINCES_OF_BIRTH) == "096"


def test_valid_number_decodes_its_parts():
    card = parse_cccd("001 3 05 012345", birth_date=date(2005, 1, 2), gender="Nữ")
    assert card.number == "001305012345"
    assert (card.province_code, card.province_name) == ("001", "Hà Nội")
    assert (card.gender, card.birth_year, card.serial) == ("female", 2005, "012345")


@pytest.mark.parametrize(
    ("digit", "year", "gender"),
    [
        (0, 1990, "male"),
        (1, 1990, "female"),
        (2, 2090, "male"),
        (3, 2090, "female"),
        (4, 2190, "male"),
        (5, 2190, "female"),
        (6, 2290, "male"),
        (9, 2390, "female"),
    ],
)
def test_fourth_digit_is_century_and_gender(digit, year, gender):
    card = parse_cccd(f"079{digit}90123456", birth_date=f"{year}-06-01", gender=gender)
    assert (card.birth_year, card.gender) == (year, gender)


@pytest.mark.parametrize(
    ("number", "kwargs", "part", "vi", "en"),
    [
        ("03109000012", {}, "length", "12 chữ số", "12 digits"),
        ("03109000012a", {}, "length", "12 chữ số", "12 digits"),
        ("003090000123", {}, "province", "'003'", "'003'"),
        ("097090000123", {}, "province", "mã tỉnh", "province-of-birth"),
        ("031090000123", {"birth_date": "1991-05-17"}, "birth_year", "5–6", "5–6"),
        ("031290000123", {"birth_date": "1990-05-17"}, "century_gender", "thế kỷ", "Digit 4"),
        ("031090000123", {"gender": "female"}, "century_gender", "giới tính nam", "male"),
        ("031190000123", {"gender": "Nam"}, "century_gender", "giới tính nữ", "female"),
        ("031090000123", {"gender": "x"}, "gender", "Nam/Nữ", "male/female"),
        ("031090000123", {"birth_date": "17/05/1990"}, "birth_date", "YYYY-MM-DD", "YYYY-MM-DD"),
    ],
)
def test_each_error_names_the_wrong_part(number, kwargs, part, vi, en):
    with pytest.raises(IdentityError) as caught:
        parse_cccd(number, **kwargs)
    assert caught.value.part == part
    assert vi in caught.value.message("vi")
    assert en in caught.value.message("en")


@given(
    province=st.sampled_from(sorted(PROVINCES_OF_BIRTH)),
    born=st.dates(date(1900, 1, 1), date(2299, 12, 31)),
    gender=st.sampled_from(["male", "female"]),
    serial=st.integers(0, 999_999),
)
def test_numbers_built_by_the_rule_always_parse(province, born, gender, serial):
    marker = 2 * ((born.year - 1900) // 100) + (gender == "female")
    number = f"{province}{marker}{born.year % 100:02d}{serial:06d}"
    card = parse_cccd(number, birth_date=born, gender=gender)
    assert (card.birth_year, card.gender) == (born.year, gender)


def test_chip_qr_with_seven_fields():
    card = parse_chip_qr(CARD + "\n")
    assert card.cccd == "031090000123" and card.old_id == "123456789"
    assert card.name == "Nguyễn Văn An"
    assert card.birth_date == date(1990, 5, 17) and card.issued_on == date(2021, 2, 1)
    assert card.gender == "male" and card.address == "12 Lạch Tray, Hải Phòng"
    assert card.applicant(phone="0912")["birth_date"] == "1990-05-17"


def test_chip_qr_with_an_empty_old_id_and_with_six_fields():
    empty = parse_chip_qr(CARD.replace("|123456789|", "||"))
    six = parse_chip_qr(CARD.replace("|123456789|", "|"))
    assert empty.old_id is None and six.old_id is None
    assert empty == six


def test_chip_qr_reads_decomposed_unicode():
    import unicodedata

    card = parse_chip_qr(
        unicodedata.normalize(
            "NFD", CARD.replace("Nam", "Nữ").replace("031090000123", "031190000123")
        )
    )
    assert card.gender == "female" and card.name == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("payload", "part"),
    [
        ("031090000123|Nguyễn Văn An|17051990", "field_count"),
        (CARD + "|extra|more", "field_count"),
        (CARD.replace("17051990", "1990-05-17"), "birth_date"),
        (CARD.replace("01022021", "31022021"), "issued_on"),
        (CARD.replace("123456789", "12345"), "old_id"),
        (CARD.replace("Nguyễn  Văn An", " "), "name"),
        (CARD.replace("|Nam|", "|Nữ|"), "century_gender"),
        (CARD.replace("031090", "031091"), "birth_year"),
        (CARD.replace("031090", "999090"), "province"),
    ],
)
def test_bad_chip_qr_payloads_name_the_part(payload, part):
    with pytest.raises(IdentityError) as caught:
        parse_chip_qr(payload)
    assert caught.value.part == part
    assert caught.value.message("vi") != caught.value.message("en")
