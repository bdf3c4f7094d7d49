"""What a citizen can do with their own dossier: follow it, supplement it, rate the service.

Each step the citizen takes becomes an event through the server's own ingest, so the competent
unit sees new pages and the supplement at once, and the figures count the rating.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from core import dossier as lifecycle
from core.dossier import Status
from core.dossier_state import DossierState
from core.errors import SohoaError
from core.events import EventType, make_event
from server.audit import append_audit
from server.context import ServerContext
from server.dossiers import stored_events
from server.ingest import Origin, ingest_events
from server.portal.errors import LookupFailed, NotAllowedNow
from server.portal.follow import CitizenView, citizen_view, find_dossier, normalise_code
from server.portal.limits import RateLimiter
from server.portal.photos import store_photo

__all__ = ["PORTAL_DEVICE", "RATINGS", "Portal"]

log = logging.getLogger("sohoa.portal")

# Events the portal writes name it as their device and the citizen as their author.
PORTAL_DEVICE = "citizen-portal"
PORTAL_AUTHOR = "citizen"
RATINGS = ("satisfied", "unsatisfied")
# A page outside any component of the procedure, when the request named something else.
SUPPLEMENT_COMPONENT = "bo_sung"


def _client_key(client: str) -> str:
    # The audit log and the limiter keep a digest, never the client's address itself.
    return hashlib.sha256(client.encode()).hexdigest()[:16]


class Portal:
    """The citizen portal's actions on one server.

    ``portal = Portal(context); dossier_id = portal.follow("H31.11311-260302-0001", "1234",
    client="203.0.113.9"); portal.view(dossier_id).status``
    """

    def __init__(
        self,
        context: ServerContext,
        *,
        client_limiter: RateLimiter | None = None,
        code_limiter: RateLimiter | None = None,
    ):
        self.context = context
        # Ten lookups per client in ten minutes; five failures per code in an hour.
        self.client_limiter = client_limiter or RateLimiter(context.db, "client", 10, 600)
        self.code_limiter = code_limiter or RateLimiter(context.db, "code", 5, 3600)

    def follow(self, code: str, digits: str, client: str) -> str:
        """Return the id of the dossier `code` names if `digits` end its CCCD or phone.

        :raises TooManyLookups: this client or this code has no lookup left for now
        :raises LookupFailed: no such pair (logged, with the client's digest)
        """
        client_key = f"client:{_client_key(client)}"
        code_key = f"code:{normalise_code(code) or '?'}"
        self.client_limiter.hit(client_key)
        self.code_limiter.check(code_key)
        try:
            with self.context.db.read() as conn:
                return find_dossier(conn, code, digits).id
        except LookupFailed:
            self.code_limiter.hit(code_key)
            self._log_failure(client_key, code)
            raise

    def _log_failure(self, client_key: str, code: str) -> None:
        shown = (code or "")[:60]
        log.warning("portal lookup failed: %s code=%r", client_key, shown)
        with self.context.db.write() as conn:
            append_audit(conn, client_key, "portal.lookup_failed", shown, {})

    def _state(self, dossier_id: str) -> DossierState:
        with self.context.db.read() as conn:
            return lifecycle.fold(stored_events(conn, dossier_id))

    def _view(self, state: DossierState) -> CitizenView:
        try:
            catalogue = self.context.catalogue_version(state.catalogue_version)
        except SohoaError:
            catalogue = self.context.catalogue  # a version unknown here: names may be missing
        return citizen_view(state, catalogue)

    def view(self, dossier_id: str) -> CitizenView:
        """Return the citizen's view of a dossier they have already found with :meth:`follow`."""
        return self._view(self._state(dossier_id))

    def _record(self, state: DossierState, event_type: EventType, payload: dict[str, Any]) -> None:
        event = make_event(
            state.id,
            event_type,
            payload,
            clock=self.context.clock,
            device_id=PORTAL_DEVICE,
            officer_id=PORTAL_AUTHOR,
            unit_code=state.current_unit,
        )
        with self.context.db.write() as conn:
            (answer,) = ingest_events(conn, [event.to_wire()], Origin(unit_code=None))
        if answer["status"] != "accepted":
            raise NotAllowedNow(answer["message_vi"], answer["message_en"])

    def _require(self, state: DossierState, status: Status) -> None:
        if state.status is not status:
            raise NotAllowedNow(
                f"Hồ sơ {state.code} không ở bước này", f"Dossier {state.code} is not at this step"
            )

    def add_photo(self, dossier_id: str, item: str, data: bytes) -> dict[str, object]:
        """Scan one photo for a missing item and add it to the dossier; return its page record.

        :raises NotAllowedNow: the dossier does not wait for a supplement
        :raises PhotoTooLarge, NotAPhoto, RetakePhoto: the photo is refused (nothing stored)
        """
        state = self._state(dossier_id)
        self._require(state, Status.SUPPLEMENT_REQUESTED)
        page = store_photo(self.context.blobs, data)
        components = {m.item for m in self._view(state).missing if m.is_component}
        component = item if item in components else SUPPLEMENT_COMPONENT
        record = page.page_record()
        self._record(state, EventType.PAGES_ADDED, {"component_id": component, "pages": [record]})
        return record

    def finish_supplement(self, dossier_id: str) -> None:
        """Tell the unit the supplement is complete (the dossier goes back to received)."""
        state = self._state(dossier_id)
        self._require(state, Status.SUPPLEMENT_REQUESTED)
        self._record(state, EventType.SUPPLEMENTED, {})

    def rate(self, dossier_id: str, score: str) -> None:
        """Record the citizen's rating once the result is returned.

        :raises NotAllowedNow: not returned yet, already rated, or an unknown score
        """
        if score not in RATINGS:
            raise NotAllowedNow(f"Không có mức đánh giá '{score}'", f"No rating '{score}'")
        state = self._state(dossier_id)
        self._require(state, Status.RETURNED)
        self._record(state, EventType.RATED, {"score": score})
