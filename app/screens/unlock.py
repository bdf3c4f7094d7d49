"""Unlock screen: the officer taps their name, types the PIN on a big keypad, and unlocks."""

from __future__ import annotations

import flet as ft

from app.state.unlock import (
    UnlockState,
    erase_digit,
    failed,
    pick_officer,
    press_digit,
    set_pin,
    start_check,
)
from app.widgets import TOUCH_HEIGHT, big_button, error_text, heading, tagged
from core.errors import SohoaError

__all__ = ["build_unlock"]


async def build_unlock(shell) -> ft.Control:
    """Build the unlock screen from the officers who hold a key slot on this device."""
    tr = shell.tr
    officers = await shell.run(shell.backend.officers)
    state = UnlockState(officers=tuple(officers))
    if len(officers) == 1:
        state = pick_officer(state, officers[0].id)
    names = ft.Row(wrap=True, spacing=12, run_spacing=12)
    pin_text = ft.Text("", size=32, weight=ft.FontWeight.BOLD)
    message = ft.Column()
    submit = big_button("unlock-submit", tr("unlock.submit"), None, icon=ft.Icons.LOCK_OPEN)

    def render() -> None:
        names.controls = [
            tagged(
                f"officer-{index}",
                ft.Button(
                    content=ft.Text(officer.name, size=17),
                    icon=ft.Icons.PERSON,
                    height=TOUCH_HEIGHT,
                    bgcolor=ft.Colors.INDIGO_100 if officer.id == state.selected else None,
                    on_click=lambda _, oid=officer.id: choose(oid),
                ),
            )
            for index, officer in enumerate(state.officers)
        ]
        pin_text.value = state.masked_pin or tr("unlock.pin_hint")
        message.controls = (
            [error_text("unlock-error", state.error.message(tr.language))] if state.error else []
        )
        submit.content.disabled = not state.can_submit

    def apply(new_state: UnlockState) -> None:
        nonlocal state
        state = new_state
        shell.touch()
        render()

    def choose(officer_id: str) -> None:
        apply(pick_officer(state, officer_id))

    async def unlock(_: ft.Event | None = None) -> None:
        nonlocal state
        if not state.can_submit:
            return
        apply(start_check(state))
        shell.page.update()
        try:
            desk = await shell.run(shell.backend.unlock, state.selected, state.pin)
        except SohoaError as exc:
            apply(failed(state, exc))
            shell.page.update()
            return
        await shell.signed_in(desk)

    def key(label: str | ft.Icon, on_click, identifier: str) -> ft.Control:
        content = ft.Text(label, size=26) if isinstance(label, str) else label
        return tagged(
            identifier,
            ft.FilledTonalButton(content=content, width=96, height=72, on_click=on_click),
        )

    digits = [
        ft.Row(
            [key(d, lambda _, d=d: apply(press_digit(state, d)), f"pin-key-{d}") for d in row],
            alignment=ft.MainAxisAlignment.CENTER,
        )
        for row in ("123", "456", "789")
    ]
    digits.append(
        ft.Row(
            [
                key(
                    ft.Icon(ft.Icons.BACKSPACE), lambda _: apply(erase_digit(state)), "pin-key-back"
                ),
                key("0", lambda _: apply(press_digit(state, "0")), "pin-key-0"),
                key(ft.Icon(ft.Icons.CHECK), unlock, "pin-key-ok"),
            ],
            alignment=ft.MainAxisAlignment.CENTER,
        )
    )
    typed = tagged(
        "pin-field",
        ft.TextField(
            label=tr("unlock.pin"),
            password=True,
            keyboard_type=ft.KeyboardType.NUMBER,
            width=320,
            on_change=lambda e: apply(set_pin(state, e.control.value)),
            on_submit=unlock,
        ),
    )
    submit.content.on_click = unlock
    render()
    return ft.Column(
        [
            heading(tr("unlock.title")),
            ft.Text(tr("unlock.pick_officer"), size=16),
            names,
            ft.Row([pin_text], alignment=ft.MainAxisAlignment.CENTER),
            ft.Row([typed], alignment=ft.MainAxisAlignment.CENTER),
            *digits,
            message,
            ft.Row([submit], alignment=ft.MainAxisAlignment.CENTER),
        ],
        spacing=14,
        scroll=ft.ScrollMode.AUTO,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
