"""The two rules a procedure carries: what the applicant pays and which unit decides.

Fees (VND): ``free``; ``fixed`` per dossier; ``per_copy`` (e.g. 10,000 per signature certified);
``per_page`` tiers per copy with a cap (certified copies, 2.000815: 2,000 a page for pages 1–2,
1,000 from page 3, at most 200,000 a copy).

Competent unit: the procedure's rule names the applicant field that holds the unit code (see
`COMPETENT_UNIT_RULES`). Procedures accepted regardless of administrative boundary
(``boundary_free``) are received anywhere in the competent unit's province (Decree 118/2025) and
routed there; the others only at the competent unit itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.catalogue_model import COMPETENT_UNIT_RULES, FeeRule, Procedure
from core.errors import SohoaError
from core.units import unit

__all__ = ["FeeError", "RoutingError", "competent_unit", "fee_for", "page_fee"]


class FeeError(SohoaError):
    """The page or copy count given for a fee is impossible."""

    code = "bad_fee_input"


class RoutingError(SohoaError):
    """The competent unit cannot be found, or this unit may not receive the dossier."""

    code = "no_competent_unit"


def page_fee(rule: FeeRule, pages: int) -> int:
    """Return the fee of one copy of `pages` pages under a per-page rule."""
    total, counted = 0, 0
    for tier in rule.page_tiers:
        upper = pages if tier.up_to_page is None else min(pages, tier.up_to_page)
        if upper > counted:
            total += (upper - counted) * tier.vnd_per_page
            counted = upper
    return total if rule.cap_per_copy_vnd is None else min(total, rule.cap_per_copy_vnd)


def fee_for(procedure: Procedure, pages: int = 0, copies: int = 1) -> int:
    """Return the fee in VND for `copies` copies of `pages` pages each (pages: per-page rules).

    :raises FeeError: `copies` < 1, `pages` < 0, or no pages for a per-page fee.
    """
    rule = procedure.fee
    if copies < 1 or pages < 0 or (rule.kind == "per_page" and pages < 1):
        raise FeeError(
            f"Số trang ({pages}) hoặc số bản ({copies}) không hợp lệ để tính phí {procedure.code}",
            f"Invalid page ({pages}) or copy ({copies}) count for the fee of {procedure.code}",
        )
    if rule.kind == "fixed":
        return rule.amount_vnd
    if rule.kind == "per_copy":
        return rule.amount_vnd * copies
    if rule.kind == "per_page":
        return page_fee(rule, pages) * copies
    return 0


def competent_unit(
    procedure: Procedure, receiving_unit: str, applicant: Mapping[str, object]
) -> str:
    """Return the code of the unit competent to decide this dossier.

    :param applicant: applicant data; the rule reads e.g. ``residence_unit`` from it.
    :raises RoutingError: the applicant field the rule needs is missing, or the receiving unit
        may not accept this procedure for that competent unit.
    :raises UnknownUnit: a unit code is not a commune-level unit.
    """
    receiving = unit(receiving_unit)
    field = COMPETENT_UNIT_RULES[procedure.competent_unit_rule]
    if field is None:
        return receiving.code
    value = applicant.get(field)
    if not isinstance(value, str) or not value:
        raise RoutingError(
            f"Thủ tục {procedure.code} cần đơn vị hành chính '{field}' của người nộp "
            "để xác định nơi giải quyết",
            f"Procedure {procedure.code} needs the applicant's '{field}' "
            "to pick the competent unit",
            code="missing_applicant_data",
        )
    competent = unit(value)
    if competent.code == receiving.code:
        return competent.code
    if not procedure.boundary_free:
        raise RoutingError(
            f"Thủ tục {procedure.code} chỉ tiếp nhận tại {competent.name}",
            f"Procedure {procedure.code} is only received at {competent.name}",
            code="outside_boundary",
        )
    if competent.province_code != receiving.province_code:
        raise RoutingError(
            f"{competent.name} thuộc {competent.province_name}; hồ sơ không phụ thuộc địa giới chỉ "
            f"được tiếp nhận trong {competent.province_name}",
            f"{competent.name} is in {competent.province_name}; boundary-free dossiers are only "
            f"received within {competent.province_name}",
            code="outside_province",
        )
    return competent.code
