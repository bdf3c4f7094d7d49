"""A dialog to move a page's four corners on its small preview, then rescan the page with them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft
import flet.canvas as cv

from app.i18n import Translator
from app.state.checklist import PageRef
from app.state.corners import CornerEditor, editor_for
from app.widgets import TOUCH_HEIGHT, tagged
from core.errors import SohoaError
from scan import Preview, detect_corners

__all__ = ["CornerDialog", "open_corner_editor"]

HANDLE = 48  # px: a fingertip-sized target, also the margin that keeps edge handles whole
DRAG_INTERVAL_MS = 30  # fewer, coarser updates over the wire; the quad still follows smoothly
LINE_COLOUR = ft.Colors.BLUE_600


class CornerDialog:
    """The preview JPEG in a stack with the outline and four draggable handles.

    `rescan(corners)` turns the photo into a page again off the event loop; `done(page)` puts
    the new page in place of the old one.
    """

    def __init__(
        self,
        page: ft.Page,
        language: str,
        preview: Preview,
        current: tuple[tuple[float, float], ...],
        rescan: Callable[[tuple], Awaitable[PageRef]],
        done: Callable[[PageRef], None],
    ) -> None:
        self.page = page
        self.language = language
        self.editor: CornerEditor = editor_for(
            preview.size, preview.preview_size, preview.corners, current
        )
        self.start = self.editor.corners
        self.rescan = rescan
        self.done = done
        self._last: tuple[float, float] | None = None
        width, height = preview.preview_size
        self.lines = [
            cv.Line(0, 0, 0, 0, paint=ft.Paint(color=LINE_COLOUR, stroke_width=3)) for _ in range(4)
        ]
        self.handles = [self._handle(i) for i in range(4)]
        self.message = tagged("corner-message", ft.Text("", color=ft.Colors.RED_700, size=15))
        self.busy = ft.ProgressRing(width=24, height=24, visible=False)
        self.apply_button = self._button("corner-apply", "apply", self._apply, primary=True)
        surface = ft.Stack(
            [
                ft.Container(
                    ft.Image(src=preview.image, width=width, height=height, fit=ft.BoxFit.FILL),
                    left=HANDLE / 2,
                    top=HANDLE / 2,
                ),
                ft.Container(
                    cv.Canvas(self.lines, width=width, height=height),
                    left=HANDLE / 2,
                    top=HANDLE / 2,
                ),
                *self.handles,
            ],
            width=width + HANDLE,
            height=height + HANDLE,
        )
        self.dialog = ft.AlertDialog(
            modal=True,
            title=ft.Text(self._say("title")),
            content=ft.Column(
                [
                    ft.Text(self._say("hint"), size=15),
                    tagged("corner-surface", surface),
                    ft.Row([self.busy, self.message]),
                ],
                tight=True,
                spacing=8,
            ),
            actions=[
                self._button("corner-reset", "reset", self._reset),
                self._button("corner-cancel", "cancel", self._close),
                self.apply_button,
            ],
        )
        self._draw()

    def open(self) -> None:
        """Show the dialog over the capture screen."""
        self.page.show_dialog(self.dialog)

    def _say(self, key: str) -> str:
        return Translator(self.language)(f"corners.{key}")

    def _button(self, identifier: str, key: str, on_click, *, primary: bool = False) -> ft.Control:
        kind = ft.FilledButton if primary else ft.OutlinedButton
        button = kind(content=ft.Text(self._say(key), size=17), on_click=on_click)
        button.height = TOUCH_HEIGHT
        return tagged(identifier, button)

    def _handle(self, index: int) -> ft.Container:
        dot = ft.Container(
            width=HANDLE,
            height=HANDLE,
            border_radius=HANDLE / 2,
            bgcolor=ft.Colors.with_opacity(0.35, LINE_COLOUR),
            border=ft.Border.all(3, LINE_COLOUR),
        )
        detector = ft.GestureDetector(
            content=dot,
            mouse_cursor=ft.MouseCursor.MOVE,
            drag_interval=DRAG_INTERVAL_MS,
            on_pan_start=lambda e: self._grab(e.global_position),
            on_pan_update=lambda e, i=index: self._drag(i, e.global_position),
        )
        return ft.Container(tagged(f"corner-handle-{index}", detector))

    def _grab(self, position: ft.Offset) -> None:
        self._last = (position.x, position.y)

    def _drag(self, index: int, position: ft.Offset) -> None:
        # Deltas are taken between global positions: the handle itself moves under the finger.
        last = self._last or (position.x, position.y)
        self._last = (position.x, position.y)
        self.editor = self.editor.move(index, position.x - last[0], position.y - last[1])
        self._draw()
        self.dialog.update()

    def _draw(self) -> None:
        points = self.editor.on_preview()
        for index, (x, y) in enumerate(points):
            nx, ny = points[(index + 1) % 4]
            line = self.lines[index]
            line.x1, line.y1, line.x2, line.y2 = x, y, nx, ny
            # The stack is larger than the preview by HANDLE, so x - HANDLE/2 + HANDLE/2 == x.
            self.handles[index].left, self.handles[index].top = x, y
        problem = self.editor.problem(self.language)
        self.message.content.value = problem or ""
        self.apply_button.content.disabled = problem is not None

    def _reset(self, _: ft.Event) -> None:
        self.editor = self.editor.reset()
        self._draw()
        self.dialog.update()

    def _close(self, _: ft.Event | None = None) -> None:
        self.page.pop_dialog()

    async def _apply(self, _: ft.Event) -> None:
        if self.editor.corners == self.start:
            self._close()
            return
        self.busy.visible = True
        self.apply_button.content.disabled = True
        self.message.content.value = self._say("working")
        self.dialog.update()
        try:
            page = await self.rescan(self.editor.corners)
        except SohoaError as exc:
            self.busy.visible = False
            self.message.content.value = exc.message(self.language)
            self.apply_button.content.disabled = False
            self.dialog.update()
            return
        self._close()
        self.done(page)


async def open_corner_editor(
    shell, data: bytes, page: PageRef, done: Callable[[PageRef], None]
) -> None:
    """Find the photo's corners off the event loop, then show the dialog over the screen.

    :param done: called with the rescanned page once the officer applied new corners.
    :raises SohoaError: the photo cannot be read again.
    """
    preview = await shell.run(detect_corners, data)

    async def rescan(corners: tuple) -> PageRef:
        return await shell.run(shell.desk.rescan_photo, data, corners, page.sha256)

    CornerDialog(shell.page, shell.tr.language, preview, page.corners, rescan, done).open()
