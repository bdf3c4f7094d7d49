"""Citizen identity: the 12-digit personal ID number (CCCD) and the chip card's QR payload.

The number is ``PPP G YY RRRRRR`` (Decree 137/2015 Art. 13, Circular 07/2016 and 59/2021/TT-BCA):
the code of the province where the birth was registered (old 63-province table), one digit for
century and gender, the last two digits of the birth year, and six random digits. There is no
check digit, so only the structure can be checked.

>>> parse_cccd("031090000123", birth_date="1990-05-17", gender="male").province_name
'Hải Phòng'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from core.errors import SohoaError

__all__ = ["PROVINCES_OF_BIRTH", "Cccd", "ChipCard", "IdentityError", "parse_cccd", "parse_chip_qr"]

# Province codes of the 63-province era (Circular 07/2016/TT-BCA, Annex); people born before the
# 2025 mergers keep these codes for life, so the table stays valid for every number in use.
PROVINCES_OF_BIRTH: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "TP. Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

_GENDER_WORDS = {"male": "male", "female": "female", "nam": "male", "nữ": "female", "nu": "female"}
_GENDER_VI = {"male": "nam", "female": "nữ"}


class IdentityError(SohoaError):
    """A CCCD number or chip-card QR payload is wrong; `part` names the part at fault."""

    code = "bad_identity"

    def __init__(self, part: str, message_vi: str, message_en: str):
        self.part = part
        super().__init__(message_vi, message_en)


@dataclass(frozen=True)
class Cccd:
    """A structurally valid 12-digit personal ID number and what it encodes."""

    number: str
    province_code: str
    province_name: str
    gender: str
    birth_year: int
    serial: str


def _gender(value: str) -> str:
    word = _GENDER_WORDS.get(unicodedata.normalize("NFC", value.strip()).lower())
    if word is None:
        raise IdentityError(
            "gender",
            f"Giới tính '{value}' không hợp lệ (Nam/Nữ)",
            f"Gender '{value}' is not valid (male/female)",
        )
    return word


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise IdentityError(
            "birth_date",
            f"Ngày sinh '{value}' không phải dạng YYYY-MM-DD",
            f"Birth date '{value}' is not YYYY-MM-DD",
        ) from None


def parse_cccd(
    number: str, *, birth_date: date | str | None = None, gender: str | None = None
) -> Cccd:
    """Check a CCCD number's structure, and its consistency with a known birth date and gender.

    :param number: the 12 digits (spaces are ignored).
    :param birth_date: the holder's birth date (``date`` or ``YYYY-MM-DD``), if known.
    :param gender: "male"/"female" (or "Nam"/"Nữ"), if known.
    :raises IdentityError: naming the wrong part: length, province, century_gender or birth_year.
    """
    digits = "".join(str(number).split())
    if not re.fullmatch(r"\d{12}", digits):
        raise IdentityError(
            "length",
            f"Số CCCD phải gồm đúng 12 chữ số (đã nhập '{number}')",
            f"A CCCD number has exactly 12 digits (got '{number}')",
        )
    province, marker, year_digits, serial = digits[:3], int(digits[3]), digits[4:6], digits[6:]
    if province not in PROVINCES_OF_BIRTH:
        raise IdentityError(
            "province",
            f"Ba chữ số đầu '{province}' không phải mã tỉnh nơi đăng ký khai sinh",
            f"The first three digits '{province}' are not a province-of-birth code",
        )
    decoded_gender = "female" if marker % 2 else "male"
    birth_year = 1900 + 100 * (marker // 2) + int(year_digits)
    if birth_date is not None:
        born = _iso_date(birth_date) if isinstance(birth_date, str) else birth_date
        if born.year % 100 != int(year_digits):
            raise IdentityError(
                "birth_year",
                f"Chữ số 5–6 '{year_digits}' không khớp năm sinh {born.year}",
                f"Digits 5–6 '{year_digits}' do not match the birth year {born.year}",
            )
        if born.year != birth_year:
            raise IdentityError(
                "century_gender",
                f"Chữ số thứ 4 '{marker}' chỉ thế kỷ của năm {birth_year}, không khớp năm sinh"
                f" {born.year}",
                f"Digit 4 '{marker}' means a birth year of {birth_year}, not {born.year}",
            )
    if gender is not None and _gender(gender) != decoded_gender:
        raise IdentityError(
            "century_gender",
            f"Chữ số thứ 4 '{marker}' chỉ giới tính {_GENDER_VI[decoded_gender]}, không khớp"
            f" giới tính {_GENDER_VI[_gender(gender)]}",
            f"Digit 4 '{marker}' means {decoded_gender}, not {_gender(gender)}",
        )
    return Cccd(digits, province, PROVINCES_OF_BIRTH[province], decoded_gender, birth_year, serial)


@dataclass(frozen=True)
class ChipCard:
    """What the QR code on a chip ID card says about its holder."""

    cccd: str
    old_id: str | None
    name: str
    birth_date: date
    gender: str
    address: str
    issued_on: date

    def applicant(self, phone: str = "") -> dict[str, str]:
        """Return the applicant block of a RECEIVED event payload."""
        return {
            "cccd": self.cccd,
            "name": self.name,
            "birth_date": self.birth_date.isoformat(),
            "gender": self.gender,
            "phone": phone,
            "address": self.address,
        }


def _qr_date(value: str, part: str, label_vi: str, label_en: str) -> date:
    try:
        return datetime.strptime(value.strip(), "%d%m%Y").date()
    except ValueError:
        raise IdentityError(
            part,
            f"{label_vi} '{value}' không phải ngày dạng ddmmyyyy",
            f"{label_en} '{value}' is not a ddmmyyyy date",
        ) from None


def parse_chip_qr(payload: str) -> ChipCard:
    """Parse the chip card's QR text by its field count (7 with the old CMND, 6 without).

    ``CCCD|CMND cũ|Họ tên|ddmmyyyy|Nam/Nữ|Địa chỉ thường trú|ddmmyyyy ngày cấp``; the old CMND
    may be empty. The CCCD number is checked against the birth date and gender on the card.

    :raises IdentityError: naming the field count, date or number that is wrong.
    """
    fields = unicodedata.normalize("NFC", payload.strip()).split("|")
    if len(fields) == 7:
        number, old_id, name, born, gender, address, issued = fields
    elif len(fields) == 6:
        number, name, born, gender, address, issued = fields
        old_id = ""
    else:
        raise IdentityError(
            "field_count",
            f"Mã QR CCCD phải có 6 hoặc 7 trường ngăn bởi '|', có {len(fields)}",
            f"A chip-card QR has 6 or 7 '|'-separated fields, got {len(fields)}",
        )
    old_id = old_id.strip()
    if old_id and not re.fullmatch(r"\d{9}|\d{12}", old_id):
        raise IdentityError(
            "old_id",
            f"Số CMND cũ '{old_id}' phải gồm 9 hoặc 12 chữ số",
            f"The old ID number '{old_id}' must have 9 or 12 digits",
        )
    if not name.strip():
        raise IdentityError("name", "Mã QR thiếu họ tên", "The QR payload has no name")
    birth_date = _qr_date(born, "birth_date", "Ngày sinh", "Birth date")
    card = parse_cccd(number, birth_date=birth_date, gender=_gender(gender))
    return ChipCard(
        cccd=card.number,
        old_id=old_id or None,
        name=" ".join(name.split()),
        birth_date=birth_date,
        gender=card.gender,
        address=address.strip(),
        issued_on=_qr_date(issued, "issued_on", "Ngày cấp", "Issue date"),
    )
