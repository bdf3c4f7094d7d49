"""The new-dossier flow: procedure, applicant, components, review, then the receipt."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from app.errors import AppError, ReceiptBlocked
from app.state.applicant import ApplicantForm, check_all
from app.state.checklist import Checklist, PageRef, add_page, checklist_for, missing_mandatory
from app.state.procedure import ProcedureSearch

__all__ = [
    "Step",
    "Receipt",
    "Review",
    "IntakeState",
    "PreApplicationNotFound",
    "PreApplicationUnavailable",
    "TakenOver",
    "choose_procedure",
    "go_to",
    "review",
    "mark_received",
    "take_over",
]


class Step(StrEnum):
    """The pages of the new-dossier flow, in order."""

    procedure = "procedure"
    applicant = "applicant"
    components = "components"
    review = "review"
    received = "received"


STEPS = tuple(Step)


@dataclass(frozen=True)
class Receipt:
    """What the counter hands the citizen once the dossier is received."""

    dossier_id: str
    code: str
    received_at: str
    due_at: str
    fee_vnd: int
    qr_png: bytes = b""
    finish_now: bool = False  # a same-day procedure this unit decides: "5 tại chỗ" is offered


@dataclass(frozen=True)
class Review:
    """The last check before receipt: what blocks it and what the citizen pays."""

    missing: tuple[str, ...]
    fee_vnd: int
    page_count: int

    @property
    def can_receive(self) -> bool:
        """Whether nothing blocks the receipt."""
        return not self.missing


@dataclass(frozen=True)
class IntakeState:
    """Everything the officer has entered for one new dossier so far."""

    step: Step = Step.procedure
    search: ProcedureSearch = field(default_factory=ProcedureSearch)
    procedure: object | None = None
    applicant: ApplicantForm = field(default_factory=ApplicantForm)
    checklist: Checklist = field(default_factory=Checklist)
    receipt: Receipt | None = None


def choose_procedure(state: IntakeState, procedure: object) -> IntakeState:
    """Pick `procedure` (core.catalogue.Procedure), reset the checklist and go to the applicant."""
    if state.procedure is not None and state.procedure.code == procedure.code:
        return replace(state, step=Step.applicant)
    return replace(
        state,
        procedure=procedure,
        checklist=checklist_for(procedure.components),
        step=Step.applicant,
    )


class PreApplicationNotFound(AppError):
    """No live pre-application has the code the officer typed (mistyped, unknown or expired)."""

    code = "unknown_preapplication"

    def __init__(self, code: str) -> None:
        self.typed = code
        super().__init__(
            f"Không tìm thấy hồ sơ nộp trước {code} (mã sai hoặc đã hết hạn)",
            f"No pre-application {code} (a wrong or expired code)",
        )


class PreApplicationUnavailable(AppError):
    """The city could not be asked for a pre-application (offline, too slow, or refused)."""

    code = "preapplication_unavailable"

    def __init__(self) -> None:
        super().__init__(
            "Không kết nối được máy chủ thành phố để lấy hồ sơ nộp trước; hãy quét như thường",
            "Cannot reach the city server to fetch the pre-application; scan the papers as usual",
        )


@dataclass(frozen=True)
class TakenOver:
    """A citizen's pre-application as the counter takes it: procedure and pages per component."""

    code: str
    procedure: object
    pages: dict[str, tuple[PageRef, ...]]


def take_over(state: IntakeState, taken: TakenOver) -> IntakeState:
    """Choose the pre-application's procedure, attach its pages, go to the applicant.

    The citizen digitised these pages for this dossier: they count as digitised, not as reuse of
    documents the city already held (Index 766 keeps the two apart).
    """
    checklist = checklist_for(taken.procedure.components)
    for component_id, pages in taken.pages.items():
        for page in pages:
            checklist = add_page(checklist, component_id, page)
    return replace(state, procedure=taken.procedure, checklist=checklist, step=Step.applicant)


def go_to(state: IntakeState, step: Step) -> IntakeState:
    """Move to `step`; leaving the applicant page forward checks the form and stays on errors."""
    if state.receipt is not None:
        return state
    if state.procedure is None:
        return replace(state, step=Step.procedure)
    if STEPS.index(step) > STEPS.index(Step.applicant):
        checked = check_all(state.applicant)
        if checked.errors:
            return replace(state, applicant=checked, step=Step.applicant)
        state = replace(state, applicant=checked)
    if step is Step.received:
        step = Step.review
    return replace(state, step=step)


def _applicant_missing(form: ApplicantForm) -> list[str]:
    checked = check_all(form)
    return [f"applicant.{name}" for name in checked.errors]


def review(state: IntakeState, fee_for: object) -> Review:
    """Summarise what blocks receipt and the fee; `fee_for(procedure, pages=)` is core's rule."""
    missing = tuple(_applicant_missing(state.applicant) + missing_mandatory(state.checklist))
    pages = state.checklist.page_count
    fee = fee_for(state.procedure, pages=pages) if state.procedure is not None else 0
    return Review(missing=missing, fee_vnd=int(fee), page_count=pages)


def mark_received(state: IntakeState, summary: Review, receipt: Receipt) -> IntakeState:
    """Record the receipt once the backend has stored the RECEIVED event.

    :raises ReceiptBlocked: when the review still lists something missing.
    """
    if not summary.can_receive:
        raise ReceiptBlocked(list(summary.missing))
    return replace(state, receipt=receipt, step=Step.received)
