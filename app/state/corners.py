"""The corner editor of one page: four page corners the officer drags on a small preview."""

from __future__ import annotations

from dataclasses import dataclass, replace

from scan.errors import BadCorners
from scan.geometry import check_quad

__all__ = ["CornerEditor", "Point", "editor_for"]

Point = tuple[float, float]


@dataclass(frozen=True)
class CornerEditor:
    """The photo's and the shown preview's sizes, and the four corners in photo pixels.

    >>> editor = editor_for(preview.size, (360, 480), preview.corners)
    >>> editor = editor.move(0, 12.0, -4.0)           # a drag of the top-left handle on screen
    >>> editor.problem("vi") or process_photo(data, corners=editor.corners)
    """

    size: tuple[int, int]
    preview_size: tuple[int, int]
    corners: tuple[Point, ...]
    detected: tuple[Point, ...]

    @property
    def scale(self) -> Point:
        """Photo pixels per preview pixel, across and down."""
        return (self.size[0] / self.preview_size[0], self.size[1] / self.preview_size[1])

    def on_preview(self) -> tuple[Point, ...]:
        """The corners in preview pixels, where the handles are drawn."""
        sx, sy = self.scale
        return tuple((x / sx, y / sy) for x, y in self.corners)

    def move(self, index: int, dx: float, dy: float) -> CornerEditor:
        """Move corner `index` by a drag of (dx, dy) preview pixels, kept inside the photo."""
        sx, sy = self.scale
        x, y = self.corners[index]
        moved = (
            min(max(x + dx * sx, 0.0), float(self.size[0])),
            min(max(y + dy * sy, 0.0), float(self.size[1])),
        )
        corners = tuple(moved if i == index else c for i, c in enumerate(self.corners))
        return replace(self, corners=corners)

    def reset(self) -> CornerEditor:
        """Put the corners back where the scan pipeline detected them."""
        return replace(self, corners=self.detected)

    def problem(self, language: str) -> str | None:
        """Why the corners cannot outline a page, in `language`; None when they can."""
        try:
            check_quad(self.corners, self.size)
        except BadCorners as exc:
            return exc.message(language)
        return None

    @property
    def valid(self) -> bool:
        """Whether the corners make a convex, large enough page outline."""
        return self.problem("vi") is None


def editor_for(
    size: tuple[int, int],
    preview_size: tuple[int, int],
    detected: tuple[Point, ...],
    current: tuple[Point, ...] = (),
) -> CornerEditor:
    """Start an editor at `current` corners (a page adjusted before) or else the detected ones."""
    as_points = tuple((float(x), float(y)) for x, y in detected)
    start = tuple((float(x), float(y)) for x, y in current) or as_points
    return CornerEditor(size=size, preview_size=preview_size, corners=start, detected=as_points)
