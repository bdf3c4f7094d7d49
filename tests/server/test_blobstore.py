"""FileBlobStore: content addressing, hash checks, sealing at rest, atomic writes."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

import pytest

import server.blobstore as blobstore
import server.blobstores as blobstores
from server.blobstore import (
    BlobCorrupt,
    BlobHashMismatch,
    BlobNotFound,
    BlobStore,
    FileBlobStore,
    InvalidBlobHash,
    parse_sha256,
)
from server.blobstores import BadBlobKey
from server.blobstores.files import SEGMENT, STALE_TEMP_SECONDS

KEY = bytes(range(32))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> FileBlobStore:
    return FileBlobStore(tmp_path / "blobs", KEY)


@pytest.mark.parametrize("module", [blobstore, blobstores])
def test_all_lists_exactly_the_public_names(module: object) -> None:
    public = {name for name in vars(module) if not name.startswith("_")}
    imported_modules = {"annotations", "errors", "files", "interface", "tus_headers", "uploads"}
    assert set(module.__all__) == public - imported_modules


def test_file_store_satisfies_the_interface(store: FileBlobStore) -> None:
    assert isinstance(store, BlobStore)


@pytest.mark.parametrize(
    "data", [b"", b"one page", secrets.token_bytes(SEGMENT), secrets.token_bytes(2 * SEGMENT + 7)]
)
def test_put_then_read_round_trips(store: FileBlobStore, data: bytes) -> None:
    name = digest(data)
    assert store.put(name, data) is True
    assert store.has(name)
    assert store.read(name) == data
    assert b"".join(store.stream(name)) == data


def test_put_from_a_file_path(store: FileBlobStore, tmp_path: Path) -> None:
    data = secrets.token_bytes(SEGMENT + 100)
    source = tmp_path / "page.jpg"
    source.write_bytes(data)
    assert store.put(digest(data), source)
    assert store.read(digest(data)) == data
    assert source.read_bytes() == data


def test_blob_lives_in_fan_out_directories(store: FileBlobStore, tmp_path: Path) -> None:
    name = digest(b"page")
    store.put(name, b"page")
    assert store.path_for(name) == tmp_path / "blobs" / name[:2] / name[2:4] / name
    assert store.path_for(name).is_file()


def test_blob_is_encrypted_at_rest(store: FileBlobStore) -> None:
    data = b"CCCD 001099012345 NGUYEN VAN A " * 100
    store.put(digest(data), data)
    on_disk = store.path_for(digest(data)).read_bytes()
    assert b"NGUYEN VAN A" not in on_disk
    assert len(on_disk) > len(data)


def test_same_plaintext_seals_differently_each_time(tmp_path: Path) -> None:
    first, second = FileBlobStore(tmp_path / "a", KEY), FileBlobStore(tmp_path / "b", KEY)
    name = digest(b"page")
    first.put(name, b"page")
    second.put(name, b"page")
    assert first.path_for(name).read_bytes() != second.path_for(name).read_bytes()


def test_put_with_a_wrong_hash_stores_nothing(store: FileBlobStore) -> None:
    claimed = digest(b"the real page")
    with pytest.raises(BlobHashMismatch) as caught:
        store.put(claimed, b"something else")
    assert caught.value.status == 460
    assert claimed in caught.value.message_en
    assert not store.has(claimed)
    assert list((store.directory / ".tmp").iterdir()) == []


def test_put_of_a_stored_blob_is_a_no_op(store: FileBlobStore) -> None:
    name = digest(b"page")
    assert store.put(name, b"page")
    before = store.path_for(name).read_bytes()
    assert store.put(name, b"page") is False
    assert store.path_for(name).read_bytes() == before


def test_missing_keeps_order_and_drops_repeats(store: FileBlobStore) -> None:
    stored, absent_a, absent_b = digest(b"a"), digest(b"b"), digest(b"c")
    store.put(stored, b"a")
    asked = [absent_b, stored, absent_a, absent_b.upper()]
    assert store.missing(asked) == [absent_b, absent_a]


def test_delete(store: FileBlobStore) -> None:
    name = digest(b"page")
    store.put(name, b"page")
    assert store.delete(name) is True
    assert not store.has(name)
    assert store.delete(name) is False


def test_reading_an_absent_blob_fails_at_once(store: FileBlobStore) -> None:
    with pytest.raises(BlobNotFound):
        store.stream(digest(b"never stored"))
    with pytest.raises(BlobNotFound) as caught:
        store.read(digest(b"never stored"))
    assert caught.value.status == 404


@pytest.mark.parametrize(
    "name", ["", "abc", "../" * 21 + "x", "g" * 64, digest(b"x") + "0", None, 12]
)
def test_bad_names_never_reach_the_filesystem(store: FileBlobStore, name: object) -> None:
    with pytest.raises(InvalidBlobHash) as caught:
        store.has(name)  # type: ignore[arg-type]
    assert caught.value.code == "invalid_sha256"


def test_upper_case_hex_is_folded() -> None:
    name = digest(b"x")
    assert parse_sha256(name.upper()) == name


def test_a_flipped_byte_is_detected(store: FileBlobStore) -> None:
    data = secrets.token_bytes(1000)
    store.put(digest(data), data)
    path = store.path_for(digest(data))
    sealed = bytearray(path.read_bytes())
    sealed[-20] ^= 1
    path.write_bytes(bytes(sealed))
    with pytest.raises(BlobCorrupt):
        store.read(digest(data))


def test_a_blob_moved_to_another_name_is_detected(store: FileBlobStore) -> None:
    store.put(digest(b"real"), b"real")
    other = store.path_for(digest(b"fake"))
    other.parent.mkdir(parents=True, exist_ok=True)
    os.replace(store.path_for(digest(b"real")), other)
    with pytest.raises(BlobCorrupt):
        store.read(digest(b"fake"))


def test_a_blob_cut_at_a_segment_boundary_is_detected(store: FileBlobStore) -> None:
    data = secrets.token_bytes(2 * SEGMENT + 10)
    store.put(digest(data), data)
    path = store.path_for(digest(data))
    sealed = path.read_bytes()
    path.write_bytes(sealed[: len(sealed) - (10 + 16)])
    with pytest.raises(BlobCorrupt):
        store.read(digest(data))


def test_another_key_cannot_read(store: FileBlobStore) -> None:
    store.put(digest(b"page"), b"page")
    thief = FileBlobStore(store.directory, secrets.token_bytes(32))
    with pytest.raises(BlobCorrupt) as caught:
        thief.read(digest(b"page"))
    assert "another key" in caught.value.message_en


@pytest.mark.parametrize("key", [b"", b"short", bytes(31), bytes(33), "x" * 32])
def test_key_must_be_32_bytes(tmp_path: Path, key: object) -> None:
    with pytest.raises(BadBlobKey):
        FileBlobStore(tmp_path, key)  # type: ignore[arg-type]


def test_stale_temp_files_from_a_crash_are_swept(tmp_path: Path) -> None:
    FileBlobStore(tmp_path, KEY)
    stale, fresh = tmp_path / ".tmp" / "stale", tmp_path / ".tmp" / "fresh"
    stale.write_bytes(b"half a blob")
    fresh.write_bytes(b"a put in progress")
    old = stale.stat().st_mtime - STALE_TEMP_SECONDS - 1
    os.utime(stale, (old, old))
    FileBlobStore(tmp_path, KEY)
    assert not stale.exists()
    assert fresh.exists()
