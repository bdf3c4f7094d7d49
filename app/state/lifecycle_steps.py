"""Lifecycle steps that need typed input: supplement, refusal, extension, stop, hand-over."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from core.calendar import END_OF_DAY, TIMEZONE, WorkCalendar, default_calendar
from core.dossier import allowed_events
from core.events import EventType
from core.units import AdminUnit, UnknownUnit, find_units, unit

__all__ = [
    "TYPED_STEPS",
    "StepForm",
    "typed_actions",
    "open_step",
    "set_value",
    "toggle_missing",
    "extend_by",
    "unit_choices",
    "choose_unit",
    "submit",
]

TYPED_STEPS = (
    EventType.SUPPLEMENT_REQUESTED,
    EventType.REFUSED,
    EventType.EXTENDED,
    EventType.STOPPED,
    EventType.HANDED_OVER,
)
DEFAULT_EXTRA_DAYS = 3
MIN_REASON = 5
MAX_UNIT_CHOICES = 8


@dataclass(frozen=True)
class StepForm:
    """What the officer typed for one step, and the error shown next to each bad field."""

    kind: EventType
    values: dict[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    errors: dict[str, tuple[str, str]] = field(default_factory=dict)


def typed_actions(state) -> list[EventType]:
    """The typed steps the lifecycle allows now for `state` (core.dossier.DossierState)."""
    allowed = allowed_events(state)
    return [kind for kind in TYPED_STEPS if kind in allowed]


def open_step(kind: EventType, state, calendar: WorkCalendar | None = None) -> StepForm:
    """An empty form for `kind`; an extension starts a few working days after the due day."""
    if kind is EventType.EXTENDED:
        return extend_by(StepForm(kind), state, str(DEFAULT_EXTRA_DAYS), calendar)
    return StepForm(kind)


def set_value(form: StepForm, name: str, text: str) -> StepForm:
    """Keep what was typed in field `name` and clear its error."""
    errors = {k: v for k, v in form.errors.items() if k != name}
    return replace(form, values={**form.values, name: text}, errors=errors)


def toggle_missing(form: StepForm, document: str) -> StepForm:
    """Mark `document` as missing from the dossier, or unmark it."""
    chosen = [d for d in form.missing if d != document]
    if len(chosen) == len(form.missing):
        chosen.append(document)
    errors = {k: v for k, v in form.errors.items() if k != "missing"}
    return replace(form, missing=tuple(chosen), errors=errors)


def extend_by(
    form: StepForm, state, days_text: str, calendar: WorkCalendar | None = None
) -> StepForm:
    """Keep the typed number of extra working days and, when it is valid, the new due day."""
    form = set_value(form, "days", days_text)
    days = days_text.strip()
    if not days.isdigit() or int(days) < 1:
        errors = {**form.errors, "days": ("Nhập số ngày làm việc (≥ 1)", "Type working days (≥ 1)")}
        return replace(form, errors=errors)
    due_day = state.due_at.astimezone(TIMEZONE).date()
    new_day = (calendar or default_calendar()).add_working_days(due_day, int(days))
    return set_value(form, "new_due", f"{new_day:%d/%m/%Y}")


def unit_choices(text: str) -> list[AdminUnit]:
    """Units whose name contains `text`, diacritics-insensitive, best first."""
    return find_units(text)[:MAX_UNIT_CHOICES]


def choose_unit(form: StepForm, chosen: AdminUnit) -> StepForm:
    """Pick the unit the dossier is handed over to."""
    form = set_value(form, "unit", chosen.name)
    return set_value(form, "to_unit", chosen.code)


def submit(
    form: StepForm, state, calendar: WorkCalendar | None = None
) -> tuple[StepForm, dict | None]:
    """Check the form; return it with errors and no payload, or the event payload to record."""
    checks = {
        EventType.SUPPLEMENT_REQUESTED: _supplement,
        EventType.REFUSED: _with_reason,
        EventType.STOPPED: _with_reason,
        EventType.EXTENDED: lambda f, s: _extension(f, s, calendar or default_calendar()),
        EventType.HANDED_OVER: _hand_over,
    }
    errors, payload = checks[form.kind](form, state)
    if errors:
        return replace(form, errors={**form.errors, **errors}), None
    return form, payload


def _text(form: StepForm, name: str) -> str:
    return form.values.get(name, "").strip()


def _reason_error(form: StepForm) -> dict[str, tuple[str, str]]:
    if len(_text(form, "reason")) < MIN_REASON:
        return {"reason": ("Ghi rõ lý do (ít nhất 5 ký tự)", "State the reason (5+ characters)")}
    return {}


def _supplement(form: StepForm, state) -> tuple[dict, dict]:
    errors = {}
    if not form.missing:
        errors["missing"] = ("Chọn ít nhất một giấy tờ còn thiếu", "Pick at least one document")
    return errors, {"missing": list(form.missing), "note": _text(form, "note")}


def _with_reason(form: StepForm, state) -> tuple[dict, dict]:
    return _reason_error(form), {"reason": _text(form, "reason")}


def _extension(form: StepForm, state, calendar: WorkCalendar) -> tuple[dict, dict | None]:
    errors = _reason_error(form)
    try:
        day = datetime.strptime(_text(form, "new_due"), "%d/%m/%Y").date()
    except ValueError:
        errors["new_due"] = ("Ngày hẹn mới dạng dd/mm/yyyy", "New due day as dd/mm/yyyy")
        return errors, None
    new_due = datetime.combine(day, END_OF_DAY, tzinfo=TIMEZONE)
    if not calendar.is_working_day(day):
        errors["new_due"] = ("Ngày hẹn mới phải là ngày làm việc", "Pick a working day")
    elif new_due <= state.due_at:
        errors["new_due"] = ("Ngày hẹn mới phải sau hạn hiện tại", "Must be after the current due")
    return errors, {"new_due_at": new_due.isoformat(), "reason": _text(form, "reason")}


def _hand_over(form: StepForm, state) -> tuple[dict, dict]:
    code = _text(form, "to_unit")
    errors = {}
    try:
        unit(code)
    except UnknownUnit:
        errors["unit"] = (
            "Chọn đơn vị nhận trong danh sách",
            "Pick the receiving unit from the list",
        )
    if code == state.current_unit:
        errors["unit"] = ("Hồ sơ đang ở chính đơn vị này", "The dossier is already at this unit")
    payload = {"from_unit": state.current_unit, "to_unit": code, "note": _text(form, "note")}
    return errors, payload
