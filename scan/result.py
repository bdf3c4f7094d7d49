"""What the pipeline hands back for one page, and the stopwatch that times its steps."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from scan.geometry import Quad

__all__ = ["PageResult", "StepClock"]


@dataclass(frozen=True)
class PageResult:
    """A finished page: the encoded image and what the officer and the dossier need to know.

    >>> page = process_photo(photo_bytes, known_hashes=[p.fingerprint for p in earlier])
    >>> store(page.image); payload_pages.append(page.page_record())
    >>> [v["message_vi"] for v in page.quality if not v["ok"]]   # what to tell the officer
    """

    image: bytes
    media_type: str
    mode: str
    dpi: int
    width: int
    height: int
    corners: Quad
    corners_found: bool
    sha256: str
    fingerprint: str
    quality: tuple[dict[str, object], ...]
    figures: dict[str, float] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every quality check passed."""
        return all(verdict["ok"] for verdict in self.quality)

    def page_record(self) -> dict[str, object]:
        """Return the page as event payloads list it: sha256, media_type, mode, dpi, bytes."""
        return {
            "sha256": self.sha256,
            "media_type": self.media_type,
            "mode": self.mode,
            "dpi": self.dpi,
            "bytes": len(self.image),
        }

    def summary(self) -> dict[str, object]:
        """Return a JSON-ready description of the page without its image bytes."""
        return {
            **self.page_record(),
            "width": self.width,
            "height": self.height,
            "corners": [[round(x, 1), round(y, 1)] for x, y in self.corners],
            "corners_found": self.corners_found,
            "fingerprint": self.fingerprint,
            "quality": list(self.quality),
            "figures": dict(self.figures),
            "timings_ms": {step: round(ms, 1) for step, ms in self.timings.items()},
        }


class StepClock:
    """Collect per-step wall times in milliseconds."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        """Add the time since the previous lap to `step`."""
        now = time.perf_counter()
        self.timings[step] = self.timings.get(step, 0.0) + (now - self._last) * 1000
        self._last = now
