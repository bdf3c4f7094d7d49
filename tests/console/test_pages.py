"""Page thumbnails for the console: a picture per stored page, None for what is not here."""

from __future__ import annotations

import hashlib
import io

from PIL import Image

from scan.synthetic import Scene, draw_form, photograph
from server.console.pages import THUMB_PX, load_thumbnails
from server.portal import store_photo


def test_stored_pages_get_thumbnails_and_missing_or_foreign_blobs_do_not(context):
    page_image, text = draw_form(dpi=200)
    photo = photograph(page_image, text, Scene(frame=(1800, 2400))).data
    page = store_photo(context.blobs, photo)
    raw = b"not a page from the scan pipeline"
    raw_sha = hashlib.sha256(raw).hexdigest()
    context.blobs.put(raw_sha, raw)
    thumbs = load_thumbnails(context.blobs, [page.sha256, "e" * 64, raw_sha])
    assert thumbs[1:] == [None, None]
    picture = Image.open(io.BytesIO(thumbs[0]))
    assert picture.format == "JPEG" and max(picture.size) == THUMB_PX
