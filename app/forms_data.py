"""What forms 02–06 print, read from a dossier's folded state; and which forms it has produced."""

from __future__ import annotations

from datetime import datetime

from app.forms import ControlRow, FormNotice, build_control_slip_pdf, build_notice_pdf
from core.calendar import TIMEZONE
from core.dossier import event_time
from core.lifecycle import FORM_FOR_EVENT
from core.units import unit_name

__all__ = ["forms_produced", "notice_for", "control_rows", "render_form"]

TIMELINESS_VI = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
DESK = "Bộ phận tiếp nhận và trả kết quả"


def forms_produced(state) -> list[str]:
    """The form numbers ("01".."06") the dossier's history has produced, in order."""
    return sorted({FORM_FOR_EVENT[e.type] for e in state.history if e.type in FORM_FOR_EVENT})


def _local(moment: datetime) -> datetime:
    return moment.astimezone(TIMEZONE)


def _last_time(state, number: str) -> datetime:
    """When the latest event behind form `number` happened (the form's date)."""
    times = [event_time(e) for e in state.history if FORM_FOR_EVENT.get(e.type) == number]
    return _local(times[-1])


def _paragraphs(number: str, state) -> tuple[str, ...]:
    if number == "02":
        missing = [f"{n}. {name}" for n, name in enumerate(state.missing, start=1)]
        note = next(
            (
                e.payload["note"]
                for e in reversed(state.history)
                if FORM_FOR_EVENT.get(e.type) == "02"
            ),
            "",
        )
        lines = ["Hồ sơ cần bổ sung, hoàn thiện các nội dung sau:", *missing]
        return tuple(lines + ([f"Ghi chú: {note}"] if note else []))
    if number in ("03", "05"):
        verb = "Từ chối tiếp nhận, giải quyết" if number == "03" else "Dừng giải quyết"
        return (f"{verb} hồ sơ vì lý do: {state.reason}",)
    if number == "04":
        last = state.extensions[-1]
        return (
            f"{DESK} xin lỗi Ông/Bà vì hồ sơ chưa được giải quyết xong đúng hẹn.",
            f"Lý do: {last.reason}",
            f"Hẹn trả cũ: {_local(last.previous_due_at):%H:%M ngày %d/%m/%Y}",
            f"Hẹn lại ngày trả kết quả: {_local(last.new_due_at):%H:%M ngày %d/%m/%Y}",
        )
    return ()


def notice_for(number: str, state, procedure_name: str, officer_name: str) -> FormNotice:
    """The facts printed on form `number` (02–06) for `state` (core.dossier.DossierState)."""
    applicant = state.applicant
    return FormNotice(
        number=number,
        unit_name=unit_name(state.receiving_unit),
        dossier_code=state.code,
        procedure_code=state.procedure_code,
        procedure_name=procedure_name,
        applicant_name=applicant.get("name", ""),
        cccd=applicant.get("cccd", ""),
        issued_at=_last_time(state, number),
        due_at=_local(state.due_at),
        officer_name=officer_name,
        paragraphs=_paragraphs(number, state),
    )


def control_rows(state) -> tuple[ControlRow, ...]:
    """Form 06's rows: the desk's hand-off to processing, then every hand-over."""
    rows = []
    if state.processing_started_at is not None:
        rows.append(
            ControlRow(
                from_unit=f"{DESK} – {unit_name(state.receiving_unit)}",
                to_unit=unit_name(state.competent_unit),
                at=_local(state.processing_started_at),
                result="",
                note="",
            )
        )
    for hand_off in state.hand_offs:
        rows.append(
            ControlRow(
                from_unit=unit_name(hand_off.from_unit),
                to_unit=unit_name(hand_off.to_unit),
                at=_local(hand_off.at),
                result=TIMELINESS_VI[hand_off.result],
                note=hand_off.note,
            )
        )
    return tuple(rows)


def render_form(number: str, state, procedure_name: str, officer_name: str) -> bytes:
    """Form `number` (02–06) of `state` as PDF bytes.

    :raises ValueError: the dossier's history has not produced that form.
    """
    if number == "01" or number not in forms_produced(state):
        raise ValueError(f"form {number} is not among {forms_produced(state)} (01 is the slip)")
    notice = notice_for(number, state, procedure_name, officer_name)
    if number == "06":
        return build_control_slip_pdf(notice, control_rows(state))
    return build_notice_pdf(notice)
