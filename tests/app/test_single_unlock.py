"""One unlock, one PIN stretching: the sync thread's session shares the officer's keys."""

from __future__ import annotations

import threading

import pytest

from app.backend import Backend
from core.settings import Settings
from storage import WrongPin, crypto

PIN = "24681357"


@pytest.fixture
def backend(tmp_path, city):
    backend = Backend(
        tmp_path / "device", Settings(server_url=city.base_url), vault_options={"kdf_cost": 1 << 10}
    )
    code = city.admin.enrolment_code("11311")
    backend.vault_thread.submit(backend.enrol, city.base_url, code, "Lê Thị Hoa", PIN).result()
    yield backend
    backend.close()


@pytest.fixture
def kdf_calls(monkeypatch) -> list[str]:
    """The threads that stretched a PIN (the real Scrypt still runs)."""
    calls: list[str] = []
    real = crypto.pin_key

    def counting(*args, **kwargs):
        calls.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(crypto, "pin_key", counting)
    return calls


def call(backend: Backend, fn, *args):
    return backend.vault_thread.submit(fn, *args).result()


def test_unlock_stretches_the_pin_once_and_sync_still_runs(backend, kdf_calls):
    (officer,) = call(backend, backend.officers)
    desk = call(backend, backend.unlock, officer.id, PIN)
    assert len(kdf_calls) == 1 and kdf_calls[0].startswith("vault")
    report = desk.sync_now()  # on the sync thread, over the sync session's own connection
    assert report.events_confirmed == 0
    call(backend, desk.lock)
    assert desk.session.locked
    with pytest.raises(RuntimeError):  # the sync thread is gone with its session
        desk.sync_now()
    again = call(backend, backend.vault.unlock, officer.id, PIN)
    actions = [e.action for e in call(backend, again.audit.entries)]
    # enrolment's unlock and lock, then this desk's single unlock and lock, then `again`
    assert actions == ["unlock", "lock", "unlock", "lock", "unlock"]
    call(backend, again.lock)


def test_a_wrong_pin_opens_no_sync_session(backend, kdf_calls):
    (officer,) = call(backend, backend.officers)
    with pytest.raises(WrongPin):
        call(backend, backend.unlock, officer.id, "11112222")
    assert len(kdf_calls) == 1
    (officer,) = call(backend, backend.officers)
    assert officer.failures == 1
