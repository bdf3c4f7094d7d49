"""Headless intake for `sohoa device receive`: photos in a folder become a received dossier.

The officer app does the same through its screens; this path serves mobile teams on a laptop,
bulk digitisation of scanned folders, and scripted tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from core.calendar import TIMEZONE, due_at
from core.catalogue import COMPETENT_UNIT_RULES, competent_unit, fee_for
from core.codes import CodeIssuer
from core.events import Event, EventType, make_event
from core.ids import new_id
from scan.pipeline import process_photo
from sync.device import vault_settings
from sync.runtime import DeviceRuntime

__all__ = ["ISSUED_CODES_KEY", "Applicant", "issue_code", "receive_dossier"]

# Shared with the officer app, so both paths continue one sequence of dossier codes.
ISSUED_CODES_KEY = "app.issued_codes"
ISSUED_CODES_KEPT = 400


def issue_code(device: DeviceRuntime, received_on: date) -> str:
    """Issue the device's next dossier code for `received_on` and remember it in the vault."""
    kv = vault_settings(device.session)
    issued = kv.get(ISSUED_CODES_KEY, [])
    identity = device.identity
    code = CodeIssuer(identity.agency_code, identity.device_slot, issued).issue(received_on)
    kv.set(ISSUED_CODES_KEY, [*issued, code][-ISSUED_CODES_KEPT:])
    return code


@dataclass(frozen=True)
class Applicant:
    """The applicant as typed on the command line."""

    cccd: str
    name: str
    birth_date: str | None = None
    gender: str | None = None
    phone: str = ""
    address: str = ""


def receive_dossier(
    device: DeviceRuntime,
    procedure_code: str,
    applicant: Applicant,
    photos: list[Path],
    *,
    component_id: str | None = None,
    dpi: int = 200,
) -> Event:
    """Scan `photos` into pages and store a RECEIVED dossier in the vault; return its event.

    :raises UnknownProcedure: (core) no procedure has `procedure_code`.
    :raises ScanError: (scan) a photo cannot be read or holds no page.
    """
    # Shipped plus what the city published, as the officer app uses it.
    catalogue = device.vault.catalogue.history().today()
    procedure = catalogue.get(procedure_code)
    pages = [process_photo(path.read_bytes(), dpi=dpi) for path in photos]
    unit_code = device.identity.unit_code
    now = datetime.now(TIMEZONE)
    code = issue_code(device, now.date())
    applicant_fields: dict[str, object] = {
        "cccd": applicant.cccd,
        "name": applicant.name,
        "birth_date": applicant.birth_date,
        "gender": applicant.gender,
        "phone": applicant.phone,
        "address": applicant.address,
    }
    routing_field = COMPETENT_UNIT_RULES[procedure.competent_unit_rule]
    if routing_field is not None:
        # Headless intake has no residence picker: the applicant lives where they applied.
        applicant_fields[routing_field] = unit_code
    payload = {
        "code": code,
        "procedure_code": procedure.code,
        "catalogue_version": catalogue.version,
        "applicant": applicant_fields,
        "channel": "counter",
        "receiving_unit": unit_code,
        "competent_unit": competent_unit(procedure, unit_code, applicant_fields),
        "return_method": "counter",
        "return_address": None,
        "received_at": now.isoformat(),
        "due_at": due_at(procedure, now, device.vault.catalogue.calendar()).isoformat(),
        "components": [
            {
                "component_id": component_id or procedure.components[0].id,
                "pages": [page.page_record() for page in pages],
            }
        ],
        "fee_vnd": fee_for(procedure, pages=len(pages)),
    }
    clock = device.hybrid_clock()
    event = make_event(
        new_id(),
        EventType.RECEIVED,
        payload,
        clock=clock,
        device_id=device.identity.device_id,
        officer_id=device.session.officer_id,
        unit_code=unit_code,
    )
    device.session.dossiers.save([event], {page.sha256: page.image for page in pages})
    device.remember(clock)
    return event
