"""Plain-Python state of every screen (no Flet here), each with pure transition functions."""

from __future__ import annotations

from app.state.applicant import ApplicantForm, check_all, fill_from_chip_qr, set_field
from app.state.checklist import Checklist, ComponentPages, PageRef, add_page, missing_mandatory
from app.state.dossiers import DossierQuery
from app.state.enrol import EnrolForm
from app.state.home import Counts, LinkState, link_text
from app.state.intake import IntakeState, Receipt, Review, Step
from app.state.procedure import ProcedureSearch, search_procedures
from app.state.settings_form import SettingsForm
from app.state.sync_view import SyncFigures, sync_figures
from app.state.unlock import UnlockState

__all__ = [
    "ApplicantForm",
    "Checklist",
    "ComponentPages",
    "Counts",
    "DossierQuery",
    "EnrolForm",
    "IntakeState",
    "LinkState",
    "PageRef",
    "ProcedureSearch",
    "Receipt",
    "Review",
    "SettingsForm",
    "Step",
    "SyncFigures",
    "UnlockState",
    "add_page",
    "check_all",
    "fill_from_chip_qr",
    "link_text",
    "missing_mandatory",
    "search_procedures",
    "set_field",
    "sync_figures",
]
