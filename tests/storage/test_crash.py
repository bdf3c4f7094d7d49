"""Crash safety: SIGKILL at random moments, and a full disk, never break or half-write the vault.

A forked child writes dossiers (each with a page), adds events, confirms some and now and then
rotates the vault key; it reports every dossier id whose save returned. The parent kills it at
a random moment, then checks the files: integrity, every reported dossier present, every event
with its outbox entry, every blob row with its file; every 20 kills it also unlocks the vault
and decrypts a sample, which fails if a rotation was left half done.
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import signal
import sqlite3
import time

import pytest

from core.clock import HybridClock
from core.events import EventType, make_event
from storage import StorageFull, Vault

KILLS = int(os.environ.get("SOHOA_KILLS", "200"))
READY = b"ready\n"


def _writer(data_dir, kit, report_fd: int) -> None:
    vault = Vault.open(data_dir, kdf_cost=kit.TEST_KDF_COST)
    session = vault.unlock(vault.officers()[0].id, kit.PIN)
    os.write(report_fd, READY)
    n = 0
    while True:
        n += 1
        pages = kit.pages_of(f"{os.getpid()}-{n}")
        events = kit.received_events(name=f"Người Thử {n}", pages=pages)
        session.dossiers.save(events, pages)
        os.write(report_fd, events[0].dossier_id.encode() + b"\n")
        if n % 3 == 0:
            session.outbox.mark_confirmed([events[0].id])
        if n % 4 == 0:
            started = make_event(
                events[0].dossier_id,
                EventType.PROCESSING_STARTED,
                {},
                clock=HybridClock("tablet-1"),
                device_id="tablet-1",
                officer_id="cb01",
                unit_code=kit.UNIT,
            )
            session.dossiers.append([started])
        if n % 10 == 0:
            session.rotate_vault_key()


def _check(data_dir, kit, reported: set[str]) -> int:
    db = sqlite3.connect(data_dir / "vault.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in db.execute("SELECT id FROM dossiers")}
        assert reported <= stored, "a committed dossier was lost"
        assert db.execute(
            "SELECT count(*) FROM events e LEFT JOIN outbox o ON o.event_id = e.id"
            " WHERE o.event_id IS NULL"
        ).fetchone() == (0,)
        assert db.execute(
            "SELECT count(*) FROM dossiers d WHERE NOT EXISTS"
            " (SELECT 1 FROM events e WHERE e.dossier_id = d.id)"
        ).fetchone() == (0,)
        files = [row[0] for row in db.execute("SELECT file FROM blobs")]
        assert all((data_dir / "blobs" / name).exists() for name in files)
        return len(stored)
    finally:
        db.close()


def _decrypt_sample(data_dir, kit, reported: set[str], rng: random.Random) -> None:
    vault = Vault.open(data_dir, kdf_cost=kit.TEST_KDF_COST)
    try:
        session = vault.unlock(vault.officers()[0].id, kit.PIN)
        for dossier_id in rng.sample(sorted(reported), min(10, len(reported))):
            for sha in session.dossiers.get(dossier_id).pages:
                assert session.blobs.read(sha)
        waiting = vault.db.execute(
            "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sent')"
        ).fetchone()[0]
        assert len(session.outbox.pending_events(limit=10**6)) == waiting
    finally:
        vault.close()


def test_sigkill_at_random_moments_keeps_every_transaction_whole(vault, data_dir, kit):
    vault.close()
    rng = random.Random(20260105)
    reported: set[str] = set()
    kills = 0
    while kills < KILLS:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: write until killed
            os.close(read_fd)
            try:
                _writer(data_dir, kit, write_fd)
            finally:
                os._exit(1)
        os.close(write_fd)
        received = b""
        while READY not in received:  # open + unlock done: from here on, it writes
            chunk = os.read(read_fd, 4096)
            assert chunk, "the writer died before it was ready"
            received += chunk
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        kills += 1
        with os.fdopen(read_fd, "rb") as pipe:
            received += pipe.read()
        reported |= {line.decode() for line in received.split(b"\n") if len(line) == 36}
        _check(data_dir, kit, reported)
        if kills % 20 == 0:
            _decrypt_sample(data_dir, kit, reported, rng)
    assert len(reported) > KILLS // 4  # the kills landed mid-work, not before any write
    # Finally, the vault opens, clears orphan blob files and decrypts everything.
    reopened = Vault.open(data_dir, kdf_cost=kit.TEST_KDF_COST)
    session = reopened.unlock(reopened.officers()[0].id, kit.PIN)
    referenced = {r["file"] for r in reopened.db.query("SELECT file FROM blobs")}
    assert {p.name for p in (data_dir / "blobs").iterdir()} == referenced
    for dossier_id in reported:
        state = session.dossiers.get(dossier_id)
        for sha in state.pages:
            assert len(session.blobs.read(sha)) > 0
    reopened.close()


def test_wal_cut_at_any_byte_opens_with_whole_transactions(vault, session, data_dir, kit, tmp_path):
    # A power cut can lose the WAL's unsynced tail at any byte; SQLite then keeps the frames up
    # to the last whole commit. Each cut must open cleanly with every dossier whole, and a
    # longer WAL can only hold more dossiers.
    vault.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the schema goes to the main file
    for n in range(30):
        pages = kit.pages_of(f"cut-{n}")
        session.dossiers.save(kit.received_events(name=f"Người Cắt {n}", pages=pages), pages)
    main = (data_dir / "vault.db").read_bytes()
    wal = (data_dir / "vault.db-wal").read_bytes()
    rng = random.Random(9)
    counts = []
    for cut in sorted({0, len(wal), *rng.sample(range(len(wal)), 40)}):
        copy = tmp_path / f"cut-{cut}"
        shutil.copytree(data_dir / "blobs", copy / "blobs")
        (copy / "vault.db").write_bytes(main)
        (copy / "vault.db-wal").write_bytes(wal[:cut])
        counts.append(_check(copy, kit, set()))
    assert counts == sorted(counts)
    assert counts[0] == 0 and counts[-1] == 30


@pytest.mark.parametrize("page_size", [400_000, 2_000])
def test_full_disk_fails_cleanly_and_loses_nothing(vault, session, data_dir, kit, page_size):
    kept_pages = kit.pages_of("kept")
    kept = kit.received_events(name="Đã Lưu Trước", pages=kept_pages)
    session.dossiers.save(kept, kept_pages)
    vault.close()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            opened = Vault.open(data_dir, kdf_cost=kit.TEST_KDF_COST)
            child = opened.unlock(opened.officers()[0].id, kit.PIN)
            size = max(p.stat().st_size for p in data_dir.rglob("*") if p.is_file())
            resource.setrlimit(resource.RLIMIT_FSIZE, (size + 64 * 1024, resource.RLIM_INFINITY))
            for n in range(2000):
                data = kit.page_bytes(f"full-{n}", size=page_size)
                pages = {hashlib.sha256(data).hexdigest(): data}
                child.dossiers.save(kit.received_events(pages=pages), pages)
            code = 2
        except StorageFull:
            code = 0
        finally:
            os.write(write_fd, str(code).encode())
            os._exit(code)
    os.close(write_fd)
    os.waitpid(pid, 0)
    with os.fdopen(read_fd, "rb") as pipe:
        assert pipe.read() == b"0", "the child did not meet a clean StorageFull"
    # Space is back (the limit died with the child): nothing saved is lost, writing works.
    reopened = Vault.open(data_dir, kdf_cost=kit.TEST_KDF_COST)
    assert not [p for p in (data_dir / "blobs").iterdir() if p.name.endswith(".tmp")]
    again = reopened.unlock(reopened.officers()[0].id, kit.PIN)
    assert again.dossiers.get(kept[0].dossier_id).pages == frozenset(kept_pages)
    assert again.blobs.read(next(iter(kept_pages))) == next(iter(kept_pages.values()))
    assert reopened.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again.dossiers.save(kit.received_events(name="Sau Khi Trống"))
    assert again.dossiers.find_by_name("sau khi trong")
    reopened.close()
