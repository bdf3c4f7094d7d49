"""Headless intake for `sohoa device receive`: photos in a folder become a received dossier.

The officer app does the same through its screens; this path serves mobile teams on a laptop,
bulk digitisation of scanned folders, and scripted tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from core.calendar import TIMEZONE
from core.catalogue import fee_for
from core.codes import CodeIssuer
from core.events import Event, EventType, make_event
from core.ids import new_id
from core.reception import received_payload
from scan.pipeline import process_photo
from sync.device import DeviceIdentity
from sync.runtime import DeviceRuntime
from sync.tus import KeyValue

__all__ = [
    "ISSUED_CODES_KEY",
    "Applicant",
    "issue_code",
    "next_code",
    "receive_dossier",
    "remember_code",
]

# Shared with the officer app, so both paths continue one sequence of dossier codes.
ISSUED_CODES_KEY = "app.issued_codes"
ISSUED_CODES_KEPT = 400


def next_code(kv: KeyValue, identity: DeviceIdentity, received_on: date) -> str:
    """Return the device's next dossier code for `received_on`; `remember_code` keeps it."""
    issued = kv.get(ISSUED_CODES_KEY, [])
    return CodeIssuer(identity.agency_code, identity.device_slot, issued).issue(received_on)


def remember_code(kv: KeyValue, code: str) -> None:
    """Record `code` as issued once its dossier is saved: codes are neither reused nor skipped."""
    kv.set(ISSUED_CODES_KEY, [*kv.get(ISSUED_CODES_KEY, []), code][-ISSUED_CODES_KEPT:])


def issue_code(device: DeviceRuntime, received_on: date) -> str:
    """Issue the device's next dossier code for `received_on` and remember it at once."""
    kv = device.session.kv
    code = next_code(kv, device.identity, received_on)
    remember_code(kv, code)
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
    kv = device.session.kv
    applicant_fields: dict[str, object] = {
        "cccd": applicant.cccd,
        "name": applicant.name,
        "birth_date": applicant.birth_date,
        "gender": applicant.gender,
        "phone": applicant.phone,
        "address": applicant.address,
    }
    components = [
        {
            "component_id": component_id or procedure.components[0].id,
            "pages": [page.page_record() for page in pages],
        }
    ]
    payload = received_payload(
        procedure,
        code=next_code(kv, device.identity, now.date()),
        catalogue_version=catalogue.version,
        applicant=applicant_fields,
        # Headless intake has no residence picker: the applicant lives where they applied.
        residence_unit=unit_code,
        receiving_unit=unit_code,
        received_at=now,
        calendar=device.vault.catalogue.calendar(),
        components=components,
        fee_vnd=fee_for(procedure, pages=len(pages)),
    )
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
    remember_code(kv, payload["code"])
    device.remember(clock)
    return event
