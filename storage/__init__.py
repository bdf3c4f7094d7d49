"""The device vault: encrypted SQLite (sqlite-utils) and encrypted page blobs in one data dir.

Usage, in the order the app meets it::

    from storage import Vault

    vault = Vault.create(data_dir, unit_code="11311", officer_name="Nguyễn Văn An",
                         pin="12345678", recovery_public_key=city_x25519_pub)  # raw 32 bytes
    officer_id = vault.officers()[0].id
    vault = Vault.open(data_dir)                 # later runs; no PIN needed to list officers
    vault.officers()                             # -> [Officer(id, name, failures, locked)]
                                                 # names are under the device secret: readable
                                                 # on this device, not from a copied database
    session = vault.unlock(officer_id, pin)      # -> Session (keys live in memory only)
    twin = Vault.open(data_dir).share(session)   # the same keys over a second connection, for
                                                 # another thread (sync): no second Scrypt;
                                                 # locking either session locks both
    session.lock()                               # forget the keys; vault.unlock() again
    vault.unlock_with_recovery(city_x25519_private_key)   # forgotten-PIN admin flow
    vault.wipe()                                 # crypto-shred: device secret, slots, files;
                                                 # live sessions lose their keys
    vault.close()

On phones pass ``secret_store=`` an object with load/save/destroy backed by
flet-secure-storage (``storage.DeviceSecretStore``); the default is a 0600 file in the data dir.
A vault and its sessions share one SQLite connection: any thread may use them, but one call at
a time (the app serialises vault calls, e.g. on one worker thread).

    vault.catalogue.put(version, body_bytes)     # public data, readable while locked
    vault.catalogue.latest()                     # -> (version, body_bytes) | None

A ``Session`` (from ``vault.unlock``) does everything that needs the keys::

    session.officer_id
    session.add_officer(name, pin) -> officer_id
    session.remove_officer(officer_id)           # deletes the slot and rotates the vault key
    session.rotate_vault_key()                   # rewraps keys, not data
    with session.atomic(): ...                   # group several writes in one transaction
    session.change_pin(old_pin, new_pin)         # the unlocked officer's own PIN

    # dossiers: events from core.events, pages as {sha256 hex: bytes}; one transaction each,
    # together with the outbox entries of every event and blob
    session.dossiers.save(events, pages) -> DossierState      # a new dossier (RECEIVED first)
    session.dossiers.append(events, pages, local=True) -> DossierState
                                                 # local=False: events pulled from the server,
                                                 # stored without outbox entries
    session.dossiers.get(dossier_id) -> DossierState          # core.dossier.fold of its events
                                                 # (NotFound / TamperedData / DossierRejected)
    session.dossiers.events(dossier_id) -> list[Event]
    session.dossiers.find_by_cccd("001203004567") -> list[DossierSummary]
    session.dossiers.find_by_code("...") -> DossierSummary | None
    session.dossiers.find_by_name("nguyen van an", limit=50) -> list[DossierSummary]
    session.dossiers.list(status=None, due_before=None, overdue=False, unsynced=False,
                          after=None, limit=50) -> DossierPage(items, next_after)
                                                 # status: one or several; each filter walks
                                                 # an index newest first and stops at a page
    session.dossiers.count(status=None, due_before=None, overdue=False, unsynced=False,
                           received_since=None) -> int          # one index count
    session.dossiers.due_soonest(before, limit) -> list[DossierSummary]
                                                 # open dossiers due before `before`, soonest first
    # DossierSummary(id, code, status, procedure_code, applicant_name, applicant_cccd,
    #                received_at, due_at, unsynced)

    # outbox (what sync/ pushes)
    session.outbox.pending_events(limit=500) -> list[Event]   # in the order they were written
                                                 # (pending + sent-but-unanswered)
    session.outbox.pending_blobs() -> list[str]               # sha256 hex
    session.blobs.read(sha256) -> bytes          # page bytes, checked against the hash
    session.blobs.put(data) -> sha256            # pages pulled from the server (no outbox)
    session.outbox.mark_sent(event_ids) / mark_confirmed(event_ids)
    session.outbox.mark_blobs_confirmed(hashes)
    session.outbox.quarantine(event_id, reason)  # server rejected it; the queue goes on
    session.outbox.quarantined() -> list[QuarantinedEvent(event, reason)]
    session.outbox.retry(event_id)               # back to pending
    session.outbox.counts() -> {state: n}

    # small encrypted key-value store (JSON values): sync cursor, tus offsets, device identity
    session.kv.get(key, default=None) / .set(key, value) / .delete(key)
    session.device_key() -> Ed25519PrivateKey | None        # stored encrypted in the vault
    session.set_device_key(private_key)

    # audit log: who saw or changed what; HMAC-chained, details encrypted
    session.audit.record(action, dossier_id=None, detail=None)   # unlock/lock/officers: automatic
    session.audit.entries() -> list[AuditEntry]  # raises TamperedData when the chain is broken

Errors are ``storage.errors`` subclasses of ``VaultError`` (see that module's tree).
"""

from __future__ import annotations

from storage.audit import AuditEntry, AuditLog
from storage.blobs import BlobStore
from storage.catalogue import CatalogueCache
from storage.dossiers import Dossiers
from storage.errors import (
    DossierRejected,
    ForeignVault,
    NotFound,
    OfficerError,
    SlotWiped,
    StorageFull,
    TamperedData,
    UnlockRefused,
    UnlockThrottled,
    VaultError,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WrongPin,
)
from storage.keystore import DeviceSecretStore, FileSecretStore
from storage.kv import KeyValueStore
from storage.outbox import Outbox, QuarantinedEvent
from storage.search import DossierPage, DossierSearch, DossierSummary
from storage.session import Session
from storage.slots import Officer
from storage.vault import Vault

__all__ = [
    "AuditEntry",
    "AuditLog",
    "BlobStore",
    "CatalogueCache",
    "DeviceSecretStore",
    "DossierPage",
    "DossierRejected",
    "DossierSearch",
    "DossierSummary",
    "Dossiers",
    "FileSecretStore",
    "ForeignVault",
    "KeyValueStore",
    "NotFound",
    "Officer",
    "OfficerError",
    "Outbox",
    "QuarantinedEvent",
    "Session",
    "SlotWiped",
    "StorageFull",
    "TamperedData",
    "UnlockRefused",
    "UnlockThrottled",
    "Vault",
    "VaultError",
    "VaultExists",
    "VaultLocked",
    "VaultNotFound",
    "WrongPin",
]
