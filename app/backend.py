"""What the officer app needs from the layers below, for one process: vault, catalogue, link.

The vault's SQLite connection belongs to one thread, so every vault call goes through
`Backend.vault_thread`, a single worker; Pillow work runs on other threads.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import httpx

from app.desk import Desk
from app.errors import NotEnrolled
from app.i18n import Translator
from app.state.home import LinkState
from app.syncing import SyncWorker
from core.calendar import TIMEZONE, WorkCalendar, default_calendar
from core.catalogue import Catalogue, CatalogueHistory, fee_for, load_history
from core.settings import Settings
from storage import CatalogueCache, Vault
from storage.errors import VaultNotFound
from sync.runtime import DeviceRuntime

__all__ = ["Backend", "HEALTH_PATH"]

HEALTH_PATH = "/healthz"
HEALTH_TIMEOUT_SECONDS = 2.0
ENROL_TIMEOUT_SECONDS = 30.0


class Backend:
    """The device side of one app process: settings, data dir, vault and the city link.

    ``backend = Backend(Path("var/device"), load_settings()); desk = backend.unlock(id, pin)``
    """

    def __init__(
        self,
        data_dir: Path,
        settings: Settings,
        *,
        upload_dir: Path | None = None,
        vault_options: dict | None = None,
    ):
        self.data_dir = Path(data_dir)
        self.vault_options = vault_options or {}
        self.settings = settings
        self.upload_dir = Path(upload_dir or self.data_dir / "uploads")
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        for leftover in self.upload_dir.iterdir():  # photos of a crashed run: no plaintext stays
            leftover.unlink()
        self.vault_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vault")
        self._vault: Vault | None = None
        self._offline_since: datetime | None = None
        self._last_sync: datetime | None = None
        self._published: CatalogueCache | None = None

    @property
    def vault(self) -> Vault:
        """The device vault, opened on first use (call from `vault_thread` only).

        :raises NotEnrolled: when this device has no vault yet.
        """
        if self._vault is None:
            try:
                self._vault = Vault.open(self.data_dir, **self.vault_options)
            except VaultNotFound as exc:
                raise NotEnrolled(
                    "Thiết bị chưa được đăng ký với máy chủ thành phố",
                    "This device is not enrolled with the city server yet",
                ) from exc
        return self._vault

    @property
    def enrolled(self) -> bool:
        """Whether this device holds a vault."""
        try:
            return self.vault is not None
        except NotEnrolled:
            return False

    @property
    def catalogue(self) -> Catalogue:
        """The catalogue in force today: shipped, or a newer version the city published.

        Callable from any thread: the published versions are read on a connection of their own
        and replayed again only when a sync run (or enrolment) stored a new one.
        """
        return self._catalogue_history().today()

    def catalogue_of(self, version: str) -> Catalogue:
        """The catalogue a dossier was received under; today's if this device lacks its version."""
        history = self._catalogue_history()
        return history.version(version) if version in history else self.catalogue

    @property
    def calendar(self) -> WorkCalendar:
        """The working-day calendar: shipped yearly tables, with those the city published on top.

        Callable from any thread, and rebuilt only when a sync run (or enrolment) stored a new one.
        """
        published = self._published_cache()
        return published.calendar() if published is not None else default_calendar()

    def _catalogue_history(self) -> CatalogueHistory:
        published = self._published_cache()
        return published.history() if published is not None else load_history()

    def _published_cache(self) -> CatalogueCache | None:
        if self._published is None:
            self._published = CatalogueCache.reader(self.data_dir)
        return self._published

    def fee_for(self, procedure, *, pages: int = 0) -> int:
        """The fee in VND for `procedure` (core's rule)."""
        return fee_for(procedure, pages=pages)

    def procedure_facts(self, procedure, tr: Translator) -> str:
        """One line about a procedure: time limit, fee and how many components."""
        days = procedure.processing.working_days
        limit = tr("procedure.same_day") if days == 0 else tr("procedure.days", n=days)
        fee = fee_for(procedure)
        fee_text = tr("procedure.free") if fee == 0 else f"{fee:,} đ".replace(",", ".")
        return f"{limit} · {fee_text} · {tr('procedure.components', n=len(procedure.components))}"

    def officers(self) -> list:
        """The officers who can unlock this device (storage.Officer)."""
        return self.vault.officers()

    def unlock(self, officer_id: str, pin: str) -> Desk:
        """Open a session for one officer; the sync thread's session shares its keys.

        :raises storage.errors.UnlockRefused: wrong PIN, throttled, or slot wiped.
        """
        session = self.vault.unlock(officer_id, pin)
        try:
            worker = SyncWorker(self.data_dir, session, **self.vault_options)
        except BaseException:
            session.lock()
            raise
        name = next(o.name for o in self.vault.officers() if o.id == officer_id)
        return Desk(self, session, worker, officer_name=name)

    def enrol(self, server_url: str, code: str, officer_name: str, pin: str) -> None:
        """Enrol this device with the city server and create its vault with a first officer.

        :raises sync.errors.SyncError: the server refused the code or could not be reached.
        :raises storage.errors.VaultError: a vault already exists, or the PIN is too weak.
        """
        with httpx.Client(base_url=server_url, timeout=ENROL_TIMEOUT_SECONDS) as http:
            runtime = DeviceRuntime.enrol(
                self.data_dir, http, code, pin, officer_name=officer_name, **self.vault_options
            )
        runtime.close()

    def move_server(self, desk: Desk, server_url: str) -> str:
        """Point the device at the city server's new address, once that server knows it.

        Runs on the sync thread (the check is a network round trip), not the vault thread.

        :raises sync.errors.UnknownDevice: the server there does not know this device.
        :raises sync.errors.Offline: nobody answers there.
        """
        identity = desk.worker.move_to(server_url)
        self.settings = replace(self.settings, server_url=identity.server_url)
        return identity.server_url

    def wipe(self) -> None:
        """Crypto-shred this device's vault (after the officer confirmed twice)."""
        self._close_published()
        self.vault.wipe()
        self._vault = None

    def link_state(self, desk: Desk | None) -> LinkState:
        """Ask the city server whether it answers, and report the sync progress."""
        server_url = desk.identity.server_url if desk is not None else self.settings.server_url
        try:
            response = httpx.get(server_url + HEALTH_PATH, timeout=HEALTH_TIMEOUT_SECONDS)
            online = response.status_code == 200
        except httpx.HTTPError:
            online = False
        now = datetime.now(TIMEZONE)
        if online:
            self._offline_since = None
        elif self._offline_since is None:
            self._offline_since = now
        syncing = desk.sync_snapshot() if desk is not None else None
        if syncing is not None and syncing.last_success:
            self._last_sync = datetime.fromtimestamp(syncing.last_success, TIMEZONE)
        pending = 0 if syncing is None else syncing.items_queued - syncing.items_confirmed
        return LinkState(
            online=online,
            since=self._offline_since,
            syncing=pending > 0 and online,
            items_left=max(0, pending),
            fraction=None,
            last_sync=self._last_sync,
        )

    def close(self) -> None:
        """Close the vault and stop the vault thread."""
        self._close_published()
        if self._vault is not None:
            self.vault_thread.submit(self._vault.close).result()
        self.vault_thread.shutdown(wait=True)

    def _close_published(self) -> None:
        if self._published is not None:
            self._published.close()
            self._published = None
