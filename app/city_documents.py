"""What the counter fetches from the city: a citizen's reusable documents, a pre-application."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx

from app.errors import FieldError
from app.state.checklist import PageRef
from app.state.intake import PreApplicationNotFound, PreApplicationUnavailable, TakenOver
from app.state.reuse import (
    REUSE_PURPOSE,
    ReuseOffer,
    ReuseOffers,
    offers_by_component,
    wanted_types,
)
from core.catalogue import Catalogue
from core.preapplication import normalise_preapplication_code
from scan import thumbnail
from sync.client import SyncClient
from sync.errors import Offline, ServerRefused, SyncError, TimedOut
from sync.signing import ServerClock, SigningAuth

__all__ = ["REUSE_TIMEOUT_SECONDS", "CityDocuments"]

REUSE_TIMEOUT_SECONDS = 10


class CityDocuments:
    """Documents the city already holds, fetched for the dossier at the counter.

    Fetched pages wait in `held` (the desk's pages in memory) with the photographed ones and
    reach the vault on receipt; every lookup is audited.
    """

    def __init__(
        self,
        session,
        worker,
        catalogue_of: Callable[[str], Catalogue],
        held: dict[str, bytes],
    ) -> None:
        self.session = session
        self.worker = worker
        self.catalogue_of = catalogue_of
        self.held = held

    def reuse_offers(self, procedure, cccd: str) -> ReuseOffers:
        """Ask the city which stored documents of the citizen the procedure's components take.

        Offline or too slow: no offers and no error, so the officer simply scans as usual.

        :raises sync.errors.ServerRefused: the city refused the lookup (a revoked device).
        """
        types = wanted_types(procedure.components)
        if not types:
            return ReuseOffers(cccd)
        try:
            with self._city() as city:
                found = city.reusable_documents(cccd, _reuse_reason(procedure.code), types)
        except (Offline, TimedOut):
            return ReuseOffers(cccd)
        offers = offers_by_component(cccd, procedure.components, found)
        detail = {"procedure_code": procedure.code, "offered": sorted(offers.by_component)}
        self.session.audit.record("reuse_lookup", detail=detail)
        return offers

    def reuse(self, cccd: str, procedure_code: str, offer: ReuseOffer) -> tuple[PageRef, ...]:
        """Download an offered document's pages (checked by hash) to attach them as reused.

        :raises sync.errors.SyncError: offline or refused midway; nothing is attached then.
        """
        reason = _reuse_reason(procedure_code)
        with self._city() as city:
            fetched = {
                p["sha256"]: city.document_page(cccd, p["sha256"], reason) for p in offer.pages
            }
        return tuple(self._hold(meta, fetched[meta["sha256"]], reused=True) for meta in offer.pages)

    def take_over(self, typed: str) -> TakenOver:
        """Fetch a citizen's pre-application by its code, with its pages (checked by hash).

        The city already holds the pages, so the sync sends none of them again.

        :raises app.errors.FieldError: the code is not of the form NT-XXXX-XXXX.
        :raises PreApplicationNotFound: the city knows no live pre-application by that code.
        :raises PreApplicationUnavailable: offline, too slow, or refused otherwise.
        """
        code = normalise_preapplication_code(typed)
        if not code:
            raise FieldError(
                "preapp-code",
                "Mã nộp trước có dạng NT-XXXX-XXXX",
                "A pre-application code looks like NT-XXXX-XXXX",
            )
        try:
            with self._city() as city:
                found = city.preapplication(code)
                procedure = self.catalogue_of(found["catalogue_version"]).get(
                    found["procedure_code"]
                )
                wanted = {c.id for c in procedure.components}
                pages = {
                    c["component_id"]: tuple(
                        self._hold(p, city.preapplication_page(code, p["sha256"]), reused=False)
                        for p in c["pages"]
                    )
                    for c in found["components"]
                    if c["component_id"] in wanted  # a component the procedure dropped since
                }
        except ServerRefused as exc:
            if exc.status == 404:
                raise PreApplicationNotFound(code) from exc
            raise PreApplicationUnavailable() from exc
        except SyncError as exc:
            raise PreApplicationUnavailable() from exc
        count = sum(map(len, pages.values()))
        detail = {"code": code, "procedure_code": procedure.code, "pages": count}
        self.session.audit.record("preapplication_takeover", detail=detail)
        return TakenOver(code, procedure, pages)

    def _hold(self, record: dict, data: bytes, *, reused: bool) -> PageRef:
        """Hold a page fetched from the city (checked by hash) for the receipt."""
        self.held[record["sha256"]] = data
        return PageRef(
            sha256=record["sha256"],
            media_type=record["media_type"],
            mode=record["mode"],
            dpi=record["dpi"],
            size=len(data),
            thumbnail=thumbnail(data),
            reused=reused,
        )

    @contextmanager
    def _city(self) -> Iterator[SyncClient]:
        # The address is read each time: settings can move the device to another server.
        identity = self.worker.identity
        auth = SigningAuth(self.session.device_key(), identity.device_id, ServerClock())
        with httpx.Client(
            base_url=identity.server_url, auth=auth, timeout=REUSE_TIMEOUT_SECONDS
        ) as http:
            yield SyncClient(http)


def _reuse_reason(procedure_code: str) -> dict[str, str]:
    return {"procedure_code": procedure_code, "purpose": REUSE_PURPOSE}
