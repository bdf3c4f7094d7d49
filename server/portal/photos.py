"""Turn a citizen's phone photo into a stored page: size check, scan pipeline, quality verdicts.

The same pipeline and verdicts as at the counter: a blurred, dark or glaring photo is refused with
the reasons so the citizen retakes it, and only a good page reaches the blob store.
"""

from __future__ import annotations

from scan import ImageTooLarge, PageResult, UnreadableImage, process_photo
from server.blobstores import BlobStore
from server.portal.errors import NotAPhoto, PhotoTooLarge, RetakePhoto

__all__ = ["MAX_PHOTO_BYTES", "check_photo_size", "store_photo"]

# Phone cameras write 2–8 MB JPEGs; 15 MB leaves room for 50 MP sensors and refuses videos.
MAX_PHOTO_BYTES = 15_000_000
# A duplicate is only a warning at the counter too; the citizen may photograph two copies.
_WARNINGS_ONLY = {"duplicate"}


def check_photo_size(size: int, limit: int = MAX_PHOTO_BYTES) -> None:
    """Refuse a file before it is sent when its size alone rules it out.

    :raises PhotoTooLarge: `size` exceeds `limit`
    :raises NotAPhoto: the file is empty
    """
    if size > limit:
        raise PhotoTooLarge(size, limit)
    if size <= 0:
        raise NotAPhoto()


def store_photo(blobs: BlobStore, data: bytes, limit: int = MAX_PHOTO_BYTES) -> PageResult:
    """Scan `data` into a page, refuse it unless every quality check passes, then store it.

    :raises PhotoTooLarge: more than `limit` bytes
    :raises NotAPhoto: not a photo the pipeline can read
    :raises RetakePhoto: blurred, too dark, glaring or too small; the verdicts say which
    """
    check_photo_size(len(data), limit)
    try:
        page = process_photo(data)
    except (UnreadableImage, ImageTooLarge) as exc:
        raise NotAPhoto() from exc
    failed = [v for v in page.quality if not v["ok"] and v["code"] not in _WARNINGS_ONLY]
    if failed:
        raise RetakePhoto(failed)
    blobs.put(page.sha256, page.image)
    return page
