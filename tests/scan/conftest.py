"""Synthetic photos shared by the scan tests: each is generated once per session, on demand."""

from __future__ import annotations

import functools

import pytest

from scan.synthetic import (
    Scene,
    SyntheticPhoto,
    draw_card,
    draw_certificate,
    draw_form,
    draw_photo_print,
    photograph,
)

# 7.7 MP frames: big enough for 200 dpi pages, small enough to keep the suite quick.
FRAME = (2400, 3200)

SCENES = {
    "good": ("form", Scene(frame=FRAME)),
    "reshot": (
        "form",
        Scene(
            frame=FRAME, rotation=-3, keystone=0.02, offset=(-0.02, 0.01), seed=11, orientation=1
        ),
    ),
    "other": ("other", Scene(frame=FRAME)),
    "steep": ("form", Scene(frame=FRAME, rotation=-6, keystone=0.1, orientation=8, seed=3)),
    "blur4": ("form", Scene(frame=FRAME, blur=4)),
    "blur7": ("form", Scene(frame=FRAME, blur=7)),
    "glare": ("form", Scene(frame=FRAME, glare=True)),
    "dark": ("form", Scene(frame=FRAME, brightness=0.3)),
    "no_page": ("form", Scene(frame=FRAME, fill=1.08, rotation=2.0, keystone=0, offset=(0, 0))),
    "small": ("form", Scene(frame=(1200, 1600))),
    "certificate": ("certificate", Scene(frame=FRAME)),
    "photo_print": ("photo_print", Scene(frame=FRAME)),
    "card": ("card", Scene(frame=(3000, 2250), fill=0.55, orientation=1, rotation=3)),
}


@functools.cache
def _page(kind: str):
    if kind == "card":
        return draw_card(400)
    if kind == "certificate":
        return draw_certificate(200)
    if kind == "photo_print":
        return draw_photo_print(200)
    return draw_form(200, kind)


@functools.cache
def shoot(name: str) -> SyntheticPhoto:
    """Return the synthetic photo of scene `name` (see SCENES)."""
    kind, scene = SCENES[name]
    page, text = _page(kind)
    return photograph(page, text, scene)


@pytest.fixture(scope="session")
def photo():
    """Give tests `photo(name)` -> SyntheticPhoto, generated once per session."""
    return shoot


@functools.cache
def scan_scene(name: str):
    """Return process_photo's result for scene `name` with default options."""
    from scan.pipeline import process_photo

    return process_photo(shoot(name).data)


@pytest.fixture(scope="session")
def scanned():
    """Give tests `scanned(name)` -> PageResult of that scene, computed once per session."""
    return scan_scene
