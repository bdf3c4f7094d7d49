"""A device data directory opened for syncing: vault session, identity, state, signed client.

The command line and the tests open a device the same way, so what the tests exercise is what
``sohoa device ...`` runs.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.clock import HybridClock, Timestamp
from storage import Session, Vault
from storage.errors import OfficerError
from sync.bundle import seal_bundle
from sync.chunking import ChunkPolicy
from sync.client import SyncClient
from sync.device import DeviceIdentity, load_identity, request_enrolment, store_identity
from sync.engine import HLC_LAST, SyncEngine
from sync.errors import ServerRefused, UnknownDevice
from sync.progress import Progress
from sync.signing import ServerClock, SigningAuth
from sync.state import STATE_FILE, SyncState

__all__ = ["CLOCK_OFFSET", "HLC_LAST", "DeviceRuntime", "unlock"]

CLOCK_OFFSET = "clock.offset"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
UNNEEDED_HEADERS = ("Accept", "Accept-Encoding", "Connection", "User-Agent")


def unlock(vault: Vault, pin: str, officer: str | None = None) -> Any:
    """Unlock `vault` for the officer named `officer` (or its only/first officer).

    :raises VaultError: (storage) wrong PIN, locked slot, unknown officer.
    """
    officers = vault.officers()
    chosen = next((o for o in officers if officer in (None, o.name, o.id)), None)
    if chosen is None:
        raise OfficerError(f"Không có cán bộ {officer!r}", f"No officer {officer!r}")
    return vault.unlock(chosen.id, pin)


@dataclass
class DeviceRuntime:
    """An unlocked, enrolled device: what a sync run needs, opened from its data directory.

    ::

        device = DeviceRuntime.open(data_dir, pin)
        engine = device.engine(device.http())
        engine.run_once()
        device.close()
    """

    data_dir: Path
    vault: Vault
    session: Any
    state: SyncState
    identity: DeviceIdentity
    key: Ed25519PrivateKey
    clock: ServerClock
    wiped: bool = field(default=False)

    @classmethod
    def open(
        cls,
        data_dir: Path | str,
        pin: str | Session,
        *,
        officer: str | None = None,
        **vault_options: Any,
    ) -> DeviceRuntime:
        """Open and unlock the vault in `data_dir` and load the device identity.

        :param pin: the officer's PIN, or a session of this vault already unlocked in this
          process: its keys are shared over this runtime's own connection (`Vault.share`), so
          the PIN is not stretched a second time.
        :raises NotEnrolled: the vault exists but the device was never enrolled.
        :raises VaultError: (storage) no vault, wrong PIN.
        """
        data_dir = Path(data_dir)
        vault = Vault.open(data_dir, **vault_options)
        try:
            session = vault.share(pin) if isinstance(pin, Session) else unlock(vault, pin, officer)
            identity, key = load_identity(session, str(data_dir))
        except BaseException:
            vault.close()
            raise
        state = SyncState.open(data_dir)
        clock = ServerClock(state.get(CLOCK_OFFSET, 0.0))
        return cls(data_dir, vault, session, state, identity, key, clock)

    @classmethod
    def enrol(
        cls,
        data_dir: Path | str,
        http: httpx.Client,
        code: str,
        pin: str,
        *,
        officer_name: str,
        label: str = "",
        **vault_options: Any,
    ) -> DeviceRuntime:
        """Enrol a new device with the server `http` points at and create its vault.

        :raises ServerRefused: the code is unknown, used or expired (nothing is created).
        :raises VaultExists: (storage) `data_dir` already holds a vault.
        """
        data_dir = Path(data_dir)
        identity, key, publications = request_enrolment(
            SyncClient(http), str(http.base_url), code, label
        )
        vault = Vault.create(
            data_dir,
            unit_code=identity.unit_code,
            officer_name=officer_name,
            pin=pin,
            recovery_public_key=base64.b64decode(identity.server_sealing_key),
            **vault_options,
        )
        session = unlock(vault, pin)
        store_identity(session, identity, key)
        device = cls(
            data_dir, vault, session, SyncState.open(data_dir), identity, key, ServerClock()
        )
        for publication in publications:
            device._store_publication(publication)
        return device

    def http(self, base_url: str | None = None, **options: Any) -> httpx.Client:
        """Return an httpx client that signs every request with the device key."""
        options.setdefault("timeout", DEFAULT_TIMEOUT)
        http = httpx.Client(
            base_url=base_url or self.identity.server_url,
            auth=SigningAuth(self.key, self.identity.device_id, self.clock),
            **options,
        )
        # On 2G every header byte is paid for on every page; the server needs none of these.
        for name in UNNEEDED_HEADERS:
            http.headers.pop(name, None)
        return http

    def engine(
        self,
        http: httpx.Client,
        *,
        progress: Progress | None = None,
        policy: ChunkPolicy | None = None,
        workers: int | None = None,
    ) -> SyncEngine:
        """Return a sync engine for this device over `http` (injected, e.g. through a proxy)."""
        extra = {} if workers is None else {"workers": workers}
        return SyncEngine(
            self.session,
            SyncClient(http),
            self.state,
            self.identity,
            on_wipe=self.wipe,
            on_publication=self._store_publication,
            progress=progress,
            policy=policy,
            **extra,
        )

    def hybrid_clock(self) -> HybridClock:
        """Return the device's hybrid clock, driven by the server-corrected time."""
        last = self.state.get(HLC_LAST)
        return HybridClock(
            self.identity.device_id,
            now_ms=self.clock.now_ms,
            last=Timestamp.decode(last) if last else None,
        )

    def remember(self, clock: HybridClock) -> None:
        """Save the clock offset and the last hybrid-clock reading, so neither goes back."""
        self.state.set(CLOCK_OFFSET, self.clock.offset)
        saved = self.state.get(HLC_LAST)
        if saved is None or Timestamp.decode(saved) < clock.last:
            self.state.set(HLC_LAST, clock.last.encode())

    def export_bundle(self, limit: int = 100_000) -> tuple[bytes, int, int]:
        """Seal every unconfirmed event and page into an offline bundle.

        :returns: the bundle bytes, the number of events and the number of pages in it.
        """
        events = self.session.outbox.pending_events(limit=limit)
        blobs = {sha: self.session.blobs.read(sha) for sha in self.session.outbox.pending_blobs()}
        data = seal_bundle(
            events,
            blobs,
            device_id=self.identity.device_id,
            device_key=self.key,
            city_public_key=self.identity.sealing_key(),
        )
        return data, len(events), len(blobs)

    def _store_publication(self, publication: dict[str, Any]) -> None:
        # Stored as sent; a bad body is skipped when the catalogue or the calendar is built.
        kind = publication.get("kind")
        if kind in ("catalogue", "calendar") and isinstance(publication.get("version"), str):
            body = json.dumps(publication.get("body"), ensure_ascii=False).encode()
            self.vault.catalogue.put(publication["version"], body, kind=kind)

    def wipe(self) -> None:
        """Crypto-shred the vault (a signed wipe command from the city) and drop the sync state."""
        self.wiped = True
        self.state.close()
        self.vault.wipe()
        for suffix in ("", "-wal", "-shm"):
            (self.data_dir / (STATE_FILE + suffix)).unlink(missing_ok=True)

    def move_to(self, server_url: str) -> DeviceIdentity:
        """Point this device at the city server's new address, once that server knows it.

        The check is a signed round trip: only the city this device enrolled with holds its key,
        so a wrong or look-alike address is refused before anything is sent there.

        :raises UnknownDevice: the server at `server_url` does not know this device.
        :raises Offline: the server at `server_url` could not be reached.
        """
        server_url = server_url.strip().rstrip("/")
        with self.http(server_url) as http:
            try:
                record = SyncClient(http).whoami()
            except ServerRefused as error:
                raise UnknownDevice(server_url) from error
        if record.get("device_id") != self.identity.device_id:
            raise UnknownDevice(server_url)
        self.identity = replace(self.identity, server_url=server_url)
        store_identity(self.session, self.identity, self.key)
        return self.identity

    def close(self) -> None:
        """Save the clock offset, lock the session and close the files."""
        if self.wiped:
            return
        self.state.set(CLOCK_OFFSET, self.clock.offset)
        self.session.lock()
        self.state.close()
        self.vault.close()
