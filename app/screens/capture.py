"""The components step: pick or photograph pages per component, see them processed, fix order."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import flet as ft

from app.screens.corner_editor import open_corner_editor
from app.screens.reuse_offers import ReuseOffersView
from app.state.checklist import (
    ComponentPages,
    PageRef,
    add_page,
    move_page,
    remove_page,
    replace_page,
)
from app.state.intake import Step
from app.widgets import big_button, error_text, tagged
from core.errors import SohoaError

__all__ = ["ComponentsPanel"]

UPLOAD_LINK_SECONDS = 600


class ComponentsPanel:
    """One card per component with its page thumbnails; photos go through the scan pipeline."""

    def __init__(self, screen) -> None:
        self.screen = screen
        self.busy: dict[str, str] = {}
        self.errors: dict[str, str] = {}
        self._pending: dict[str, list[tuple[str, str]]] = {}
        self._images: dict[str, ft.Image] = {}
        # The photos the pages came from, by page sha256, while this intake is open: uploads
        # are deleted once processed, and the corner editor rescans from these bytes.
        self._photos: dict[str, bytes] = {}
        self.reuse = ReuseOffersView(self)

    @property
    def checklist(self):
        """The checklist in the current intake state."""
        return self.screen.state.checklist

    def store(self, checklist) -> None:
        """Keep the changed checklist in the intake state and redraw."""
        self.screen.set_state(replace(self.screen.state, checklist=checklist))
        self.screen.show()

    def _thumb(self, item: ComponentPages, index: int, page) -> ft.Control:
        tr = self.screen.tr
        verdict = tr("verdict.ok") if page.ok else page.advice(tr.language)
        cid = item.component_id
        return tagged(
            f"page-{cid}-{index}",
            ft.Container(
                width=180,  # room for four icon buttons, corners included
                padding=6,
                border=ft.Border.all(1, ft.Colors.GREY_400),
                border_radius=8,
                content=ft.Column(
                    [
                        self._image(page),
                        ft.Text(f"{index + 1} · {tr('mode.' + page.mode)}", size=13),
                        ft.Text(
                            verdict,
                            size=12,
                            color=ft.Colors.GREEN_700 if page.ok else ft.Colors.ORANGE_800,
                        ),
                        ft.Row(
                            [
                                ft.IconButton(
                                    ft.Icons.CHEVRON_LEFT,
                                    on_click=lambda _: self.store(
                                        move_page(self.checklist, cid, index, -1)
                                    ),
                                ),
                                ft.IconButton(
                                    ft.Icons.DELETE,
                                    on_click=lambda _: self._remove(cid, index),
                                ),
                                *self._adjust_button(cid, index, page),
                                ft.IconButton(
                                    ft.Icons.CHEVRON_RIGHT,
                                    on_click=lambda _: self.store(
                                        move_page(self.checklist, cid, index, 1)
                                    ),
                                ),
                            ],
                            spacing=0,
                        ),
                    ],
                    spacing=2,
                ),
            ),
        )

    def _remove(self, component_id: str, index: int) -> None:
        page = self.checklist.item(component_id).pages[index]
        self._photos.pop(page.sha256, None)
        self.store(remove_page(self.checklist, component_id, index))

    def _adjust_button(self, component_id: str, index: int, page: PageRef) -> list[ft.Control]:
        """The "adjust corners" button of a scanned page (a reused page has no photo)."""
        if page.sha256 not in self._photos:
            return []
        label = self.screen.tr("corners.adjust")
        return [
            tagged(
                f"adjust-{component_id}-{index}",
                ft.IconButton(
                    ft.Icons.CROP_FREE,
                    tooltip=label,
                    on_click=lambda _: self.screen.shell.page.run_task(
                        self._adjust, component_id, page
                    ),
                ),
            )
        ]

    async def _adjust(self, component_id: str, page: PageRef) -> None:
        def done(new: PageRef) -> None:
            pages = self.checklist.item(component_id).pages
            index = next(i for i, p in enumerate(pages) if p.sha256 == page.sha256)
            self._photos[new.sha256] = self._photos.pop(page.sha256)
            self.store(replace_page(self.checklist, component_id, index, new))

        try:
            await open_corner_editor(self.screen.shell, self._photos[page.sha256], page, done)
        except SohoaError as exc:
            self.fail(component_id, exc.message(self.screen.tr.language))

    def _image(self, page) -> ft.Image:
        """The thumbnail control of `page`, made once so a redraw never resends its bytes."""
        if page.sha256 not in self._images:
            self._images[page.sha256] = ft.Image(
                src=page.thumbnail, width=136, height=180, fit=ft.BoxFit.CONTAIN
            )
        return self._images[page.sha256]

    def _card(self, number: int, item: ComponentPages) -> ft.Control:
        tr = self.screen.tr
        cid = item.component_id
        status: list[ft.Control] = []
        if cid in self.busy:
            status = [ft.ProgressRing(width=24, height=24), ft.Text(self.busy[cid])]
        title = f"{number}. {item.name}" + (" *" if item.mandatory else "")
        return tagged(
            f"component-{number}",
            ft.Card(
                content=ft.Container(
                    padding=12,
                    content=ft.Column(
                        [
                            ft.Text(title, size=17, weight=ft.FontWeight.W_600),
                            ft.Text(tr("intake.page_count", n=len(item.pages)), size=14),
                            ft.Row(
                                [self._thumb(item, i, p) for i, p in enumerate(item.pages)],
                                wrap=True,
                            ),
                            *self.reuse.rows(number, item),
                            *(
                                [error_text(f"component-error-{number}", self.errors[cid])]
                                if cid in self.errors
                                else []
                            ),
                            ft.Row(
                                [
                                    big_button(
                                        f"pick-{number}",
                                        tr("intake.add_photos"),
                                        lambda _, c=cid: self.screen.shell.page.run_task(
                                            self._pick, c
                                        ),
                                        icon=ft.Icons.ADD_A_PHOTO,
                                        primary=False,
                                    ),
                                    *status,
                                ]
                            ),
                        ]
                    ),
                )
            ),
        )

    def controls(self) -> list[ft.Control]:
        """The cards of every component and the button to the review."""
        tr = self.screen.tr
        self.reuse.ask()
        cards = [self._card(n, item) for n, item in enumerate(self.checklist.items, start=1)]
        return [
            ft.Text(tr("intake.components_hint"), size=15),
            *cards,
            big_button(
                "components-next",
                tr("intake.to_review"),
                lambda _: self.screen.move(Step.review),
                icon=ft.Icons.ARROW_FORWARD,
            ),
        ]

    async def _pick(self, component_id: str) -> None:
        shell = self.screen.shell
        picker = shell.file_picker
        files = await picker.pick_files(
            allow_multiple=True,
            file_type=ft.FilePickerFileType.IMAGE,
            dialog_title=self.screen.tr("intake.add_photos"),
        )
        if not files:
            return
        self.errors.pop(component_id, None)
        if not shell.page.web:
            for picked in files:
                await self._process(component_id, Path(picked.path), picked.name, keep=True)
            return
        targets = [(f, f"{uuid.uuid4().hex}.upload") for f in files]
        self._pending[component_id] = [(f.name, target) for f, target in targets]
        picker.on_upload = lambda e, c=component_id: shell.page.run_task(self._uploaded, c, e)
        self.busy[component_id] = self.screen.tr("intake.uploading", n=len(files))
        self.screen.render()
        shell.page.update()  # the whole page: the browser must learn the picker's new handler
        await picker.upload(
            [
                ft.FilePickerUploadFile(
                    id=f.id, upload_url=shell.page.get_upload_url(target, UPLOAD_LINK_SECONDS)
                )
                for f, target in targets
            ]
        )

    async def _uploaded(self, component_id: str, event: ft.FilePickerUploadEvent) -> None:
        pending = self._pending.get(component_id, [])
        match = next((p for p in pending if p[0] == event.file_name), None)
        if match is None or (
            event.progress is not None and event.progress < 1.0 and not event.error
        ):
            return
        pending.remove(match)
        path = Path(self.screen.shell.backend.upload_dir) / match[1]
        if event.error:
            path.unlink(missing_ok=True)
            self.fail(component_id, f"{match[0]}: {event.error}")
        else:
            await self._process(component_id, path, match[0], keep=False)
        if not pending:
            self.busy.pop(component_id, None)
            self.screen.render()
            self.screen.show()

    async def _process(self, component_id: str, path: Path, name: str, *, keep: bool) -> None:
        shell = self.screen.shell
        self.set_busy(component_id, self.screen.tr("intake.processing", name=name))
        try:
            page, data = await shell.run(_scan, shell.desk, path, not keep)
        except SohoaError as exc:
            self.fail(component_id, f"{name}: {exc.message(self.screen.tr.language)}")
            return
        finally:
            self.busy.pop(component_id, None)
        self._photos[page.sha256] = data
        self.store(add_page(self.checklist, component_id, page))

    def fail(self, component_id: str, text: str) -> None:
        """Show `text` as the error of a component's card."""
        self.errors[component_id] = text
        self.screen.render()
        self.screen.show()

    def set_busy(self, component_id: str, text: str) -> None:
        """Show a component's card as busy with `text`."""
        self.busy[component_id] = text
        self.screen.render()
        self.screen.show()


def _scan(desk, path: Path, delete: bool) -> tuple[PageRef, bytes]:
    """Process a photo on the desk and keep its bytes, since an upload is deleted afterwards."""
    try:
        data = path.read_bytes()
    except OSError:
        data = b""  # the desk reports the unreadable file in its own words
    return desk.add_photo(path, delete), data
