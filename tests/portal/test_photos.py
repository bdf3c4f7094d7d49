"""Citizens' photos through the scan pipeline: refused clearly, stored only when good."""

from __future__ import annotations

import hashlib

import pytest

from scan import process_photo
from server.portal import MAX_PHOTO_BYTES, NotAPhoto, PhotoTooLarge, RetakePhoto, store_photo
from server.portal.photos import check_photo_size


def test_sizes_are_checked_before_anything_is_sent():
    check_photo_size(MAX_PHOTO_BYTES)
    with pytest.raises(PhotoTooLarge) as refused:
        check_photo_size(MAX_PHOTO_BYTES + 1)
    assert "MB" in refused.value.message_vi and refused.value.limit == MAX_PHOTO_BYTES
    with pytest.raises(NotAPhoto):
        check_photo_size(0)


def test_a_good_photo_becomes_a_stored_page(context, sharp_photo):
    page = store_photo(context.blobs, sharp_photo)
    assert page.ok and context.blobs.has(page.sha256)
    assert hashlib.sha256(context.blobs.read(page.sha256)).hexdigest() == page.sha256


@pytest.mark.parametrize(
    "data", [b"", b"GIF89a not really", "ảnh".encode() * 100, b"\xff\xd8\xff\xe0 truncated"]
)
def test_files_that_are_not_photos_are_refused(context, data):
    with pytest.raises(NotAPhoto) as refused:
        store_photo(context.blobs, data)
    assert "JPEG, PNG hoặc WebP" in refused.value.message_vi


def test_a_blurred_photo_is_refused_with_the_reason_and_not_stored(context, blurred_photo):
    with pytest.raises(RetakePhoto) as refused:
        store_photo(context.blobs, blurred_photo)
    failed = {verdict["code"] for verdict in refused.value.verdicts}
    assert "blur" in failed
    assert "chụp lại" in refused.value.message_vi
    assert not context.blobs.has(process_photo(blurred_photo).sha256)


def test_a_small_limit_refuses_a_good_photo(context, sharp_photo):
    with pytest.raises(PhotoTooLarge):
        store_photo(context.blobs, sharp_photo, limit=len(sharp_photo) - 1)
