"""Settings: language, the city server, officers, device facts, and wiping the device."""

from __future__ import annotations

import flet as ft

from app.i18n import LANGUAGES
from app.state.settings_form import SettingsForm, ask_wipe, cancel_wipe
from app.widgets import TOUCH_HEIGHT, big_button, error_text, heading, tagged
from core.errors import SohoaError

__all__ = ["build_settings"]


async def build_settings(shell) -> ft.Control:
    """Build the settings screen."""
    tr = shell.tr
    backend = shell.backend
    form = SettingsForm(language=tr.language, server_url=backend.settings.server_url)
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
            ft.Text(tr("settings.server", url=form.server_url), size=16),
            ft.Text(tr("settings.device", **device), size=16),
            ft.Text(tr("settings.officers"), size=17, weight=ft.FontWeight.BOLD),
            *[ft.Text(f"• {o.name}", size=16) for o in officers],
            ft.Row([ft.Container(new_name, expand=True), ft.Container(new_pin, width=220)]),
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
