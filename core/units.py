"""Administrative units after the 1 July 2025 reform: 34 provinces and 3,321 commune-level units.

The table is ``assets/admin_units_2025.csv`` (province codes from Công văn 915/CTK-CSCL, commune
codes from Công văn 1027/CTK-CSCL). Lookups are by official code or by a name typed without
diacritics::

    >>> unit("11311").name
    'Phường Hồng Bàng'
    >>> [u.code for u in find_units("hong bang")]
    ['11311']
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.errors import SohoaError
from core.text import fold

__all__ = [
    "DEFAULT_UNITS_PATH",
    "AdminUnit",
    "Province",
    "UnitRegistry",
    "UnknownUnit",
    "find_units",
    "load_units",
    "province",
    "unit",
    "unit_name",
]

DEFAULT_UNITS_PATH = Path(__file__).resolve().parent.parent / "assets" / "admin_units_2025.csv"


class UnknownUnit(SohoaError):
    """No province or commune-level unit has this code."""

    code = "unknown_unit"


@dataclass(frozen=True)
class Province:
    """A province or centrally-run city (2-digit code)."""

    code: str
    name: str


@dataclass(frozen=True)
class AdminUnit:
    """A commune-level unit: ward (phuong), commune (xa) or special zone (dac_khu)."""

    code: str
    name: str
    kind: str
    province_code: str
    province_name: str


class UnitRegistry:
    """Every unit of one table, indexed by code and by folded name.

    >>> registry = load_units()
    >>> registry.province("31").name
    'Thành phố Hải Phòng'
    """

    def __init__(self, units: list[AdminUnit]):
        self.units = tuple(units)
        self._by_code = {u.code: u for u in units}
        self._provinces = {
            u.province_code: Province(u.province_code, u.province_name) for u in units
        }
        self._folded = [(fold(u.name), u) for u in units]

    def unit(self, code: str) -> AdminUnit:
        """Return the unit with this 5-digit code.

        :raises UnknownUnit: no unit has the code.
        """
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownUnit(
                f"Không có đơn vị hành chính cấp xã mã '{code}'",
                f"No commune-level unit has code '{code}'",
            ) from None

    def province(self, code: str) -> Province:
        """Return the province with this 2-digit code.

        :raises UnknownUnit: no province has the code.
        """
        try:
            return self._provinces[code]
        except KeyError:
            raise UnknownUnit(
                f"Không có tỉnh, thành phố mã '{code}'", f"No province has code '{code}'"
            ) from None

    def provinces(self) -> list[Province]:
        """Return every province, by code."""
        return sorted(self._provinces.values(), key=lambda p: p.code)

    def units_of(self, province_code: str) -> list[AdminUnit]:
        """Return the commune-level units of one province, by code."""
        self.province(province_code)
        return sorted(
            (u for u in self.units if u.province_code == province_code), key=lambda u: u.code
        )

    def find(self, name: str, province_code: str | None = None) -> list[AdminUnit]:
        """Return units whose name contains `name`, ignoring case and diacritics.

        Exact names come first ("Xã Tân An" before "Xã Tân An Hội"), then by code.
        """
        wanted = fold(name)
        if not wanted:
            return []
        found = [
            (not folded.endswith(wanted), u.code, u)
            for folded, u in self._folded
            if f" {wanted} " in f" {folded} "
            and (province_code is None or u.province_code == province_code)
        ]
        return [u for *_, u in sorted(found)]


def _read(path: Path) -> list[AdminUnit]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            AdminUnit(
                code=row["unit_code"],
                name=row["unit_name"],
                kind=row["unit_kind"],
                province_code=row["province_code"],
                province_name=row["province_name"],
            )
            for row in csv.DictReader(handle)
        ]


@cache
def _load(path: Path) -> UnitRegistry:
    return UnitRegistry(_read(path))


def load_units(path: Path | None = None) -> UnitRegistry:
    """Return the unit table at `path` (default: the shipped one), read once per path."""
    return _load((path or DEFAULT_UNITS_PATH).resolve())


def unit(code: str) -> AdminUnit:
    """Return the shipped unit with this code.

    :raises UnknownUnit: no unit has the code.
    """
    return load_units().unit(code)


def unit_name(code: str) -> str:
    """Return the shipped unit's name, or `code` itself for a unit newer than the shipped list."""
    try:
        return unit(code).name
    except UnknownUnit:
        return code


def province(code: str) -> Province:
    """Return the shipped province with this code.

    :raises UnknownUnit: no province has the code.
    """
    return load_units().province(code)


def find_units(name: str, province_code: str | None = None) -> list[AdminUnit]:
    """Return shipped units whose name contains `name` (diacritics-insensitive)."""
    return load_units().find(name, province_code)
