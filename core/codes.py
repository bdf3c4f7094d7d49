"""Dossier codes (mã số hồ sơ) in the legal format, issued offline without collisions.

Format (Circular 01/2018/TT-VPCP Art. 19): ``<agency code>-<YYMMDD>-<XXXX>``, the receipt date and
the 4-digit sequence number of that day. Everything about the shape lives in `DOSSIER_CODE_FORMAT`
and `AGENCY_CODE_FORMAT`, so a changed circular is one edit.

Agency code: QCVN 102:2016 codes (``V1V2V3.Z1Z2.Y1Y2.MX1X2``) are assigned by each province and are
not derivable from anything we hold, so we use the province-portal style ``H<province>.<unit>``
(e.g. ``H31.11311`` for Phường Hồng Bàng, Hải Phòng; cf. ``MaCoQuanThucHien=H55.242``). Both parts
are official codes, so agency codes are unique nationwide.

Allocation: codes must be unique city-wide while several devices of one unit issue them offline on
the same day. The agency code separates units and the date separates days, so only the sequence
space of one unit and day (0001–9999) has to be shared. The server gives each enrolled device of a
unit a *slot* 0..32; slot ``s`` owns the block ``s*303+1 .. s*303+303`` (33 × 303 = 9,999, the whole
space). A device therefore issues at most 303 codes a day with no contact at all; the 304th raises
`CodeSpaceExhausted`. The server must never hold one slot for two live devices of a unit: a slot is
given again only after its previous device is revoked and everything it issued has arrived.

    >>> issuer = CodeIssuer("H31.11311", device_slot=1)
    >>> issuer.issue(date(2026, 3, 2))
    'H31.11311-260302-0304'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from core.errors import SohoaError
from core.units import unit

__all__ = [
    "AGENCY_CODE_FORMAT",
    "DOSSIER_CODE_FORMAT",
    "SLOT_COUNT",
    "SLOT_SIZE",
    "CodeFormat",
    "CodeIssuer",
    "CodeSpaceExhausted",
    "DossierCode",
    "DossierCodeError",
    "agency_code_for",
    "format_dossier_code",
    "parse_dossier_code",
    "slot_of",
    "slot_sequences",
]

AGENCY_CODE_FORMAT = "H{province_code}.{unit_code}"
_AGENCY_CODE = re.compile(r"[A-Z0-9]+(\.[A-Z0-9]+)*")


@dataclass(frozen=True)
class CodeFormat:
    """The shape of a dossier code: separator, date pattern and sequence width."""

    separator: str
    date_format: str
    sequence_digits: int

    @property
    def max_sequence(self) -> int:
        """The largest sequence number of one day."""
        return 10**self.sequence_digits - 1


DOSSIER_CODE_FORMAT = CodeFormat(separator="-", date_format="%y%m%d", sequence_digits=4)
SLOT_SIZE = 303
SLOT_COUNT = DOSSIER_CODE_FORMAT.max_sequence // SLOT_SIZE


class DossierCodeError(SohoaError):
    """A dossier code, agency code, sequence or device slot is malformed."""

    code = "bad_dossier_code"


class CodeSpaceExhausted(DossierCodeError):
    """A device has used every sequence number of its slot for one day."""

    code = "code_space_exhausted"


@dataclass(frozen=True, order=True)
class DossierCode:
    """The three parts of a dossier code."""

    agency_code: str
    received_on: date
    sequence: int

    def __str__(self) -> str:
        return format_dossier_code(self.agency_code, self.received_on, self.sequence)


def agency_code_for(unit_code: str) -> str:
    """Return the agency code of a commune-level unit, e.g. "11311" -> "H31.11311".

    :raises UnknownUnit: no unit has `unit_code`.
    """
    found = unit(unit_code)
    return AGENCY_CODE_FORMAT.format(province_code=found.province_code, unit_code=found.code)


def _check_agency(agency_code: str) -> None:
    if not _AGENCY_CODE.fullmatch(agency_code):
        raise DossierCodeError(
            f"Mã cơ quan không hợp lệ: '{agency_code}'", f"Malformed agency code: '{agency_code}'"
        )


def format_dossier_code(agency_code: str, received_on: date, sequence: int) -> str:
    """Return the dossier code for a receipt date and that day's sequence number.

    :raises DossierCodeError: the agency code is malformed or the sequence is out of range.
    """
    fmt = DOSSIER_CODE_FORMAT
    _check_agency(agency_code)
    if not 1 <= sequence <= fmt.max_sequence:
        raise DossierCodeError(
            f"Số thứ tự hồ sơ phải từ 1 đến {fmt.max_sequence}, không phải {sequence}",
            f"The dossier sequence must be 1 to {fmt.max_sequence}, not {sequence}",
        )
    day = received_on.strftime(fmt.date_format)
    return f"{agency_code}{fmt.separator}{day}{fmt.separator}{sequence:0{fmt.sequence_digits}d}"


def parse_dossier_code(text: str) -> DossierCode:
    """Split a dossier code into agency code, receipt date and sequence.

    :raises DossierCodeError: `text` is not a dossier code.
    """
    fmt = DOSSIER_CODE_FORMAT
    bad = DossierCodeError(
        f"Mã hồ sơ không đúng định dạng <mã cơ quan>-YYMMDD-XXXX: '{text}'",
        f"Dossier code is not <agency code>-YYMMDD-XXXX: '{text}'",
    )
    parts = text.strip().rsplit(fmt.separator, 2)
    if len(parts) != 3:
        raise bad
    agency_code, day, sequence = parts
    if len(sequence) != fmt.sequence_digits or not sequence.isdigit():
        raise bad
    try:
        received_on = datetime.strptime(day, fmt.date_format).date()
    except ValueError:
        raise bad from None
    if not _AGENCY_CODE.fullmatch(agency_code) or int(sequence) == 0:
        raise bad
    return DossierCode(agency_code, received_on, int(sequence))


def _check_slot(device_slot: int) -> None:
    if not 0 <= device_slot < SLOT_COUNT:
        raise DossierCodeError(
            f"Vị trí cấp mã của thiết bị phải từ 0 đến {SLOT_COUNT - 1}, không phải {device_slot}",
            f"A device's code slot must be 0 to {SLOT_COUNT - 1}, not {device_slot}",
        )


def slot_sequences(device_slot: int) -> range:
    """Return the sequence numbers a device slot may issue each day.

    :raises DossierCodeError: the slot is out of range.
    """
    _check_slot(device_slot)
    return range(device_slot * SLOT_SIZE + 1, (device_slot + 1) * SLOT_SIZE + 1)


def slot_of(sequence: int) -> int:
    """Return the device slot that owns a sequence number (the server checks codes with it)."""
    if not 1 <= sequence <= SLOT_COUNT * SLOT_SIZE:
        raise DossierCodeError(
            f"Số thứ tự {sequence} không thuộc vị trí cấp mã nào",
            f"Sequence {sequence} belongs to no code slot",
        )
    return (sequence - 1) // SLOT_SIZE


class CodeIssuer:
    """Issues the dossier codes of one device, offline, from its slot.

    Give it the codes the device already issued (from its vault) so a restart never repeats one.

    >>> issuer = CodeIssuer("H31.11311", 0, issued=["H31.11311-260302-0001"])
    >>> issuer.issue(date(2026, 3, 2))
    'H31.11311-260302-0002'
    """

    def __init__(self, agency_code: str, device_slot: int, issued: Iterable[str] = ()):
        _check_agency(agency_code)
        self.agency_code = agency_code
        self.device_slot = device_slot
        self.sequences = slot_sequences(device_slot)
        self._last: dict[date, int] = {}
        for text in issued:
            self._remember(parse_dossier_code(text))

    def _remember(self, code: DossierCode) -> None:
        if code.agency_code != self.agency_code or code.sequence not in self.sequences:
            raise DossierCodeError(
                f"Mã hồ sơ {code} không do thiết bị này cấp "
                f"(cơ quan {self.agency_code}, vị trí {self.device_slot})",
                f"Dossier code {code} was not issued by this device "
                f"(agency {self.agency_code}, slot {self.device_slot})",
            )
        self._last[code.received_on] = max(self._last.get(code.received_on, 0), code.sequence)

    def issued_on(self, received_on: date) -> int:
        """Return how many codes this device has issued for one receipt date."""
        last = self._last.get(received_on)
        return 0 if last is None else last - self.sequences.start + 1

    def issue(self, received_on: date) -> str:
        """Return the next unused dossier code for a receipt date.

        :raises CodeSpaceExhausted: the slot's 303 codes for that day are all used.
        """
        sequence = self._last.get(received_on, self.sequences.start - 1) + 1
        if sequence not in self.sequences:
            raise CodeSpaceExhausted(
                f"Thiết bị (vị trí {self.device_slot}) đã cấp hết {SLOT_SIZE} mã hồ sơ của ngày "
                f"{received_on:%d/%m/%Y}; hãy kết nối để máy chủ cấp mã hoặc dùng thiết bị khác",
                f"This device (slot {self.device_slot}) has issued all {SLOT_SIZE} dossier codes "
                f"for {received_on:%Y-%m-%d}; connect so the server issues codes, or use "
                "another device",
            )
        self._last[received_on] = sequence
        return format_dossier_code(self.agency_code, received_on, sequence)
