"""The app's process-wide backend: enrolment, unlock, link state, wipe."""

import pytest

from app.backend import Backend
from core.errors import SohoaError
from core.settings import Settings
from storage.errors import WrongPin

FAST = {"kdf_cost": 1 << 10}


def call(backend: Backend, fn, *args):
    return backend.vault_thread.submit(fn, *args).result()


@pytest.fixture
def backend(tmp_path, city):
    backend = Backend(tmp_path / "device", Settings(server_url=city.base_url), vault_options=FAST)
    yield backend
    backend.close()


def test_a_new_device_is_not_enrolled(backend):
    assert call(backend, lambda: backend.enrolled) is False


def test_a_wrong_enrolment_code_is_refused_and_creates_nothing(backend, city):
    with pytest.raises(SohoaError) as refused:
        call(backend, backend.enrol, city.base_url, "WRONG-CODE-1", "Lê Thị Hoa", "24681357")
    assert refused.value.message("vi") and refused.value.message("en")
    assert call(backend, lambda: backend.enrolled) is False


def test_enrol_then_unlock_and_wrong_pin(backend, city):
    code = city.admin.enrolment_code("11311")
    call(backend, backend.enrol, city.base_url, code, "Lê Thị Hoa", "24681357")
    (officer,) = call(backend, backend.officers)
    with pytest.raises(WrongPin) as wrong:
        call(backend, backend.unlock, officer.id, "11112222")
    assert "PIN" in wrong.value.message("vi")
    desk = call(backend, backend.unlock, officer.id, "24681357")
    assert desk.officer_name == "Lê Thị Hoa" and desk.identity.unit_code == "11311"
    call(backend, desk.lock)


def test_link_state_follows_the_server(backend, city, tmp_path):
    assert backend.link_state(None).online
    dead = Backend(tmp_path / "other", Settings(server_url="http://127.0.0.1:9"))
    try:
        first = dead.link_state(None)
        assert not first.online and first.since is not None
        assert dead.link_state(None).since == first.since  # offline *since* the first failure
    finally:
        dead.close()


def test_wipe_leaves_an_unenrolled_device(backend, city):
    code = city.admin.enrolment_code("11311")
    call(backend, backend.enrol, city.base_url, code, "Lê Thị Hoa", "24681357")
    call(backend, backend.wipe)
    assert call(backend, lambda: backend.enrolled) is False


def test_procedure_facts_in_both_languages(backend):
    from app.i18n import Translator

    birth = backend.catalogue.get("1.001193")
    assert backend.procedure_facts(birth, Translator("vi")).startswith("Trong ngày · Miễn phí")
    assert "components" in backend.procedure_facts(birth, Translator("en"))
