"""The applicant step of a new dossier: CCCD checked as typed, chip-card QR paste, return method."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import flet as ft

from app.qr import pick_photo, read_qr
from app.state.applicant import fill_from_chip_qr, set_field
from app.state.intake import Step
from app.widgets import TOUCH_HEIGHT, big_button, tagged
from core.errors import SohoaError

__all__ = ["ApplicantPanel"]

_KEYBOARDS = {
    "cccd": ft.KeyboardType.NUMBER,
    "phone": ft.KeyboardType.PHONE,
    "birth_date": ft.KeyboardType.DATETIME,
    "residence_unit": ft.KeyboardType.NUMBER,
}


class ApplicantPanel:
    """Text fields bound to the intake state's applicant form; errors show under each field."""

    def __init__(self, screen) -> None:
        self.screen = screen
        self.fields: dict[str, ft.TextField] = {}
        self.choices: dict[str, dict[str, ft.Button]] = {}
        # Kept here, not only in the widget, so a redraw of the step keeps what was pasted.
        self.qr_text = ""
        self.qr_note = ft.Text("", color=ft.Colors.GREEN_800)
        # Hidden on its tag, not on the text: Flet refuses a tag around a hidden control.
        self.qr_note_tag = tagged("applicant-chipqr-filled", self.qr_note)
        self.qr_note_tag.visible = False
        self.gender_error = ft.Text("", color=ft.Colors.RED_700)

    @property
    def form(self):
        """The applicant form in the current intake state."""
        return self.screen.state.applicant

    def _store(self, form) -> None:
        self.screen.set_state(replace(self.screen.state, applicant=form), redraw=False)
        self._show_errors()

    def _show_errors(self) -> None:
        language = self.screen.tr.language
        form = self.form
        for name, field in self.fields.items():
            error = form.errors.get(name)
            field.error = error.message(language) if error else None
            field.value = (
                form.values.get(name, field.value)
                if name != "return_address"
                else (form.return_address)
            )
        chosen = {
            "gender": form.values.get("gender", ""),
            "channel": form.channel,
            "return_method": form.return_method,
        }
        for name, buttons in self.choices.items():
            for option, button in buttons.items():
                button.bgcolor = ft.Colors.INDIGO_100 if option == chosen[name] else None
        gender_error = form.errors.get("gender")
        self.gender_error.value = gender_error.message(language) if gender_error else ""

    def _text(self, name: str, *, multiline: bool = False) -> ft.Control:
        field = ft.TextField(
            label=self.screen.tr(f"applicant.{name}"),
            keyboard_type=_KEYBOARDS.get(name, ft.KeyboardType.TEXT),
            multiline=multiline,
            text_size=18,
            on_change=lambda e, n=name: self._changed(n, e.control.value),
        )
        self.fields[name] = field
        return tagged(f"applicant-{name}", field)

    def _changed(self, name: str, value: str) -> None:
        self._store(set_field(self.form, name, value))
        self.fields[name].update()
        if name in ("birth_date", "gender") and "cccd" in self.fields:
            self.fields["cccd"].update()

    def _choice(self, name: str, options: tuple[str, ...]) -> ft.Control:
        tr = self.screen.tr
        buttons = {
            option: ft.Button(
                content=ft.Text(tr(f"{name}.{option}"), size=16),
                height=TOUCH_HEIGHT,
                on_click=lambda _, o=option: self._chose(name, o),
            )
            for option in options
        }
        self.choices[name] = buttons
        return ft.Row(
            [tagged(f"{name}-{option}", button) for option, button in buttons.items()], wrap=True
        )

    def _chose(self, name: str, option: str) -> None:
        posted_before = self.form.return_method == "post"
        self._store(set_field(self.form, name, option))
        if (self.form.return_method == "post") != posted_before:
            self.screen.render()  # the postal address field comes or goes
        self.screen.show()

    def _fill_from_qr(self, payload: str) -> None:
        # Values go into the fields already on screen: rebuilding the step would cost a redraw
        # and could drop what the officer is typing elsewhere on it.
        self._store(fill_from_chip_qr(self.form, payload))
        filled = "cccd" not in self.form.errors
        name = self.form.values.get("name", "")
        self.qr_note.value = self.screen.tr("applicant.filled_from_qr", name=name)
        self.qr_note_tag.visible = filled
        self.screen.show()

    async def _paste_qr(self, _: ft.Event) -> None:
        self._fill_from_qr(self.qr_text)

    async def _scan_qr(self, _: ft.Event) -> None:
        shell = self.screen.shell
        photo = await pick_photo(shell.file_picker, self.screen.tr("applicant.chip_qr_photo"))
        if photo is None:
            return
        try:
            self.qr_text = await asyncio.to_thread(read_qr, photo)
        except SohoaError as exc:
            self.qr_field.error = exc.message(self.screen.tr.language)
            self.qr_field.update()
            return
        self._fill_from_qr(self.qr_text)

    def controls(self) -> list[ft.Control]:
        """The fields of the applicant step, filled with what was typed before."""
        tr = self.screen.tr
        form = self.form
        self.fields = {}
        self.choices = {}
        self.qr_field = ft.TextField(
            label=tr("applicant.chip_qr"),
            text_size=16,
            value=self.qr_text,
            on_change=lambda e: setattr(self, "qr_text", e.control.value or ""),
        )
        rows: list[ft.Control] = [
            tagged("applicant-chipqr", self.qr_field),
            # A wrapping row may not hold an expanded child (Flutter draws nothing then), so
            # the field has a line of its own and the buttons wrap under it on a phone.
            ft.Row(
                [
                    big_button(
                        "applicant-chipqr-fill",
                        tr("applicant.fill_from_qr"),
                        self._paste_qr,
                        icon=ft.Icons.QR_CODE,
                        primary=False,
                    ),
                    big_button(
                        "applicant-chipqr-photo",
                        tr("applicant.chip_qr_photo"),
                        self._scan_qr,
                        icon=ft.Icons.QR_CODE_SCANNER,
                        primary=False,
                    ),
                ],
                wrap=True,
            ),
            self.qr_note_tag,
            self._text("cccd"),
            self._text("name"),
            ft.Row(
                [
                    ft.Container(self._text("birth_date"), expand=True),
                    ft.Container(self._text("phone"), expand=True),
                ]
            ),
            ft.Text(tr("applicant.gender"), size=16),
            self._choice("gender", ("male", "female")),
            tagged("applicant-gender-error", self.gender_error),
            self._text("address", multiline=True),
            self._text("residence_unit"),
            ft.Text(tr("applicant.channel"), size=16),
            self._choice("channel", ("counter", "online", "post")),
            ft.Text(tr("applicant.return_method"), size=16),
            self._choice("return_method", ("counter", "post")),
        ]
        if form.return_method == "post":
            rows.append(self._text("return_address", multiline=True))
        rows.append(
            big_button(
                "applicant-next",
                tr("intake.next"),
                lambda _: self.screen.move(Step.components),
                icon=ft.Icons.ARROW_FORWARD,
            )
        )
        self._show_errors()
        return rows
