"""Settings: language, the city server, officers, device facts, and wiping the device."""

from __future__ import annotations

import asyncio

import flet as ft

from app.i18n import LANGUAGES
from app.state.settings_form import (
    SettingsForm,
    ask_wipe,
    can_move_server,
    cancel_wipe,
    set_new_server_url,
)
from app.widgets import TOUCH_HEIGHT, big_button, error_text, heading, side_by_side, tagged
from core.errors import SohoaError

__all__ = ["build_settings"]


async def build_settings(shell) -> ft.Control:
    """Build the settings screen."""
    tr = shell.tr
    backend = shell.backend
    form = SettingsForm(language=tr.language, server_url=shell.desk.identity.server_url)
    officers = await shell.run(backend.officers)
    device = await shell.run(shell.desk.device_facts)
    wipe_area = ft.Column()
    officer_message = ft.Column()
    new_name = tagged("officer-name", ft.TextField(label=tr("settings.officer_name"), text_size=17))
    new_pin = tagged(
        "officer-pin",
        ft.TextField(
            label=tr("settings.officer_pin"), password=True, keyboard_type=ft.KeyboardType.NUMBER
        ),
    )

    def render_wipe() -> None:
        step = form.wipe_confirmations
        label = tr("settings.wipe") if step == 0 else tr(f"settings.wipe_confirm_{step}")
        wipe_area.controls = [
            tagged(
                "settings-wipe",
                ft.FilledButton(
                    content=ft.Text(label, size=16),
                    bgcolor=ft.Colors.RED_700,
                    height=TOUCH_HEIGHT,
                    on_click=wipe_clicked,
                ),
            )
        ]
        if step:
            wipe_area.controls.append(
                ft.TextButton(content=ft.Text(tr("settings.cancel")), on_click=cancel_clicked)
            )

    async def wipe_clicked(_: ft.Event) -> None:
        nonlocal form
        form = ask_wipe(form)
        if form.wipe_confirmed:
            await shell.run(backend.wipe)
            shell.desk = None
            await shell.go("enrol")
            return
        render_wipe()
        shell.page.update()

    def cancel_clicked(_: ft.Event) -> None:
        nonlocal form
        form = cancel_wipe(form)
        render_wipe()

    async def add_officer(_: ft.Event) -> None:
        try:
            await shell.run(
                shell.desk.add_officer, new_name.content.value or "", new_pin.content.value or ""
            )
        except SohoaError as exc:
            officer_message.controls = [error_text("officer-error", exc.message(tr.language))]
            shell.page.update()
            return
        await shell.go("settings")

    current_server = tagged(
        "settings-server-url", ft.Text(tr("settings.server", url=form.server_url), size=16)
    )
    server_message = ft.Column()
    new_server = ft.TextField(
        label=tr("settings.server_new"),
        text_size=17,
        keyboard_type=ft.KeyboardType.URL,
        on_change=lambda e: server_typed(e.control.value or ""),
    )
    move = big_button(
        "settings-server-move",
        tr("settings.server_move"),
        lambda _: shell.page.run_task(move_server),
        icon=ft.Icons.SWAP_HORIZ,
        primary=False,
    )
    move.content.disabled = True

    def server_typed(url: str) -> None:
        nonlocal form
        form = set_new_server_url(form, url)
        new_server.error = form.server_error.message(tr.language) if form.server_error else None
        move.content.disabled = not can_move_server(form)

    async def move_server() -> None:
        nonlocal form
        move.content.disabled = True
        server_message.controls = [ft.ProgressRing(), ft.Text(tr("settings.server_moving"))]
        shell.page.update()
        try:
            # A network round trip: on a worker thread, so neither the screen nor the vault waits.
            url = await asyncio.to_thread(backend.move_server, shell.desk, form.new_server_url)
        except SohoaError as exc:
            server_message.controls = [error_text("server-error", exc.message(tr.language))]
            move.content.disabled = not can_move_server(form)
            shell.page.update()
            return
        form = set_new_server_url(SettingsForm(tr.language, server_url=url), "")
        new_server.value = ""
        current_server.content.value = tr("settings.server", url=url)
        server_message.controls = [
            tagged("server-moved", ft.Text(tr("settings.server_moved", url=url), size=16))
        ]
        shell.page.update()

    render_wipe()
    return ft.Column(
        [
            heading(tr("nav.settings")),
            ft.Text(tr("settings.language"), size=17, weight=ft.FontWeight.BOLD),
            ft.Row(
                [
                    tagged(
                        f"language-{code}",
                        ft.Button(
                            content=ft.Text(tr(f"lang.{code}")),
                            height=TOUCH_HEIGHT,
                            bgcolor=ft.Colors.INDIGO_100 if code == tr.language else None,
                            on_click=lambda _, c=code: shell.page.run_task(shell.set_language, c),
                        ),
                    )
                    for code in LANGUAGES
                ]
            ),
            current_server,
            ft.Text(tr("settings.server_hint"), size=14),
            side_by_side(tagged("settings-server-new", new_server), move),
            server_message,
            ft.Text(tr("settings.device", **device), size=16),
            ft.Text(tr("settings.officers"), size=17, weight=ft.FontWeight.BOLD),
            *[ft.Text(f"• {o.name}", size=16) for o in officers],
            side_by_side(new_name, new_pin),
            officer_message,
            big_button(
                "officer-add",
                tr("settings.add_officer"),
                add_officer,
                icon=ft.Icons.PERSON_ADD,
                primary=False,
            ),
            ft.Divider(),
            ft.Text(tr("settings.wipe_hint"), size=15),
            wipe_area,
        ],
        spacing=12,
        scroll=ft.ScrollMode.AUTO,
    )
