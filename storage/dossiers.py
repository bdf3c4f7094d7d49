"""Dossiers in the vault: each one's events and pages, written whole with their outbox entries.

Each dossier has its own data key, wrapped by the vault key; its events are AES-GCM under that
key, bound to the dossier and event ids. Search and lists are in `storage.search`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlite_utils import Database

from core.dossier import DossierState, IllegalTransition, apply, fold
from core.events import Event, EventType
from storage import crypto
from storage.blobs import BlobStore
from storage.errors import DossierRejected, NotFound
from storage.keyring import Keyring
from storage.schema import guard_disk
from storage.search import DossierSearch

__all__ = ["Dossiers"]


class Dossiers(DossierSearch):
    """The dossiers of one unlocked vault: write, read, and (from `DossierSearch`) find and list.

    >>> state = session.dossiers.save(events, {sha: page_bytes})
    >>> session.dossiers.find_by_cccd("001203004567")[0].code
    """

    def __init__(
        self, db: Database, keyring: Keyring, blobs: BlobStore, clock_ms: Callable[[], int]
    ):
        super().__init__(db, keyring, clock_ms)
        self._blobs = blobs

    def save(self, events: list[Event], pages: Mapping[str, bytes] | None = None) -> DossierState:
        """Store a new dossier, its pages and an outbox entry for each, in one transaction.

        :raises DossierRejected: when the events are not one new, valid dossier (nothing written).
        :raises StorageFull: when the disk is full (nothing written).
        """
        dossier_id = self._one_dossier(events)
        if self._db.table("dossiers").count_where("id = ?", [dossier_id]):
            raise DossierRejected(
                f"Hồ sơ {dossier_id} đã có", f"Dossier {dossier_id} already exists"
            )
        if min(events, key=lambda e: (e.hlc, e.id)).type != EventType.RECEIVED:
            raise DossierRejected(
                "Hồ sơ mới phải bắt đầu bằng sự kiện tiếp nhận",
                "A new dossier must start with a received event",
            )
        state = self._apply_strictly(None, events)
        self._check_pages_present(None, state, pages or {})
        return self._write(dossier_id, events, pages or {}, state, local=True, new=True)

    def append(
        self, events: list[Event], pages: Mapping[str, bytes] | None = None, *, local: bool = True
    ) -> DossierState:
        """Add events (and pages) to one dossier in one transaction; known event ids are skipped.

        Local events must be allowed by the lifecycle and get outbox entries. Events pulled from
        the server (`local=False`) are stored as they are, without outbox entries, and may
        create the dossier (one routed here from another unit).

        :raises DossierRejected: for events of several dossiers, or an illegal local step.
        :raises NotFound: for local events of a dossier the vault does not hold.
        """
        dossier_id = self._one_dossier(events)
        known = {
            row["id"]
            for row in self._db.query(
                f"SELECT id FROM events WHERE id IN ({','.join('?' * len(events))})",
                [e.id for e in events],
            )
        }
        fresh = [e for e in events if e.id not in known]
        exists = bool(self._db.table("dossiers").count_where("id = ?", [dossier_id]))
        if local and not exists:
            raise NotFound("hồ sơ/dossier", dossier_id)
        if local:
            before = self.get(dossier_id)
            state = self._apply_strictly(before, fresh)
            self._check_pages_present(before, state, pages or {})
        else:
            try:
                state = fold([*self.events(dossier_id), *fresh] if exists else fresh)
            except IllegalTransition as exc:
                raise DossierRejected(exc.message_vi, exc.message_en) from exc
        if not fresh and not pages:
            return state
        return self._write(dossier_id, fresh, pages or {}, state, local=local, new=not exists)

    def _one_dossier(self, events: list[Event]) -> str:
        ids = {e.dossier_id for e in events}
        if len(ids) != 1:
            raise DossierRejected(
                "Các sự kiện phải thuộc đúng một hồ sơ", "Events must belong to exactly one dossier"
            )
        return ids.pop()

    def _apply_strictly(self, state: DossierState | None, events: list[Event]) -> DossierState:
        try:
            for event in sorted(events, key=lambda e: (e.hlc, e.id)):
                state = apply(state, event)
        except IllegalTransition as exc:
            raise DossierRejected(exc.message_vi, exc.message_en) from exc
        assert state is not None
        return state

    def _check_pages_present(
        self, before: DossierState | None, after: DossierState, pages: Mapping[str, bytes]
    ) -> None:
        # A page a local event names but the vault never got could never be uploaded. Pages of
        # events pulled from the server may arrive after them, so only new local pages count.
        known = (before.pages | before.result_pages) if before else frozenset()
        missing = [
            sha
            for sha in sorted((after.pages | after.result_pages) - known)
            if sha not in pages and not self._blobs.has(sha)
        ]
        if missing:
            raise DossierRejected(
                f"Thiếu ảnh của {len(missing)} trang (ví dụ {missing[0][:12]}…)",
                f"{len(missing)} pages have no image (e.g. {missing[0][:12]}…)",
            )

    def _write(
        self,
        dossier_id: str,
        events: list[Event],
        pages: Mapping[str, bytes],
        state: DossierState,
        *,
        local: bool,
        new: bool,
    ) -> DossierState:
        prepared = self._blobs.prepare(pages, "pending" if local else "confirmed")
        try:
            with guard_disk(), self._db.atomic():
                if new:
                    key = crypto.new_key()
                    self._db.table("dossiers").insert(
                        {
                            "id": dossier_id,
                            "wrapped_key": crypto.wrap_key(self._keys.vault_key, key),
                        }
                        | self._summary_columns(dossier_id, key, state)
                    )
                else:
                    key = self._key(dossier_id)
                    self._db.table("dossiers").update(
                        dossier_id, self._summary_columns(dossier_id, key, state)
                    )
                self._db.table("events").insert_all(
                    {
                        "id": e.id,
                        "dossier_id": dossier_id,
                        "body_box": self._keys.seal(
                            key, e.to_json(), "events", "body", f"{dossier_id}/{e.id}"
                        ),
                    }
                    for e in events
                )
                if local:
                    self._db.table("outbox").insert_all(
                        {"event_id": e.id, "dossier_id": dossier_id, "state": "pending"}
                        for e in events
                    )
                self._blobs.insert(prepared)
                self._reindex(dossier_id, state)
        except BaseException:
            self._blobs.discard(prepared)
            raise
        return state

    def _key(self, dossier_id: str) -> bytes:
        rows = list(self._db.query("SELECT wrapped_key FROM dossiers WHERE id = ?", [dossier_id]))
        if not rows:
            raise NotFound("hồ sơ/dossier", dossier_id)
        return self._keys.unwrap(rows[0]["wrapped_key"], "dossiers.wrapped_key")

    def events(self, dossier_id: str) -> list[Event]:
        """Return the dossier's events in (hlc, id) order.

        :raises NotFound: when the vault has no such dossier.
        :raises TamperedData: when an event was altered or moved from another dossier.
        """
        key = self._key(dossier_id)
        events = [
            Event.from_json(
                self._keys.open(key, row["body_box"], "events", "body", f"{dossier_id}/{row['id']}")
            )
            for row in self._db.query(
                "SELECT id, body_box FROM events WHERE dossier_id = ? ORDER BY seq", [dossier_id]
            )
        ]
        return sorted(events, key=lambda e: (e.hlc, e.id))

    def get(self, dossier_id: str) -> DossierState:
        """Return the dossier's current state, folded from its events.

        :raises NotFound: when the vault has no such dossier.
        """
        return fold(self.events(dossier_id))
