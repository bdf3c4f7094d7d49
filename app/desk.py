"""One unlocked officer's workspace: turn photos into pages, receive dossiers, list them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.city_documents import CityDocuments
from app.forms import ReceiptSlip, SlipComponent, build_receipt_pdf, qr_payload, qr_png
from app.forms_data import render_form
from app.queries import find_dossiers, home_figures
from app.state.actions import ON_THE_SPOT, action_payload, can_finish_on_the_spot
from app.state.applicant import applicant_payload, residence_unit
from app.state.checklist import PageRef, components_payload
from app.state.dossiers import DossierQuery
from app.state.home import Counts
from app.state.intake import IntakeState, Receipt, Review
from app.syncing import SyncWorker
from core.calendar import TIMEZONE
from core.clock import Timestamp
from core.dossier import edit_payload
from core.events import EventType, make_event
from core.ids import new_id
from core.reception import received_payload
from core.units import unit
from scan import process_photo, thumbnail
from sync.receive import next_code, remember_code

__all__ = ["Desk", "DossierDetail"]


@dataclass(frozen=True)
class DossierDetail:
    """What the detail screen shows: the folded state, its events with times, page thumbnails."""

    state: object
    timeline: tuple[tuple[object, int], ...]
    thumbnails: tuple[bytes, ...]


class Desk:
    """What an unlocked officer can do; every method runs on the backend's vault thread."""

    def __init__(self, backend, session, worker: SyncWorker, *, officer_name: str) -> None:
        self.backend = backend
        self.session = session
        self.worker = worker
        self.officer_id: str = session.officer_id
        self.officer_name = officer_name
        self.clock = worker.hybrid_clock()
        self._pages: dict[str, bytes] = {}
        self._known: list[PageRef] = []
        self.city = CityDocuments(session, worker, backend.catalogue_of, self._pages)

    @property
    def identity(self):
        """The device's identity with the city (its server address can change in settings)."""
        return self.worker.identity

    def lock(self) -> None:
        """Forget the keys (both sessions) and the pages not yet saved."""
        self._pages.clear()
        self.worker.close()
        self.session.lock()

    def add_photo(self, path: Path, delete: bool) -> PageRef:
        """Turn one photo into a clean page kept in memory until the dossier is received.

        :param delete: remove the file afterwards (a browser upload), so no photo stays on disk.
        :raises scan.errors.ScanError: not an image, too large, or unreadable.
        """
        try:
            data = path.read_bytes()
        finally:
            if delete:
                path.unlink(missing_ok=True)
        return self._scan(data)

    def receive(self, state: IntakeState, summary: Review) -> Receipt:
        """Issue the code, compute the appointment, and store the RECEIVED event with its pages."""
        procedure = state.procedure
        now = datetime.now(TIMEZONE)
        unit_code = self.identity.unit_code
        payload = received_payload(
            procedure,
            code=next_code(self.session.kv, self.identity, now.date()),
            catalogue_version=self.backend.catalogue.version,
            applicant=applicant_payload(state.applicant),
            residence_unit=residence_unit(state.applicant, unit_code),
            receiving_unit=unit_code,
            received_at=now,
            calendar=self.backend.calendar,
            components=components_payload(state.checklist),
            fee_vnd=summary.fee_vnd,
            channel=state.applicant.channel,
            return_method=state.applicant.return_method,
            return_address=state.applicant.return_address or None,
        )
        dossier_id = new_id()
        event = make_event(
            dossier_id,
            EventType.RECEIVED,
            payload,
            clock=self.clock,
            device_id=self.identity.device_id,
            officer_id=self.officer_id,
            unit_code=unit_code,
        )
        hashes = {p.sha256 for item in state.checklist.items for p in item.pages}
        # The vault names any page it gets no image of (one left on the city) in its own error.
        held = {h: self._pages[h] for h in hashes if h in self._pages}
        saved = self.session.dossiers.save([event], held)
        self.worker.remember(self.clock)
        remember_code(self.session.kv, payload["code"])
        self._pages.clear()
        self._known.clear()
        slip = self.slip(dossier_id)
        return Receipt(
            dossier_id=dossier_id,
            code=payload["code"],
            received_at=payload["received_at"],
            due_at=payload["due_at"],
            fee_vnd=summary.fee_vnd,
            qr_png=qr_png(qr_payload(slip)),
            finish_now=can_finish_on_the_spot(saved, procedure.processing.same_day),
        )

    def slip(self, dossier_id: str) -> ReceiptSlip:
        """Gather what form 01 prints for a received dossier."""
        events = self.session.dossiers.events(dossier_id)
        payload = events[0].payload
        procedure = self.backend.catalogue_of(payload["catalogue_version"]).get(
            payload["procedure_code"]
        )
        pages = {c["component_id"]: len(c["pages"]) for c in payload["components"]}
        applicant = payload["applicant"]
        return ReceiptSlip(
            unit_name=unit(payload["receiving_unit"]).name,
            dossier_code=payload["code"],
            procedure_code=procedure.code,
            procedure_name=procedure.name,
            applicant_name=applicant["name"],
            cccd=applicant["cccd"],
            address=applicant["address"],
            phone=applicant["phone"],
            components=tuple(
                SlipComponent(c.name, pages.get(c.id, 0))
                for c in procedure.components
                if c.id in pages or c.mandatory
            ),
            received_at=datetime.fromisoformat(payload["received_at"]),
            due_at=datetime.fromisoformat(payload["due_at"]),
            fee_vnd=payload["fee_vnd"],
            officer_name=self.officer_name,
            return_method=payload["return_method"],
            return_address=payload.get("return_address") or "",
        )

    def detail(self, dossier_id: str) -> DossierDetail:
        """One dossier with its timeline and page thumbnails; the viewing is audited."""
        state = self.session.dossiers.get(dossier_id)
        self.session.audit.record("view_dossier", dossier_id=dossier_id)
        ordered = [page for hashes in state.components.values() for page in hashes]
        return DossierDetail(
            state=state,
            timeline=tuple((event, Timestamp.decode(event.hlc).wall_ms) for event in state.history),
            thumbnails=tuple(thumbnail(self.session.blobs.read(h)) for h in ordered),
        )

    def record(self, dossier_id: str, kind: EventType) -> object:
        """Record a one-tap lifecycle step (app.state.actions) and return the new state.

        :raises storage.errors.DossierRejected: the lifecycle does not allow it now.
        """
        state = self.session.dossiers.get(dossier_id)
        procedure = self.backend.catalogue_of(state.catalogue_version).get(state.procedure_code)
        document_type = procedure.results[0].document_type if procedure.results else "result"
        return self.record_step(dossier_id, kind, action_payload(kind, state, document_type))

    def finish_on_the_spot(self, dossier_id: str) -> object:
        """Decide, take the fee and return a same-day dossier while the citizen waits."""
        state = self.session.dossiers.get(dossier_id)
        steps = list(ON_THE_SPOT)
        if state.fee_vnd > state.paid_vnd:
            steps.insert(2, EventType.FEE_PAID)
        for kind in steps:
            state = self.record(dossier_id, kind)
        return state

    def receipt_pdf(self, dossier_id: str) -> bytes:
        """Form 01 of a received dossier as PDF bytes."""
        self.session.audit.record("print_receipt", dossier_id=dossier_id)
        return build_receipt_pdf(self.slip(dossier_id))

    def find(self, query: DossierQuery) -> tuple[list, str | None]:
        """One page of dossier summaries for the list screen, and the cursor of the next page."""
        return find_dossiers(self.session.dossiers, query, datetime.now(TIMEZONE))

    def home_figures(self, now: datetime) -> tuple[Counts, list]:
        """Today's counts and the work queue (open dossiers due by tonight, soonest first)."""
        return home_figures(self.session.dossiers, now)

    def sync_snapshot(self):
        """The sync engine's progress (sync.progress.ProgressSnapshot); any thread may ask."""
        return self.worker.snapshot()

    def sync_status(self) -> tuple:
        """The sync progress and the events the server refused, with its reasons."""
        return self.worker.snapshot(), self.session.outbox.quarantined()

    def sync_now(self):
        """Run one sync on the sync thread and wait for it (call it off the vault thread).

        :raises sync.errors.SyncError: offline, refused or timed out; nothing is lost.
        """
        return self.worker.run_once()

    def retry(self, event_id: str) -> None:
        """Put a quarantined event back in the queue."""
        self.session.outbox.retry(event_id)

    def export_bundle(self) -> bytes:
        """An offline bundle of everything not yet synced (call it off the vault thread)."""
        self.session.audit.record("export_bundle")
        return self.worker.export_bundle()

    def device_facts(self) -> dict[str, str]:
        """What the settings screen says about this device."""
        return {
            "device_id": self.identity.device_id,
            "unit_code": self.identity.unit_code,
            "code_slot": str(self.identity.device_slot),
        }

    def add_officer(self, name: str, pin: str) -> str:
        """Give another officer a key slot on this device.

        :raises storage.errors.OfficerError: empty name or weak PIN.
        """
        return self.session.add_officer(name, pin)

    def record_step(self, dossier_id: str, kind: EventType, payload: dict) -> object:
        """Record a lifecycle step with typed input (app.state.lifecycle_steps); return the state.

        :raises storage.errors.DossierRejected: the lifecycle does not allow it now.
        """
        # Another device's clock may run ahead: a step taken after seeing its events must still
        # sort after them, or folding would place it before what the officer saw.
        seen = self.session.dossiers.get(dossier_id).last_hlc
        if seen:
            self.clock.observe(Timestamp.decode(seen))
        event = make_event(
            dossier_id,
            kind,
            payload,
            clock=self.clock,
            device_id=self.identity.device_id,
            officer_id=self.officer_id,
            unit_code=self.identity.unit_code,
        )
        new_state = self.session.dossiers.append([event], {}, local=True)
        self.worker.remember(self.clock)
        return new_state

    def resolve_conflict(self, dossier_id: str, field: str, value: object) -> object:
        """Settle a field two devices edited at once on `value`; return the new state."""
        payload = edit_payload(self.session.dossiers.get(dossier_id), {field: value})
        return self.record_step(dossier_id, EventType.FIELDS_EDITED, payload)

    def form_pdf(self, dossier_id: str, number: str) -> bytes:
        """Form `number` (01–06) of a dossier as PDF bytes; the printing is audited."""
        if number == "01":
            return self.receipt_pdf(dossier_id)
        state = self.session.dossiers.get(dossier_id)
        self.session.audit.record("print_form", dossier_id=dossier_id, detail={"form": number})
        procedure = self.backend.catalogue_of(state.catalogue_version).get(state.procedure_code)
        return render_form(number, state, procedure.name, self.officer_name)

    def rescan_photo(self, data: bytes, corners: tuple, replacing: str) -> PageRef:
        """Turn a photo into a page again with the corners the officer placed, in place of a page.

        :param replacing: sha256 of the page it replaces, forgotten so it is no duplicate.
        :raises scan.errors.BadCorners: the corners cannot outline a page.
        """
        return self._scan(data, corners=corners, replacing=replacing)

    def _scan(self, data: bytes, corners: tuple | None = None, replacing: str = "") -> PageRef:
        """Run a photo through the pipeline and keep its page in memory until receipt."""
        known = [p for p in self._known if p.sha256 != replacing]
        page = process_photo(
            data,
            dpi=self.backend.settings.scan_dpi,
            corners=corners,
            known_hashes=[p.fingerprint for p in known],
        )
        self._pages.pop(replacing, None)
        self._pages[page.sha256] = page.image
        ref = PageRef(
            sha256=page.sha256,
            media_type=page.media_type,
            mode=page.mode,
            dpi=page.dpi,
            size=len(page.image),
            thumbnail=thumbnail(page.image),
            problems=tuple((v["message_vi"], v["message_en"]) for v in page.quality if not v["ok"]),
            fingerprint=page.fingerprint,
            corners=tuple(page.corners) if corners else (),
        )
        self._known = [*known, ref]
        return ref
