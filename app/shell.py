"""The frame around every screen: title bar with the link state, language, lock, and navigation."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import flet as ft

from app.i18n import Translator
from app.state.home import LinkState, link_text
from app.state.unlock import should_lock
from app.widgets import tagged
from core.calendar import TIMEZONE
from core.errors import SohoaError

__all__ = ["Shell", "ScreenBuilder"]

ScreenBuilder = Callable[["Shell"], Awaitable[ft.Control]]
LINK_POLL_SECONDS = 5.0
FIRST_SYNC_DELAY_SECONDS = 2.0
MAX_CONTENT_WIDTH = 1100
COMPACT_WIDTH = 900


class Shell:
    """One browser tab or device window: backend, unlocked officer and the current screen."""

    def __init__(self, page: ft.Page, backend: Any, screens: dict[str, ScreenBuilder]) -> None:
        self.page = page
        self.backend = backend
        self.screens = screens
        self.tr = Translator(backend.settings.language)
        self.desk: Any = None  # app.backend.Desk once an officer has unlocked
        self.link = LinkState(online=False)
        self.last_activity = time.monotonic()
        self.current = ""
        self.selected_dossier = ""
        self._sync_wanted = asyncio.Event()
        self.closed = asyncio.Event()
        self.body = ft.Container(expand=True, padding=16)
        self.link_label = ft.Text("", size=14, color=ft.Colors.WHITE)
        self.file_picker = ft.FilePicker()
        page.services.append(self.file_picker)

    async def start(self) -> None:
        """Lay out the page and show the first screen (enrolment, or unlock)."""
        page = self.page
        page.title = "SoHoa"
        page.padding = 0
        page.theme = ft.Theme(
            color_scheme_seed=ft.Colors.INDIGO, visual_density=ft.VisualDensity.COMFORTABLE
        )
        page.on_keyboard_event = lambda _: self.touch()
        page.on_close = self._closed
        self._layout()
        enrolled = await self.run(lambda: self.backend.enrolled)
        await self.go("unlock" if enrolled else "enrol")
        page.run_task(self._watch_link)

    def _title_bar(self) -> ft.Control:
        self.title = ft.Text("SoHoa", size=20, weight=ft.FontWeight.BOLD, color=ft.Colors.WHITE)
        self.nav = ft.Row(spacing=4, visible=False)
        label = self.tr("lang.switch")
        other = "en" if self.tr.language == "vi" else "vi"
        language = ft.TextButton(
            content=ft.Text(other.upper() if self._compact() else label, color=ft.Colors.WHITE),
            on_click=self._switch_language,
        )
        link = tagged("link-state", self.link_label)
        top = [self.title, self.nav, ft.Container(expand=True)]
        rows = [ft.Row([*top, tagged("lang-switch", language)]), ft.Row([link])]
        if not self._compact():
            rows = [ft.Row([*top, link, tagged("lang-switch", language)])]
        for row in rows:
            row.vertical_alignment = ft.CrossAxisAlignment.CENTER
        return ft.Container(
            bgcolor=ft.Colors.INDIGO_700,
            padding=ft.Padding.symmetric(horizontal=16, vertical=8),
            content=ft.Column(rows, spacing=2),
        )

    def _compact(self) -> bool:
        """Whether the screen is phone-sized: labels give way to icons, the link goes below."""
        return (self.page.width or MAX_CONTENT_WIDTH) < COMPACT_WIDTH

    def _nav_buttons(self) -> list[ft.Control]:
        items = (
            ("home", ft.Icons.HOME, "nav.home"),
            ("intake", ft.Icons.NOTE_ADD, "nav.new"),
            ("dossiers", ft.Icons.FOLDER, "nav.dossiers"),
            ("sync", ft.Icons.SYNC, "nav.sync"),
            ("settings", ft.Icons.SETTINGS, "nav.settings"),
        )
        compact = self._compact()
        buttons: list[ft.Control] = [
            tagged(
                f"nav-{name}",
                ft.IconButton(
                    icon,
                    icon_color=ft.Colors.WHITE,
                    tooltip=self.tr(key),
                    on_click=lambda _, target=name: self.page.run_task(self.go, target),
                )
                if compact
                else ft.TextButton(
                    content=ft.Text(self.tr(key), color=ft.Colors.WHITE, size=15),
                    icon=icon,
                    icon_color=ft.Colors.WHITE,
                    on_click=lambda _, target=name: self.page.run_task(self.go, target),
                    height=48,
                ),
            )
            for name, icon, key in items
        ]
        buttons.append(
            tagged(
                "nav-lock",
                ft.IconButton(
                    ft.Icons.LOCK,
                    icon_color=ft.Colors.WHITE,
                    tooltip=self.tr("nav.lock"),
                    on_click=lambda _: self.page.run_task(self.lock),
                ),
            )
        )
        return buttons

    async def go(self, name: str) -> None:
        """Show screen `name`; screens other than enrol/unlock need an unlocked officer."""
        self.touch()
        if name not in ("enrol", "unlock") and self.desk is None:
            name = "unlock"
        self.current = name
        if self.desk is None:
            self.nav.controls = []
        elif not self.nav.controls:  # built once per unlock, so a screen change resends nothing
            self.nav.controls = self._nav_buttons()
        self.nav.visible = self.desk is not None
        content = await self.screens[name](self)
        self.body.content = ft.Container(content=content, width=MAX_CONTENT_WIDTH, expand=True)
        self._refresh_link_label()
        self.page.update()

    def show(self, screen: ft.Control) -> None:
        """Send `screen`'s changes to the browser, unless another screen has replaced it."""
        shown = self.body.content
        if shown is not None and shown.content is screen:
            screen.update()  # this screen's controls only: diffing the whole page costs more

    async def signed_in(self, desk: Any) -> None:
        """Keep the unlocked officer's desk, start syncing in the background, and go home."""
        self.desk = desk
        self._sync_wanted = asyncio.Event()
        self.page.run_task(self._sync_loop, desk)
        await self.go("home")

    def sync_soon(self) -> None:
        """Ask the background sync to run now rather than at its next interval."""
        self._sync_wanted.set()

    async def sync_now(self) -> None:
        """Run one sync off the event loop and the vault thread.

        :raises sync.errors.SyncError: offline, refused or timed out.
        """
        await asyncio.to_thread(self.desk.sync_now)

    async def _sync_loop(self, desk: Any) -> None:
        delay = FIRST_SYNC_DELAY_SECONDS  # let the home screen draw before the first run
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._sync_wanted.wait(), timeout=delay)
            self._sync_wanted.clear()
            if self.desk is not desk or self.closed.is_set():
                return
            # A failed run shows in the link state and on the sync screen; the next round retries.
            with contextlib.suppress(SohoaError):
                await asyncio.to_thread(desk.sync_now)
            delay = self.backend.settings.sync_interval_seconds

    async def open_dossier(self, dossier_id: str) -> None:
        """Show the detail of one dossier."""
        self.selected_dossier = dossier_id
        await self.go("dossier")

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run blocking work (SQLite, Pillow, Scrypt, crypto) on the vault thread, off the loop."""
        self.touch()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.backend.vault_thread, lambda: fn(*args))

    def touch(self) -> None:
        """Note activity, which keeps the idle lock away."""
        self.last_activity = time.monotonic()

    async def lock(self) -> None:
        """Forget the officer's keys and go back to the unlock screen."""
        desk, self.desk = self.desk, None
        if desk is not None:
            self._sync_wanted.set()
            await self.run(desk.lock)
        await self.go("unlock")

    def toast(self, text: str, *, error: bool = False) -> None:
        """Show a short message at the bottom of the screen."""
        self.page.show_dialog(
            ft.SnackBar(ft.Text(text), bgcolor=ft.Colors.RED_700 if error else None)
        )

    async def set_language(self, language: str) -> None:
        """Switch every text to `language` and redraw the current screen."""
        self.tr = Translator(language)
        self._layout()
        await self.go(self.current or "unlock")

    async def _switch_language(self, _: ft.Event) -> None:
        await self.set_language("en" if self.tr.language == "vi" else "vi")

    def _layout(self) -> None:
        centred = ft.Row([self.body], expand=True, alignment=ft.MainAxisAlignment.CENTER)
        self.page.controls.clear()
        self.page.add(ft.Column([self._title_bar(), centred], expand=True, spacing=0))

    def _refresh_link_label(self) -> None:
        self.link_label.value = link_text(self.link, datetime.now(TIMEZONE), self.tr)

    async def _watch_link(self) -> None:
        while not self.closed.is_set():
            self.link = await asyncio.to_thread(self.backend.link_state, self.desk)
            self._refresh_link_label()
            idle = time.monotonic() - self.last_activity
            if self.desk is not None and should_lock(idle):
                await self.lock()
            self.link_label.update()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.closed.wait(), timeout=LINK_POLL_SECONDS)

    async def _closed(self, _: ft.Event) -> None:
        """The tab is gone for good: stop the loops and forget the officer's keys."""
        self.closed.set()
        desk, self.desk = self.desk, None
        if desk is not None:
            self._sync_wanted.set()
            await self.run(desk.lock)
