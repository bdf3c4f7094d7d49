"""Creating, opening, unlocking, recovering and wiping a vault."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

import storage
from storage import (
    FileSecretStore,
    ForeignVault,
    OfficerError,
    TamperedData,
    Vault,
    VaultError,
    VaultExists,
    VaultLocked,
    VaultNotFound,
)
from storage.crypto import public_bytes


def test_exports_match_public_names():
    public = {n for n in vars(storage) if not n.startswith("_") and n[0].isupper()}
    assert set(storage.__all__) == public


def test_create_refuses_an_existing_vault(vault, data_dir, kit):
    with pytest.raises(VaultExists):
        Vault.create(
            data_dir, unit_code=kit.UNIT, officer_name="X", pin=kit.PIN, kdf_cost=kit.TEST_KDF_COST
        )


def test_create_refuses_a_short_pin_and_leaves_nothing(tmp_path, kit):
    with pytest.raises(OfficerError):
        Vault.create(tmp_path / "v", unit_code=kit.UNIT, officer_name="An", pin="123")
    assert not (tmp_path / "v" / "vault.db").exists()
    assert not (tmp_path / "v" / "device.secret").exists()


def test_open_lists_officers_and_unlocks(vault, data_dir, clock, kit):
    vault.close()
    reopened = Vault.open(data_dir, kdf_cost=kit.TEST_KDF_COST, clock=clock)
    [officer] = reopened.officers()
    assert officer.name == "Trần Thị Bình"
    session = reopened.unlock(officer.id, kit.PIN)
    assert session.officer_id == officer.id
    reopened.close()


def test_every_file_is_owner_only(vault, session, data_dir, kit):
    pages = kit.pages_of("mode")
    session.dossiers.save(kit.received_events(pages=pages), pages)
    paths = [data_dir, *data_dir.rglob("*")]
    assert {p.name for p in paths} >= {"device.secret", "vault.db", "vault.db-wal", "blobs"}
    assert [p.name for p in paths if p.stat().st_mode & 0o077] == []


def test_open_missing_vault(tmp_path):
    with pytest.raises(VaultNotFound):
        Vault.open(tmp_path / "nothing")


def test_open_with_another_device_secret_is_foreign(vault, data_dir, tmp_path):
    vault.close()
    other = FileSecretStore(tmp_path / "other.secret")
    other.save(b"\x01" * 32)
    with pytest.raises(ForeignVault):
        Vault.open(data_dir, secret_store=other)


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    data_dir = tmp_path / "v"
    data_dir.mkdir()
    other = sqlite3.connect(data_dir / "vault.db")
    other.execute("CREATE TABLE notes (body TEXT)")
    other.commit()
    other.close()
    before = (data_dir / "vault.db").read_bytes()
    FileSecretStore(data_dir / "device.secret").save(b"\x03" * 32)
    with pytest.raises(ForeignVault):
        Vault.open(data_dir)
    assert (data_dir / "vault.db").read_bytes() == before


def test_open_a_file_that_is_not_a_database(tmp_path):
    data_dir = tmp_path / "v"
    data_dir.mkdir()
    (data_dir / "vault.db").write_bytes(b"this is not sqlite" * 100)
    FileSecretStore(data_dir / "device.secret").save(b"\x02" * 32)
    with pytest.raises(ForeignVault):
        Vault.open(data_dir)


def test_lock_forgets_keys(session):
    session.lock()
    assert session.locked
    with pytest.raises(VaultLocked):
        session.dossiers.find_by_cccd("001203004567")
    with pytest.raises(VaultLocked):
        session.kv.get("sync.cursor")


def test_recovery_key_opens_the_vault_after_rotation(tmp_path, clock, kit):
    city = X25519PrivateKey.generate()
    vault = Vault.create(
        tmp_path / "v",
        unit_code=kit.UNIT,
        officer_name="Lê Văn Cường",
        pin=kit.PIN,
        recovery_public_key=public_bytes(city),
        kdf_cost=kit.TEST_KDF_COST,
        clock=clock,
    )
    session = vault.unlock(vault.officers()[0].id, kit.PIN)
    pages = kit.pages_of("recovery")
    events = kit.received_events(pages=pages)
    session.dossiers.save(events, pages)
    session.rotate_vault_key()
    recovered = vault.unlock_with_recovery(city)
    assert recovered.dossiers.get(events[0].dossier_id).code == events[0].payload["code"]
    with pytest.raises(TamperedData):
        vault.unlock_with_recovery(X25519PrivateKey.generate())
    vault.close()


def test_vault_without_recovery_slot_refuses_recovery(vault):
    with pytest.raises(VaultNotFound):
        vault.unlock_with_recovery(X25519PrivateKey.generate())


def test_wipe_destroys_secret_slots_and_files(vault, session, data_dir, kit):
    pages = kit.pages_of("wipe")
    session.dossiers.save(kit.received_events(pages=pages), pages)
    slot_material = [
        row
        for row in sqlite3.connect(data_dir / "vault.db").execute(
            "SELECT wrapped_private, sealed_vault_key FROM slots"
        )
    ]
    vault.wipe()
    assert session.locked
    with pytest.raises(VaultLocked):
        session.kv.get("sync.cursor")
    assert not (data_dir / "device.secret").exists()
    leftover = kit.all_bytes(data_dir)
    for wrapped, sealed in slot_material:
        assert wrapped not in leftover and sealed not in leftover
    with pytest.raises(VaultNotFound):
        Vault.open(data_dir)


def test_catalogue_cache_is_readable_while_locked(vault):
    assert vault.catalogue.latest() is None
    vault.catalogue.put("2025.12", b'{"procedures": []}')
    vault.catalogue.put("2026.01", b'{"procedures": [1]}')
    assert vault.catalogue.latest() == ("2026.01", b'{"procedures": [1]}')
    assert set(vault.catalogue.versions()) == {"2025.12", "2026.01"}


class KeychainLike:
    """A device secret store shaped like flet-secure-storage: a key-value map, nothing on disk."""

    def __init__(self) -> None:
        self.values: dict[str, bytes] = {}

    def load(self) -> bytes | None:
        return self.values.get("sohoa.device_secret")

    def save(self, secret: bytes) -> None:
        self.values.setdefault("sohoa.device_secret", secret)

    def destroy(self) -> None:
        self.values.pop("sohoa.device_secret", None)


def test_platform_keystore_keeps_the_secret_off_the_data_dir(tmp_path, kit):
    keychain = KeychainLike()
    vault = Vault.create(
        tmp_path / "v",
        unit_code=kit.UNIT,
        officer_name="Lê Văn Cường",
        pin=kit.PIN,
        secret_store=keychain,
        kdf_cost=kit.TEST_KDF_COST,
    )
    vault.close()
    assert not (tmp_path / "v" / "device.secret").exists()
    secret = keychain.load()
    assert secret not in kit.all_bytes(tmp_path / "v")
    with pytest.raises(VaultNotFound):
        Vault.open(tmp_path / "v")  # without the keystore the vault is not there
    reopened = Vault.open(tmp_path / "v", secret_store=keychain, kdf_cost=kit.TEST_KDF_COST)
    reopened.wipe()
    assert keychain.load() is None


def test_file_secret_store_refuses_overwrite_and_corruption(tmp_path):
    store = FileSecretStore(tmp_path / "device.secret")
    assert store.load() is None
    store.save(b"\x05" * 32)
    with pytest.raises(VaultError):
        store.save(b"\x06" * 32)
    assert store.load() == b"\x05" * 32
    (tmp_path / "device.secret").write_bytes(b"short")
    with pytest.raises(VaultError):
        store.load()
    store.destroy()
    assert store.load() is None


def test_session_can_be_used_from_another_thread(session, kit):
    events = kit.received_events()
    with ThreadPoolExecutor(max_workers=1) as pool:
        state = pool.submit(session.dossiers.save, events).result()
    assert session.dossiers.get(state.id).code == state.code
