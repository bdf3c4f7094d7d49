"""First run: enrol this device with the city server and create its vault with a first officer."""

from __future__ import annotations

import asyncio

import flet as ft

from app.qr import pick_photo, read_qr
from app.state.enrol import EnrolForm, read_code_qr, ready, set_code, set_officer, set_server_url
from app.widgets import big_button, error_text, heading, tagged
from core.errors import SohoaError

__all__ = ["build_enrol"]


async def build_enrol(shell) -> ft.Control:
    """Build the enrolment screen, the server URL prefilled from flet.toml."""
    tr = shell.tr
    form = set_server_url(EnrolForm(), shell.backend.settings.server_url)
    fields: dict[str, ft.TextField] = {}
    message = ft.Column()

    def show() -> None:
        for name, control in fields.items():
            error = form.errors.get(name)
            control.error = error.message(tr.language) if error else None
        submit.content.disabled = not ready(form)

    def changed(name: str, value: str) -> None:
        nonlocal form
        if name == "server_url":
            form = set_server_url(form, value)
        elif name == "code":
            form = set_code(form, value)
        elif name == "qr":
            form = read_code_qr(form, value)
            fields["server_url"].value = form.server_url
            fields["code"].value = form.code
        else:
            values = {"officer_name": form.officer_name, "pin": form.pin, name: value}
            form = set_officer(form, values["officer_name"], values["pin"])
        show()

    def text(name: str, **options) -> ft.Control:
        control = ft.TextField(
            label=tr(f"enrol.{name}"),
            text_size=18,
            on_change=lambda e, n=name: changed(n, e.control.value or ""),
            **options,
        )
        fields[name] = control
        return tagged(f"enrol-{name}", control)

    async def enrol(_: ft.Event) -> None:
        submit.content.disabled = True
        message.controls = [ft.ProgressRing(), ft.Text(tr("enrol.working"))]
        shell.page.update()
        try:
            await shell.run(
                shell.backend.enrol, form.server_url, form.code, form.officer_name, form.pin
            )
        except SohoaError as exc:
            message.controls = [error_text("enrol-error", exc.message(tr.language))]
            show()
            shell.page.update()
            return
        await shell.go("unlock")

    async def scan_qr(_: ft.Event) -> None:
        photo = await pick_photo(shell.file_picker, tr("enrol.qr_photo"))
        if photo is None:
            return
        try:
            payload = await asyncio.to_thread(read_qr, photo)
        except SohoaError as exc:
            fields["qr"].error = exc.message(tr.language)
            shell.page.update()
            return
        fields["qr"].value = payload
        changed("qr", payload)
        message.controls = [ft.Text(tr("enrol.qr_read"), color=ft.Colors.GREEN_800)]
        shell.page.update()

    submit = big_button("enrol-submit", tr("enrol.submit"), enrol, icon=ft.Icons.LINK)
    column = ft.Column(
        [
            heading(tr("enrol.title")),
            ft.Text(tr("enrol.hint"), size=16),
            text("server_url", value=form.server_url),
            text("code"),
            text("qr"),
            big_button(
                "enrol-qr-photo",
                tr("enrol.qr_photo"),
                scan_qr,
                icon=ft.Icons.QR_CODE_SCANNER,
                primary=False,
            ),
            text("officer_name"),
            text("pin", password=True, keyboard_type=ft.KeyboardType.NUMBER),
            message,
            submit,
        ],
        spacing=12,
        scroll=ft.ScrollMode.AUTO,
    )
    show()
    return column
