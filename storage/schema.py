"""The vault database: connection settings, migrations and disk-error translation.

Plaintext columns hold only what search and lists need and what the residual-leakage note
accepts (ids, codes, status, dates, states, counters); everything personal is in ``*_box``
columns (AES-256-GCM) or files under ``blobs/``.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.errors import ForeignVault, StorageFull

__all__ = [
    "DB_NAME",
    "MIGRATIONS",
    "VaultDatabase",
    "flush_deleted",
    "guard_disk",
    "open_database",
]

DB_NAME = "vault.db"
MIGRATIONS = Migrations("sohoa-vault")
# The sync thread's connection writes while the officer works; on a cheap tablet's flash under
# load a commit (synchronous=FULL) can take seconds, and waiting beats failing the officer's step.
BUSY_TIMEOUT_MS = 15_000
_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


class VaultDatabase(Database):
    """A sqlite-utils database whose transactions take the write lock as they begin.

    The vault has two connections (the officer's and the sync thread's). A deferred transaction
    that reads, then writes after the other connection committed, fails at once with "database
    is locked": its snapshot is stale, so SQLite cannot wait. ``BEGIN IMMEDIATE`` makes the
    second writer wait its turn (``busy_timeout``) before it reads anything.
    """

    @contextlib.contextmanager
    def atomic(self) -> Iterator[VaultDatabase]:
        """Run the block in one transaction; nested blocks become savepoints."""
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        self.conn.execute("COMMIT")


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    """Create every table of the first vault format."""
    db.executescript(
        """
        CREATE TABLE vault (
            id INTEGER PRIMARY KEY CHECK (id = 1), vault_id TEXT NOT NULL,
            unit_code TEXT NOT NULL, created_ms INTEGER NOT NULL, device_check BLOB NOT NULL,
            generation INTEGER NOT NULL, wrapped_root BLOB,
            recovery_public BLOB, recovery_sealed BLOB);
        CREATE TABLE slots (
            officer_id TEXT PRIMARY KEY, name_box BLOB NOT NULL, salt BLOB NOT NULL,
            cost INTEGER NOT NULL, public_key BLOB NOT NULL, wrapped_private BLOB NOT NULL,
            sealed_vault_key BLOB NOT NULL, failures INTEGER NOT NULL DEFAULT 0,
            not_before_ms INTEGER NOT NULL DEFAULT 0, wiped INTEGER NOT NULL DEFAULT 0,
            created_ms INTEGER NOT NULL);
        CREATE TABLE dossiers (
            id TEXT PRIMARY KEY, wrapped_key BLOB NOT NULL, code TEXT, status TEXT NOT NULL,
            received_at TEXT, due_at TEXT, summary_box BLOB NOT NULL);
        CREATE INDEX dossiers_list ON dossiers (received_at, id, status, due_at);
        CREATE INDEX dossiers_code ON dossiers (code);
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, dossier_id TEXT NOT NULL,
            body_box BLOB NOT NULL);
        CREATE INDEX events_dossier ON events (dossier_id, seq);
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE,
            dossier_id TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0, reason_box BLOB);
        CREATE INDEX outbox_state ON outbox (state, seq);
        CREATE INDEX outbox_dossier ON outbox (dossier_id, state);
        CREATE TABLE blobs (
            ref TEXT PRIMARY KEY, file TEXT NOT NULL UNIQUE, wrapped_key BLOB NOT NULL,
            hash_box BLOB NOT NULL, size INTEGER NOT NULL, state TEXT NOT NULL);
        CREATE INDEX blobs_state ON blobs (state);
        CREATE TABLE search (
            kind TEXT NOT NULL, token INTEGER NOT NULL, received_at TEXT NOT NULL,
            dossier_id TEXT NOT NULL,
            PRIMARY KEY (kind, token, received_at, dossier_id)) WITHOUT ROWID;
        CREATE INDEX search_dossier ON search (dossier_id);
        CREATE TABLE kv (ref TEXT PRIMARY KEY, value_box BLOB NOT NULL);
        CREATE TABLE catalogue (
            version TEXT PRIMARY KEY, body BLOB NOT NULL, stored_ms INTEGER NOT NULL);
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, officer_id TEXT NOT NULL,
            action TEXT NOT NULL, dossier_id TEXT, detail_box BLOB, mac BLOB NOT NULL);
        """
    )


def _unsynced_flag(dossier_id: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM outbox o"
        f" WHERE o.dossier_id = {dossier_id} AND o.state != 'confirmed')"
    )


def _refresh_unsynced(dossier_id: str) -> str:
    # Only a changed flag is written: a dossier row carries its summary box, and the flag
    # rarely changes (first event of a dossier, last one confirmed).
    flag = _unsynced_flag(dossier_id)
    return f"UPDATE dossiers SET unsynced = {flag} WHERE id = {dossier_id} AND unsynced != {flag};"


@MIGRATIONS()
def m002_list_indexes(db: Database) -> None:
    """Index what the home figures and list filters ask for, with an unsynced flag per dossier.

    ``unsynced`` (1 while any of the dossier's outbox events is not confirmed) is kept right by
    triggers, whatever writes the outbox, so no list or count has to look into the outbox.
    """
    db.executescript(
        f"""
        ALTER TABLE dossiers ADD COLUMN unsynced INTEGER NOT NULL DEFAULT 0;
        UPDATE dossiers SET unsynced = 1
        WHERE id IN (SELECT dossier_id FROM outbox WHERE state != 'confirmed');
        CREATE INDEX dossiers_due ON dossiers (status, due_at, id);
        CREATE INDEX dossiers_status ON dossiers (status, received_at, id, due_at);
        CREATE INDEX dossiers_unsynced ON dossiers (received_at, id, unsynced) WHERE unsynced = 1;
        CREATE TRIGGER outbox_added AFTER INSERT ON outbox
        BEGIN {_refresh_unsynced("NEW.dossier_id")} END;
        CREATE TRIGGER outbox_moved AFTER UPDATE OF state ON outbox WHEN OLD.state != NEW.state
        BEGIN {_refresh_unsynced("NEW.dossier_id")} END;
        CREATE TRIGGER outbox_removed AFTER DELETE ON outbox
        BEGIN {_refresh_unsynced("OLD.dossier_id")} END;
        """
    )


@MIGRATIONS()
def m003_publication_kinds(db: Database) -> None:
    """Let the catalogue table hold calendar publications too, keyed by kind and version."""
    db.executescript(
        """
        CREATE TABLE catalogue_kinds (
            kind TEXT NOT NULL, version TEXT NOT NULL, body BLOB NOT NULL,
            stored_ms INTEGER NOT NULL, PRIMARY KEY (kind, version));
        INSERT INTO catalogue_kinds (kind, version, body, stored_ms)
        SELECT 'catalogue', version, body, stored_ms FROM catalogue;
        DROP TABLE catalogue;
        ALTER TABLE catalogue_kinds RENAME TO catalogue;
        """
    )


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in _FULL_ERRNOS
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        return "disk is full" in text or "disk I/O error" in text
    return False


@contextlib.contextmanager
def guard_disk() -> Iterator[None]:
    """Turn a full disk (or an exceeded file-size limit) into `StorageFull`."""
    try:
        yield
    except (OSError, sqlite3.OperationalError) as exc:
        if _is_disk_full(exc):
            raise StorageFull() from exc
        raise


def flush_deleted(db: Database) -> None:
    """Checkpoint and truncate the WAL, so deleted key material leaves the WAL file too.

    ``secure_delete`` zeroes deleted rows in the new page images, but older images of those
    pages stay in the WAL until it is checkpointed and reset.
    """
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def open_database(path: Path, *, create: bool = False) -> VaultDatabase:
    """Open (and migrate) the vault database with the settings crash safety depends on.

    WAL with ``synchronous=FULL`` keeps every committed transaction through a power cut;
    ``secure_delete`` overwrites deleted rows (old key slots, rotated keys); temporary tables
    and sort files stay in memory so nothing spills to a temp file. The connection may be used
    from any thread, one call at a time.

    :param create: make the tables in a new file; otherwise a database without them is refused
      untouched.
    :raises ForeignVault: when the file is not a SoHoa vault database.
    :raises StorageFull: when the disk is full while migrating.
    """
    db = VaultDatabase(sqlite3.connect(path, check_same_thread=False))
    try:
        with guard_disk():
            if not create and "vault" not in db.table_names():
                raise sqlite3.DatabaseError("no vault table")
            db.execute("PRAGMA secure_delete = ON")
            db.execute("PRAGMA temp_store = MEMORY")
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.enable_wal()
            db.execute("PRAGMA synchronous = FULL")
            MIGRATIONS.apply(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        if isinstance(exc, sqlite3.OperationalError) and _is_disk_full(exc):
            raise StorageFull() from exc
        raise ForeignVault(
            f"Tệp {path} không phải kho dữ liệu SoHoa ({exc})",
            f"File {path} is not a SoHoa vault ({exc})",
        ) from exc
    except StorageFull:
        db.close()
        raise
    return db
