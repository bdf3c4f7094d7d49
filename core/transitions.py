"""What each event checks and changes in a dossier's state (pure functions, one per event type)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from core.clock import Timestamp
from core.dossier_state import (
    DossierState,
    Extension,
    FieldConflict,
    FieldValue,
    HandOff,
    event_time,
    timeliness,
)
from core.events import APPLICANT_CHECKS, Event, EventType
from core.lifecycle import (
    ALLOWED_EVENTS,
    EVENT_LABELS,
    NEXT_STATUS,
    STATUS_LABELS,
    IllegalTransition,
    Status,
)
from core.wire import Check, WireFormatError, nullable, text

__all__ = ["EDITABLE_FIELDS", "check_event", "start", "step"]

EDITABLE_FIELDS: dict[str, Check] = {
    **{f"applicant.{name}": check for name, check in APPLICANT_CHECKS.items()},
    "return_address": nullable(text(empty=True)),
}


def _value(event: Event, value: object) -> FieldValue:
    return FieldValue(value, event.hlc, event.device_id, event.id)


def start(event: Event) -> DossierState:
    """Return the first state of a dossier from its RECEIVED event.

    :raises IllegalTransition: if `event` is not a RECEIVED event.
    """
    if event.type is not EventType.RECEIVED:
        label_vi, label_en = EVENT_LABELS[event.type]
        raise IllegalTransition(
            f"Không thể {label_vi} hồ sơ chưa được tiếp nhận",
            f"Cannot {label_en} a dossier that has not been received",
        )
    p = event.payload
    fields = {f"applicant.{k}": _value(event, p["applicant"][k]) for k in APPLICANT_CHECKS}
    fields["return_address"] = _value(event, p["return_address"])
    components = {
        c["component_id"]: tuple(pg["sha256"] for pg in c["pages"]) for c in p["components"]
    }
    due_at = datetime.fromisoformat(p["due_at"])
    received_at = datetime.fromisoformat(p["received_at"])
    if due_at < received_at:
        raise IllegalTransition(
            "Ngày hẹn trả kết quả trước ngày tiếp nhận", "The due time is before the receipt time"
        )
    return DossierState(
        id=event.dossier_id,
        code=p["code"],
        procedure_code=p["procedure_code"],
        catalogue_version=p["catalogue_version"],
        status=Status.RECEIVED,
        channel=p["channel"],
        receiving_unit=p["receiving_unit"],
        competent_unit=p["competent_unit"],
        current_unit=p["receiving_unit"],
        return_method=p["return_method"],
        received_at=received_at,
        due_at=due_at,
        original_due_at=due_at,
        fields=fields,
        components=components,
        reused_components=frozenset(
            c["component_id"] for c in p["components"] if c.get("reused") is True
        ),
        pages=frozenset(sha for pages in components.values() for sha in pages),
        fee_vnd=p["fee_vnd"],
        history=(event,),
    )


def check_event(state: DossierState, event: Event) -> None:
    """Raise :class:`IllegalTransition` with the reason if `event` may not happen to `state` now."""
    label_vi, label_en = EVENT_LABELS[event.type]
    if event.dossier_id != state.id:
        raise IllegalTransition(
            f"Sự kiện thuộc hồ sơ khác ({event.dossier_id})",
            f"The event belongs to another dossier ({event.dossier_id})",
        )
    if event.type not in ALLOWED_EVENTS[state.status]:
        status_vi, status_en = STATUS_LABELS[state.status]
        raise IllegalTransition(
            f"Không thể {label_vi} hồ sơ {state.code} khi hồ sơ {status_vi}",
            f"Cannot {label_en} dossier {state.code} while it is {status_en}",
        )
    rule = _RULES.get(event.type)
    if rule is not None:
        rule(state, event)


def _once_supplement(state: DossierState, event: Event) -> None:
    if state.supplement_requests:
        raise IllegalTransition(
            "Chỉ được hướng dẫn bổ sung hồ sơ một lần, bằng văn bản",
            "Supplement guidance may be given only once per dossier, in writing",
        )


def _hand_over_from_here(state: DossierState, event: Event) -> None:
    source, target = event.payload["from_unit"], event.payload["to_unit"]
    if source != state.current_unit:
        raise IllegalTransition(
            f"Hồ sơ đang ở đơn vị {state.current_unit}, không phải {source}",
            f"The dossier is at unit {state.current_unit}, not {source}",
        )
    if target == source:
        raise IllegalTransition(
            "Không thể chuyển giao cho chính đơn vị đang giữ hồ sơ",
            "Cannot hand a dossier over to the unit that holds it",
        )


def _extend_later(state: DossierState, event: Event) -> None:
    if datetime.fromisoformat(event.payload["new_due_at"]) <= state.due_at:
        raise IllegalTransition(
            "Hạn mới phải sau hạn hiện tại", "The new due time must be after the current one"
        )


def _postal_ref_for_post(state: DossierState, event: Event) -> None:
    if event.payload["method"] == "post" and not event.payload["postal_ref"]:
        raise IllegalTransition(
            "Trả qua bưu chính cần mã bưu gửi", "Returning by post needs the postal reference"
        )


def _rate_once(state: DossierState, event: Event) -> None:
    if state.rating is not None:
        raise IllegalTransition("Hồ sơ đã được đánh giá", "The dossier has already been rated")


def _known_fields(state: DossierState, event: Event) -> None:
    for name, value in event.payload["fields"].items():
        check = EDITABLE_FIELDS.get(name)
        if check is None:
            raise IllegalTransition(
                f"Không được sửa trường '{name}'", f"Field '{name}' cannot be edited"
            )
        try:
            check(value, name)
        except WireFormatError as error:
            raise IllegalTransition(error.message_vi, error.message_en) from error


_RULES: dict[EventType, Callable[[DossierState, Event], None]] = {
    EventType.SUPPLEMENT_REQUESTED: _once_supplement,
    EventType.HANDED_OVER: _hand_over_from_here,
    EventType.EXTENDED: _extend_later,
    EventType.RETURNED: _postal_ref_for_post,
    EventType.RATED: _rate_once,
    EventType.FIELDS_EDITED: _known_fields,
}


def _saw(edit: Event, earlier: FieldValue) -> bool:
    # Without a declared base an edit is taken as sequential: it saw everything ordered before it.
    base = edit.payload.get("base")
    return (
        base is None
        or earlier.device_id == edit.device_id
        or Timestamp.decode(base) >= Timestamp.decode(earlier.hlc)
    )


def _edit_fields(state: DossierState, event: Event) -> DossierState:
    fields = dict(state.fields)
    conflicts = list(state.conflicts)
    for name, value in event.payload["fields"].items():
        new = _value(event, value)
        earlier = fields.get(name)
        # An edit made after seeing both sides of a conflict is the officer's resolution of it.
        conflicts = [
            c
            for c in conflicts
            if c.field != name or not (_saw(event, c.kept) and _saw(event, c.overwritten))
        ]
        if earlier is not None and not _saw(event, earlier):
            conflicts.append(FieldConflict(name, kept=new, overwritten=earlier))
        fields[name] = new
    return replace(state, fields=fields, conflicts=tuple(conflicts))


def _add_pages(state: DossierState, event: Event) -> DossierState:
    component = event.payload["component_id"]
    added = tuple(page["sha256"] for page in event.payload["pages"])
    components = dict(state.components)
    components[component] = components.get(component, ()) + added
    return replace(state, components=components, pages=state.pages | frozenset(added))


def step(state: DossierState, event: Event) -> DossierState:
    """Return `state` after `event`, which :func:`check_event` has already allowed."""
    at, p, kind = event_time(event), event.payload, event.type
    if kind is EventType.FIELDS_EDITED:
        state = _edit_fields(state, event)
    elif kind is EventType.PAGES_ADDED:
        state = _add_pages(state, event)
    elif kind is EventType.SUPPLEMENT_REQUESTED:
        state = replace(state, supplement_requests=1, missing=tuple(p["missing"]))
    elif kind is EventType.SUPPLEMENTED:
        state = replace(state, missing=())
    elif kind in (EventType.REFUSED, EventType.STOPPED):
        state = replace(state, reason=p["reason"], closed_at=at)
    elif kind is EventType.PROCESSING_STARTED:
        state = replace(state, processing_started_at=at)
    elif kind is EventType.HANDED_OVER:
        row = HandOff(
            p["from_unit"],
            p["to_unit"],
            at,
            event.officer_id,
            p["note"],
            timeliness(at, state.due_at),
        )
        state = replace(state, current_unit=p["to_unit"], hand_offs=state.hand_offs + (row,))
    elif kind is EventType.EXTENDED:
        new_due = datetime.fromisoformat(p["new_due_at"])
        extension = Extension(state.due_at, new_due, p["reason"], at)
        state = replace(state, due_at=new_due, extensions=state.extensions + (extension,))
    elif kind is EventType.RESULT_READY:
        state = replace(state, result=p["result"], finished_at=at)
    elif kind is EventType.RETURNED:
        state = replace(state, returned_at=at)
    elif kind is EventType.FEE_PAID:
        state = replace(
            state,
            paid_vnd=state.paid_vnd + p["amount_vnd"],
            paid_online=state.paid_online or p["online"],
        )
    elif kind is EventType.RATED:
        state = replace(state, rating=p["score"])
    return replace(
        state, status=NEXT_STATUS.get(kind, state.status), history=state.history + (event,)
    )
