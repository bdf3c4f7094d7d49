"""The catalogue's data: procedures, their components, fees and bundles, and catalogue versions.

Values only; reading publications is `core.catalogue_load`, fee and routing rules are
`core.catalogue_rules`, and `core.catalogue` is the facade the rest of SoHoa imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from core.calendar import TIMEZONE
from core.errors import SohoaError
from core.text import fold

__all__ = [
    "COMPETENT_UNIT_RULES",
    "FIELDS",
    "Bundle",
    "Catalogue",
    "CatalogueError",
    "CatalogueHistory",
    "Component",
    "FeeRule",
    "PageTier",
    "Processing",
    "Procedure",
    "ProcedureResult",
    "Timed",
    "UnknownProcedure",
]

FIELDS = {
    "ho_tich": ("Hộ tịch", "Civil status"),
    "chung_thuc": ("Chứng thực", "Certification"),
    "cu_tru": ("Đăng ký, quản lý cư trú", "Residence registration"),
    "bao_tro_xa_hoi": ("Bảo trợ xã hội", "Social protection"),
    "nguoi_co_cong": ("Người có công", "People with meritorious services"),
    "ho_kinh_doanh": ("Thành lập và hoạt động của hộ kinh doanh", "Household businesses"),
}

# Rule name -> the applicant field naming the competent unit (None: the receiving unit decides).
COMPETENT_UNIT_RULES: dict[str, str | None] = {
    "receiving_unit": None,
    "applicant_residence": "residence_unit",
    "declared_residence": "declared_residence_unit",
    "deceased_last_residence": "deceased_residence_unit",
    "business_location": "business_location_unit",
}


class CatalogueError(SohoaError):
    """Bad catalogue data: names the file, the procedure and the field at fault."""

    code = "bad_catalogue"

    def __init__(self, message_vi: str, message_en: str, *, file: str, procedure: str, field: str):
        super().__init__(message_vi, message_en)
        self.file, self.procedure, self.field = file, procedure, field


class UnknownProcedure(SohoaError):
    """No procedure (or bundle) with this code is in force in this catalogue version."""

    code = "unknown_procedure"


@dataclass(frozen=True)
class Processing:
    """Processing time: 0 working days means same day, subject to the 15:00 cut-off."""

    working_days: int

    @property
    def same_day(self) -> bool:
        """Whether the result is due on the receipt day."""
        return self.working_days == 0

    def describe(self, language: str = "vi") -> str:
        """Return the time as an officer reads it."""
        if self.same_day and language == "vi":
            return "Trong ngày (sau 15 giờ: ngày làm việc tiếp theo)"
        if self.same_day:
            return "Same day (after 15:00: next working day)"
        unit = "ngày làm việc" if language == "vi" else "working days"
        return f"{self.working_days} {unit}"


class Timed(Protocol):
    """Anything with a processing time: a procedure or a bundle."""

    @property
    def processing(self) -> Processing: ...


@dataclass(frozen=True)
class PageTier:
    """Price of each page up to `up_to_page` (None: every further page)."""

    up_to_page: int | None
    vnd_per_page: int


@dataclass(frozen=True)
class FeeRule:
    """How the fee is computed: free, fixed per dossier, per copy, or per page of each copy."""

    kind: str
    amount_vnd: int = 0
    page_tiers: tuple[PageTier, ...] = ()
    cap_per_copy_vnd: int | None = None


@dataclass(frozen=True)
class Component:
    """One document of a dossier and whether it must be digitised for later reuse."""

    id: str
    name: str
    name_en: str
    originals: int
    copies: int
    must_digitise: bool
    document_type: str
    mandatory: bool


@dataclass(frozen=True)
class ProcedureResult:
    """A document the procedure issues, typed so it can be reused by later dossiers."""

    name: str
    name_en: str
    document_type: str


@dataclass(frozen=True)
class Procedure:
    """One administrative procedure with its national code (d.dddddd)."""

    code: str
    name: str
    name_en: str
    field: str
    level: str
    agency: str
    processing: Processing
    fee: FeeRule
    components: tuple[Component, ...]
    results: tuple[ProcedureResult, ...]
    boundary_free: bool
    competent_unit_rule: str

    def component(self, component_id: str) -> Component:
        """Return one component by id.

        :raises UnknownProcedure: the procedure has no such component.
        """
        for component in self.components:
            if component.id == component_id:
                return component
        raise UnknownProcedure(
            f"Thủ tục {self.code} không có thành phần hồ sơ '{component_id}'",
            f"Procedure {self.code} has no dossier component '{component_id}'",
        )


@dataclass(frozen=True)
class Bundle:
    """Interconnected procedures filed as one dossier (thủ tục liên thông)."""

    code: str
    name: str
    name_en: str
    procedures: tuple[str, ...]
    other_steps: tuple[str, ...]
    processing: Processing
    condition: str


@dataclass(frozen=True)
class Catalogue:
    """The procedures and bundles in force under one publication."""

    version: str
    decision: str
    effective_date: date
    procedures: Mapping[str, Procedure]
    bundles: Mapping[str, Bundle]

    def get(self, code: str) -> Procedure:
        """Return the procedure with this code.

        :raises UnknownProcedure: it is not in force in this version.
        """
        try:
            return self.procedures[code]
        except KeyError:
            raise UnknownProcedure(
                f"Thủ tục mã '{code}' không có trong danh mục phiên bản {self.version}",
                f"Procedure '{code}' is not in catalogue version {self.version}",
            ) from None

    def bundle(self, code: str) -> Bundle:
        """Return the bundle with this code.

        :raises UnknownProcedure: it is not in force in this version.
        """
        try:
            return self.bundles[code]
        except KeyError:
            raise UnknownProcedure(
                f"Nhóm thủ tục liên thông '{code}' không có trong phiên bản {self.version}",
                f"Bundle '{code}' is not in catalogue version {self.version}",
            ) from None

    def search(self, query: str) -> list[Procedure]:
        """Return procedures whose code starts with `query` or whose names hold all its words.

        Matching ignores case and diacritics; whole-phrase matches and shorter names come first.
        """
        wanted = fold(query)
        if not wanted:
            return []
        ranked = []
        for procedure in self.procedures.values():
            if procedure.code.startswith(wanted):
                ranked.append((0, len(procedure.name), procedure.code, procedure))
                continue
            text = fold(f"{procedure.name} {procedure.name_en}")
            if all(word in text for word in wanted.split()):
                phrase = f" {wanted} " in f" {text} "
                ranked.append((1 if phrase else 2, len(procedure.name), procedure.code, procedure))
        return [procedure for *_, procedure in sorted(ranked)]


class CatalogueHistory:
    """Every publication, replayed in order of effective date."""

    def __init__(self, catalogues: list[Catalogue]):
        self.catalogues = tuple(sorted(catalogues, key=lambda c: c.effective_date))
        self._by_version = {c.version: c for c in self.catalogues}

    def __contains__(self, version: object) -> bool:
        """Whether a publication has this version id."""
        return version in self._by_version

    @property
    def latest(self) -> Catalogue:
        """The newest publication."""
        return self.catalogues[-1]

    def at(self, day: date) -> Catalogue:
        """Return the catalogue in force on `day`.

        :raises UnknownProcedure: no publication was in force yet.
        """
        if day < self.catalogues[0].effective_date:
            raise UnknownProcedure(
                f"Chưa có danh mục thủ tục nào có hiệu lực vào ngày {day:%d/%m/%Y}",
                f"No catalogue was in force on {day.isoformat()}",
            )
        return self.current(day)

    def current(self, day: date) -> Catalogue:
        """Return the newest catalogue in force on `day`, or the first one before any is.

        A version published ahead of its effective date waits for it; a device whose clock is
        set before the first publication still gets a catalogue to work with.
        """
        in_force = [c for c in self.catalogues if c.effective_date <= day]
        return in_force[-1] if in_force else self.catalogues[0]

    def today(self) -> Catalogue:
        """Return the catalogue in force today in Vietnam (see `current`)."""
        return self.current(datetime.now(TIMEZONE).date())

    def version(self, version: str) -> Catalogue:
        """Return the catalogue of one version id (the one a dossier was received under).

        :raises UnknownProcedure: no publication has this version id.
        """
        try:
            return self._by_version[version]
        except KeyError:
            raise UnknownProcedure(
                f"Không có phiên bản danh mục '{version}'", f"No catalogue version '{version}'"
            ) from None
