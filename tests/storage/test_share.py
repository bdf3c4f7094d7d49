"""Sharing one unlock's keys with a second connection (the sync thread), without a second KDF."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from storage import ForeignVault, Vault, VaultLocked, crypto


@pytest.fixture
def kdf_calls(monkeypatch) -> list[int]:
    """Count the PIN stretchings (the real Scrypt still runs)."""
    calls: list[int] = []
    real = crypto.pin_key

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(crypto, "pin_key", counting)
    return calls


@pytest.fixture
def twin(vault, data_dir, kit):
    """The same vault opened again on a second connection, as the sync thread does."""
    opened = Vault.open(data_dir, kdf_cost=kit.TEST_KDF_COST)
    yield opened
    opened.close()


def test_a_shared_session_works_on_its_own_connection_and_thread(session, twin, kit, kdf_calls):
    with ThreadPoolExecutor(max_workers=1) as other:
        shared = other.submit(twin.share, session).result()
        state = other.submit(shared.dossiers.save, kit.received_events()).result()
    assert kdf_calls == []
    assert shared.officer_id == session.officer_id
    assert session.dossiers.get(state.id).code == state.code
    assert [e.action for e in session.audit.entries()] == ["unlock"]


def test_locking_either_session_or_closing_either_vault_locks_both(vault, session, twin, kit):
    shared = twin.share(session)
    shared.lock()
    assert session.locked
    with pytest.raises(VaultLocked):
        session.kv.get("sync.cursor")
    again = vault.unlock(vault.officers()[0].id, kit.PIN)
    twin.share(again)
    twin.close()
    assert again.locked


def test_a_rotated_vault_key_reaches_the_shared_session(session, twin, kit):
    shared = twin.share(session)
    saved = session.dossiers.save(kit.received_events())
    session.rotate_vault_key()
    assert shared.dossiers.get(saved.id).code == saved.code
    assert shared.dossiers.save(kit.received_events()).code


def test_only_an_unlocked_session_of_the_same_vault_is_shared(session, twin, tmp_path, kit):
    other = Vault.create(
        tmp_path / "other",
        unit_code=kit.UNIT,
        officer_name="Lê Văn Khác",
        pin=kit.PIN,
        kdf_cost=kit.TEST_KDF_COST,
    )
    stranger = other.unlock(other.officers()[0].id, kit.PIN)
    with pytest.raises(ForeignVault) as foreign:
        twin.share(stranger)
    assert foreign.value.message("vi") and foreign.value.message("en")
    other.close()
    session.lock()
    with pytest.raises(VaultLocked):
        twin.share(session)


def test_a_write_after_a_read_waits_for_the_other_connection_instead_of_failing(session, twin):
    shared = twin.share(session)
    read_done = threading.Event()

    def read_then_write() -> None:
        with session.atomic():
            session.kv.get("sync.cursor")
            read_done.set()
            time.sleep(0.3)  # the sync thread tries to commit meanwhile
            session.kv.set("sync.cursor", 1)

    def write_when_read() -> None:
        read_done.wait()
        shared.kv.set("feed.cursor", 2)

    with ThreadPoolExecutor(max_workers=2) as threads:
        officer, sync = threads.submit(read_then_write), threads.submit(write_when_read)
        officer.result()
        sync.result()
    assert (session.kv.get("sync.cursor"), session.kv.get("feed.cursor")) == (1, 2)
