"""Dossier events: the wire format that devices, sync and the server share.

Every change to a dossier is an immutable :class:`Event` with a UUIDv7 id and a hybrid-logical-
clock stamp. Events travel as canonical JSON (sorted keys, compact, UTF-8), so the same event is
always the same bytes and can be hashed, signed and deduplicated.

>>> clock = HybridClock("tablet-1")
>>> event = make_event(new_id(), EventType.FEE_PAID, {"amount_vnd": 8000, "online": False},
...                    clock=clock, device_id="tablet-1", officer_id="cb01", unit_code="11311")
>>> Event.from_json(event.to_json()) == event
True
"""

from __future__ import annotations

import copy
import json
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from core import wire
from core.clock import ClockError, HybridClock, Timestamp
from core.ids import is_id, new_id
from core.wire import WireFormatError

__all__ = [
    "APPLICANT_CHECKS",
    "CHANNELS",
    "GENDERS",
    "PAYLOAD_CHECKS",
    "RETURN_METHODS",
    "Event",
    "EventType",
    "WireFormatError",
    "make_event",
]

CHANNELS = ("counter", "online", "post")
RETURN_METHODS = ("counter", "post")
GENDERS = ("male", "female")
RATINGS = ("satisfied", "unsatisfied")


class EventType(StrEnum):
    """What happened to a dossier."""

    RECEIVED = "received"
    FIELDS_EDITED = "fields_edited"
    PAGES_ADDED = "pages_added"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENTED = "supplemented"
    REFUSED = "refused"
    PROCESSING_STARTED = "processing_started"
    HANDED_OVER = "handed_over"
    EXTENDED = "extended"
    STOPPED = "stopped"
    RESULT_READY = "result_ready"
    RETURNED = "returned"
    FEE_PAID = "fee_paid"
    RATED = "rated"


_PAGE = wire.record(
    {
        "sha256": wire.sha256_hex,
        "media_type": wire.text(),
        "mode": wire.text(),
        "dpi": wire.integer(minimum=1),
        "bytes": wire.integer(minimum=1),
    }
)
_PAGES = wire.list_of(_PAGE)
APPLICANT_CHECKS: dict[str, wire.Check] = {
    "cccd": wire.text(empty=True),
    "name": wire.text(),
    "birth_date": wire.nullable(wire.date_text),
    "gender": wire.nullable(wire.choice(*GENDERS)),
    "phone": wire.text(empty=True),
    "address": wire.text(empty=True),
}
_APPLICANT = wire.record(APPLICANT_CHECKS)
_FIELD_VALUES = wire.record({})

PAYLOAD_CHECKS: dict[EventType, dict[str, wire.Check]] = {
    EventType.RECEIVED: {
        "code": wire.text(),
        "procedure_code": wire.text(),
        "catalogue_version": wire.text(),
        "applicant": _APPLICANT,
        "channel": wire.choice(*CHANNELS),
        "receiving_unit": wire.text(),
        "competent_unit": wire.text(),
        "return_method": wire.choice(*RETURN_METHODS),
        "return_address": wire.nullable(wire.text(empty=True)),
        "received_at": wire.timestamp_tz,
        "due_at": wire.timestamp_tz,
        "components": wire.list_of(
            wire.record({"component_id": wire.text(), "pages": _PAGES}),
        ),
        "fee_vnd": wire.integer(minimum=0),
    },
    EventType.FIELDS_EDITED: {"fields": _FIELD_VALUES},
    EventType.PAGES_ADDED: {"component_id": wire.text(), "pages": wire.list_of(_PAGE, min_items=1)},
    EventType.SUPPLEMENT_REQUESTED: {
        "missing": wire.list_of(wire.text(), min_items=1),
        "note": wire.text(empty=True),
    },
    EventType.SUPPLEMENTED: {},
    EventType.REFUSED: {"reason": wire.text()},
    EventType.PROCESSING_STARTED: {},
    EventType.HANDED_OVER: {
        "from_unit": wire.text(),
        "to_unit": wire.text(),
        "note": wire.text(empty=True),
    },
    EventType.EXTENDED: {"new_due_at": wire.timestamp_tz, "reason": wire.text()},
    EventType.STOPPED: {"reason": wire.text()},
    EventType.RESULT_READY: {
        "result": wire.record(
            {"document_type": wire.text(), "pages": _PAGES, "digitised": wire.boolean}
        )
    },
    EventType.RETURNED: {
        "method": wire.choice(*RETURN_METHODS),
        "postal_ref": wire.nullable(wire.text(empty=True)),
    },
    EventType.FEE_PAID: {"amount_vnd": wire.integer(minimum=0), "online": wire.boolean},
    EventType.RATED: {
        "score": wire.one_of(wire.integer(minimum=1, maximum=5), wire.choice(*RATINGS))
    },
}

_ENVELOPE = ("id", "dossier_id", "type", "payload", "hlc", "device_id", "officer_id", "unit_code")


def _check_fields_edited(payload: dict[str, Any]) -> None:
    fields = payload["fields"]
    if not fields:
        raise WireFormatError("payload.fields", "không có trường nào", "has no fields")
    for name in fields:
        if not isinstance(name, str) or not name.strip():
            raise WireFormatError("payload.fields", "tên trường trống", "has an empty field name")
    if "base" in payload:
        _check_hlc(payload["base"], "payload.base")


def _check_hlc(value: object, field: str) -> None:
    try:
        Timestamp.decode(value)  # type: ignore[arg-type]
    except ClockError as error:
        raise WireFormatError(field, error.message_vi, error.message_en) from error


def _check_id(value: object, field: str) -> None:
    if not is_id(value):
        raise WireFormatError(field, "phải là UUIDv7 dạng chuẩn", "must be a canonical UUIDv7")


@dataclass(frozen=True)
class Event:
    """One immutable change to a dossier, exactly as it travels between device and server."""

    id: str
    dossier_id: str
    type: EventType
    payload: dict[str, Any]
    hlc: str
    device_id: str
    officer_id: str
    unit_code: str

    def __hash__(self) -> int:
        # The payload dict is not hashable; the id alone identifies an event.
        return hash(self.id)

    @property
    def timestamp(self) -> Timestamp:
        """Return the decoded hybrid-logical-clock stamp."""
        return Timestamp.decode(self.hlc)

    def to_wire(self) -> dict[str, Any]:
        """Return the event as a JSON-ready dict (a deep copy; mutating it changes nothing here)."""
        wire_form = asdict(self)
        wire_form["type"] = str(self.type)
        return wire_form

    def to_json(self) -> bytes:
        """Return the canonical JSON bytes: sorted keys, no spaces, UTF-8."""
        return json.dumps(
            self.to_wire(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")

    @classmethod
    def from_wire(cls, data: object) -> Event:
        """Validate a wire dict strictly and build the event.

        :raises WireFormatError: naming the field that is missing, unknown or of the wrong type.
        """
        if not isinstance(data, dict):
            raise WireFormatError("(event)", "phải là đối tượng JSON", "must be a JSON object")
        for key in _ENVELOPE:
            if key not in data:
                raise WireFormatError(key, "bị thiếu", "is missing")
        for key in data:
            if key not in _ENVELOPE:
                raise WireFormatError(str(key), "không được phép", "is not allowed")
        _check_id(data["id"], "id")
        _check_id(data["dossier_id"], "dossier_id")
        if data["type"] not in EventType.__members__.values():
            raise WireFormatError(
                "type",
                f"loại sự kiện không rõ: {data['type']!r}",
                f"unknown type: {data['type']!r}",
            )
        event_type = EventType(data["type"])
        _check_hlc(data["hlc"], "hlc")
        for key in ("device_id", "officer_id", "unit_code"):
            wire.text()(data[key], key)
        payload = data["payload"]
        wire.record(PAYLOAD_CHECKS[event_type])(payload, "payload")
        wire.json_value(payload, "payload")
        if event_type is EventType.FIELDS_EDITED:
            _check_fields_edited(payload)
        return cls(
            id=data["id"],
            dossier_id=data["dossier_id"],
            type=event_type,
            payload=copy.deepcopy(payload),
            hlc=data["hlc"],
            device_id=data["device_id"],
            officer_id=data["officer_id"],
            unit_code=data["unit_code"],
        )

    @classmethod
    def from_json(cls, raw: bytes) -> Event:
        """Parse and validate JSON bytes made by :meth:`to_json` (or any equivalent JSON).

        :raises WireFormatError: if the bytes are not UTF-8 JSON or the event is malformed.
        """
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
        except (UnicodeDecodeError, ValueError) as error:
            raise WireFormatError("(event)", f"JSON hỏng: {error}", f"bad JSON: {error}") from error
        return cls.from_wire(data)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed")


def make_event(
    dossier_id: str,
    type: EventType,
    payload: dict[str, Any],
    *,
    clock: HybridClock,
    device_id: str,
    officer_id: str,
    unit_code: str,
) -> Event:
    """Stamp a new event with the next reading of `clock` and a UUIDv7 of its physical time.

    :raises WireFormatError: if the payload or an identifier fails :meth:`Event.from_wire`.
    """
    draft = {
        "id": new_id(clock.now_ms()),
        "dossier_id": dossier_id,
        "type": str(type),
        "payload": payload,
        "hlc": clock.tick().encode(),
        "device_id": device_id,
        "officer_id": officer_id,
        "unit_code": unit_code,
    }
    return Event.from_wire(draft)
