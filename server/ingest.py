"""Take in events exactly once: check each against the sender and the lifecycle, store, route.

Each event gets its own answer (accepted, duplicate or rejected with a reason) and a rejected
event never stops the ones after it. A whole batch runs in the caller's serialised write
transaction, so the change feed grows in commit order and nothing is stored half-way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, select

from core import dossier as lifecycle
from core.catalogue import competent_unit
from core.codes import agency_code_for, parse_dossier_code, slot_of
from core.errors import SohoaError
from core.events import Event, EventType
from server.documents import document_rows
from server.feed import CatalogueVersions, canonical_json
from server.ingest_batch import PendingBatch
from server.schema import events

__all__ = ["Origin", "ingest_events"]


@dataclass(frozen=True)
class Origin:
    """Who sends the events: a device of one unit, or a staff member (unit None: city-wide)."""

    unit_code: str | None
    device_id: str | None = None
    device_slot: int | None = None


class _Rejected(Exception):
    def __init__(self, reason: str, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.reason, self.message_vi, self.message_en = reason, message_vi, message_en


def _answer(event_id: object, status: str, **extra: Any) -> dict[str, Any]:
    return {"id": event_id, "status": status, **extra}


def _refusal(event_id: object, reason: str, message_vi: str, message_en: str) -> dict[str, Any]:
    return _answer(
        event_id, "rejected", reason=reason, message_vi=message_vi, message_en=message_en
    )


def _check_sender(event: Event, origin: Origin, units: set[str], is_new: bool) -> None:
    if origin.device_id is not None:
        if event.device_id != origin.device_id:
            raise _Rejected(
                "wrong_device", "Sự kiện của thiết bị khác", "The event names another device"
            )
        if event.unit_code != origin.unit_code:
            raise _Rejected("wrong_unit", "Sự kiện của đơn vị khác", "The event names another unit")
    if is_new:
        if event.type is not EventType.RECEIVED:
            raise _Rejected(
                "unknown_dossier",
                "Hồ sơ chưa được tiếp nhận",
                "No such dossier (it must start with a received event)",
            )
        receiving = event.payload["receiving_unit"]
        if origin.unit_code is not None and receiving != origin.unit_code:
            raise _Rejected(
                "wrong_unit", "Đơn vị tiếp nhận không phải của bạn", "Received in another unit"
            )
    elif origin.unit_code is not None and origin.unit_code not in units:
        # The same answer as for a dossier that does not exist: ids reveal nothing.
        raise _Rejected("unknown_dossier", "Không có hồ sơ này", "No such dossier")


@lru_cache(maxsize=4096)
def _agency_code(unit_code: str) -> str:
    return agency_code_for(unit_code)


def _route(event: Event, catalogues: CatalogueVersions) -> str:
    """Return the competent unit by the procedure's rule; the device must have found the same."""
    payload = event.payload
    try:
        catalogue = catalogues.version(payload["catalogue_version"])
        procedure = catalogue.get(payload["procedure_code"])
        competent = competent_unit(procedure, payload["receiving_unit"], payload["applicant"])
    except SohoaError as exc:
        raise _Rejected(exc.code, exc.message_vi, exc.message_en) from exc
    if competent != payload["competent_unit"]:
        raise _Rejected(
            "competent_unit_mismatch",
            f"Đơn vị giải quyết phải là {competent}",
            f"The competent unit must be {competent}",
        )
    return competent


def _check_code(batch: PendingBatch, origin: Origin, event: Event) -> str:
    """Check a new dossier's code: legal format, this unit's agency, the device's slot, unused."""
    code_text = event.payload["code"]
    try:
        code = parse_dossier_code(code_text)
        agency = _agency_code(event.payload["receiving_unit"])
    except SohoaError as exc:
        raise _Rejected(exc.code, exc.message_vi, exc.message_en) from exc
    if code.agency_code != agency:
        raise _Rejected(
            "bad_dossier_code",
            f"Mã hồ sơ phải bắt đầu bằng {agency}",
            f"The dossier code must start with {agency}",
        )
    if origin.device_slot is not None and slot_of(code.sequence) != origin.device_slot:
        raise _Rejected(
            "code_outside_slot",
            f"Số thứ tự {code.sequence} không thuộc vị trí cấp mã {origin.device_slot}",
            f"Sequence {code.sequence} is outside the device's code slot {origin.device_slot}",
        )
    if code_text in batch.codes:
        raise _Rejected(
            "duplicate_code",
            f"Mã hồ sơ {code_text} đã được dùng",
            f"The dossier code {code_text} is already used",
        )
    return code_text


def _accept(
    batch: PendingBatch, origin: Origin, event: Event, body: str, catalogues: CatalogueVersions
) -> dict:
    dossier_id = event.dossier_id
    state = batch.states[dossier_id]
    is_new = state is None
    _check_sender(event, origin, batch.units[dossier_id], is_new)
    code = _check_code(batch, origin, event) if is_new else None
    routed_to = _route(event, catalogues) if is_new else None
    try:
        new_state = lifecycle.apply(state, event)
    except SohoaError as exc:
        raise _Rejected(exc.code, exc.message_vi, exc.message_en) from exc
    units = {new_state.receiving_unit, new_state.competent_unit, new_state.current_unit}
    if event.type is EventType.HANDED_OVER:
        units.add(event.payload["to_unit"])
    # Units that see the dossier for the first time get its history before this event.
    added = batch.widen(dossier_id, units)
    if added:
        batch.feed(added, batch.history[dossier_id])
    batch.add_event(event, body)
    batch.set_state(dossier_id, new_state, is_new)
    if code is not None:
        batch.codes.add(code)
    if routed_to is not None and routed_to != new_state.receiving_unit:
        batch.hand_off(event, new_state.receiving_unit, routed_to, "routed", "")
    if event.type is EventType.HANDED_OVER:
        payload = event.payload
        batch.hand_off(
            event, payload["from_unit"], payload["to_unit"], "handed_over", payload["note"]
        )
    batch.feed(batch.units[dossier_id], [body])
    batch.rows["documents"] += document_rows(new_state, event, catalogues)
    batch.rows["page_refs"] += [
        {"sha256": page["sha256"], "dossier_id": dossier_id} for page in _pages(event)
    ]
    return _answer(event.id, "accepted", **({"routed_to": routed_to} if routed_to else {}))


def _pages(event: Event) -> list[dict]:
    """Return the scanned pages an event brings, so staff can later be allowed to read them."""
    payload = event.payload
    if event.type is EventType.RECEIVED:
        return [page for part in payload["components"] for page in part["pages"]]
    if event.type is EventType.PAGES_ADDED:
        return payload["pages"]
    if event.type is EventType.RESULT_READY:
        return payload["result"]["pages"]
    return []


def _existing(conn: Connection, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = conn.execute(select(events.c.id, events.c.body).where(events.c.id.in_(ids)))
    return {row.id: row.body for row in rows}


def _parse(raw_events: list[Any]) -> list[tuple[object, Event | SohoaError, str]]:
    """Validate each wire event and give its canonical body.

    A valid wire dict is exactly what ``Event.to_wire`` returns, so its canonical JSON is the
    event's; dumping the dict directly saves a deep copy per event.
    """
    parsed: list[tuple[object, Event | SohoaError, str]] = []
    for raw in raw_events:
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        try:
            parsed.append((raw_id, Event.from_wire(raw), canonical_json(raw)))
        except SohoaError as exc:
            parsed.append((raw_id, exc, ""))
    return parsed


def ingest_events(conn: Connection, raw_events: list[Any], origin: Origin) -> list[dict]:
    """Apply a batch of wire events inside the caller's write transaction; return one answer each.

    :param raw_events: the events as decoded JSON, not yet validated
    :param origin: who sent them; a device may only write events of its own unit
    """
    parsed = _parse(raw_events)
    valid = [item for _, item, _ in parsed if isinstance(item, Event)]
    stored = _existing(conn, sorted({event.id for event in valid}))
    batch = PendingBatch()
    catalogues = CatalogueVersions(conn)
    batch.load(conn, {event.dossier_id for event in valid})
    batch.load_codes(conn, {e.payload["code"] for e in valid if e.type is EventType.RECEIVED})
    answers = []
    for raw_id, item, body in parsed:
        if not isinstance(item, Event):
            answers.append(_refusal(raw_id, item.code, item.message_vi, item.message_en))
            continue
        if item.id in stored:
            answers.append(
                _answer(item.id, "duplicate")
                if stored[item.id] == body
                else _refusal(
                    item.id,
                    "id_conflict",
                    "Mã sự kiện đã dùng cho nội dung khác",
                    "The event id was used for other content",
                )
            )
            continue
        try:
            answers.append(_accept(batch, origin, item, body, catalogues))
            stored[item.id] = body
        except _Rejected as rejected:
            answers.append(
                _refusal(item.id, rejected.reason, rejected.message_vi, rejected.message_en)
            )
    batch.write(conn)
    return answers
