"""The dossier detail's typed steps: a small form per step, errors under each field."""

from __future__ import annotations

import flet as ft

from app.state.lifecycle_steps import (
    StepForm,
    choose_unit,
    extend_by,
    open_step,
    set_value,
    submit,
    toggle_missing,
    typed_actions,
    unit_choices,
)
from app.widgets import big_button, error_text, tagged
from core.errors import SohoaError
from core.events import EventType

__all__ = ["StepPanel"]

FIELDS = {
    EventType.SUPPLEMENT_REQUESTED: ("note",),
    EventType.REFUSED: ("reason",),
    EventType.STOPPED: ("reason",),
    EventType.EXTENDED: ("days", "new_due", "reason"),
    EventType.HANDED_OVER: ("unit", "note"),
}


class StepPanel:
    """Buttons for the typed steps `state` allows, and the form of the one being filled in."""

    def __init__(self, shell, state, documents: list[str]) -> None:
        self.shell = shell
        self.state = state
        self.documents = documents
        self.form: StepForm | None = None
        self.fields: dict[str, ft.TextField] = {}
        self.view = ft.Column(spacing=8)
        self._show_buttons()

    def say(self, key: str) -> str:
        """This panel's text for `key` in the officer's language."""
        return self.shell.tr(f"steps.{key}")

    def buttons(self) -> list[ft.Control]:
        """One button per typed step the lifecycle allows now."""
        return [
            big_button(
                f"lifecycle-{kind}",
                self.shell.tr(f"event.{kind}"),
                lambda _, k=kind: self._open(k),
                primary=False,
            )
            for kind in typed_actions(self.state)
        ]

    def _show_buttons(self) -> None:
        self.form = None
        self.view.controls = [ft.Row(self.buttons(), wrap=True)]

    def _open(self, kind: EventType) -> None:
        self.form = open_step(kind, self.state, self.shell.backend.calendar)
        self.fields = {name: self._field(name) for name in FIELDS[kind]}
        self._redraw()

    def _field(self, name: str) -> ft.TextField:
        return ft.TextField(
            label=self.say(name),
            value=self.form.values.get(name, ""),
            multiline=name in ("reason", "note"),
            text_size=18,
            on_change=lambda e, n=name: self._typed(n, e.control.value or ""),
        )

    def _typed(self, name: str, text: str) -> None:
        if name == "days":
            self.form = extend_by(self.form, self.state, text, self.shell.backend.calendar)
            self.fields["new_due"].value = self.form.values.get("new_due", "")
        else:
            self.form = set_value(self.form, name, text)
        if name == "unit":
            self.form = set_value(self.form, "to_unit", "")
            self._redraw()
            return
        self._show_errors()
        self.shell.page.update()

    def _show_errors(self) -> None:
        language = 1 if self.shell.tr.language == "en" else 0
        for name, field in self.fields.items():
            error = self.form.errors.get(name)
            field.error = error[language] if error else None

    def _redraw(self) -> None:
        kind = self.form.kind
        self._show_errors()
        controls: list[ft.Control] = [
            ft.Text(self.shell.tr(f"event.{kind}"), size=18, weight=ft.FontWeight.BOLD)
        ]
        if kind is EventType.SUPPLEMENT_REQUESTED:
            controls += self._documents()
        for name, field in self.fields.items():
            controls.append(tagged(f"lifecycle-{name}", field))
            if name == "unit":
                controls.append(ft.Row(self._unit_choices(), wrap=True))
        controls.append(
            ft.Row(
                [
                    big_button("lifecycle-record", self.say("record"), self._record),
                    big_button("lifecycle-cancel", self.say("cancel"), self._cancel, primary=False),
                ]
            )
        )
        self.view.controls = controls
        self.shell.page.update()

    def _documents(self) -> list[ft.Control]:
        boxes: list[ft.Control] = [ft.Text(self.say("missing"), size=16)]
        boxes += [
            tagged(
                f"lifecycle-missing-{n}",
                ft.Checkbox(
                    label=name,
                    value=name in self.form.missing,
                    on_change=lambda _, d=name: self._toggle(d),
                ),
            )
            for n, name in enumerate(self.documents)
        ]
        error = self.form.errors.get("missing")
        if error:
            boxes.append(
                error_text("lifecycle-missing-error", error[self.shell.tr.language == "en"])
            )
        return boxes

    def _toggle(self, document: str) -> None:
        self.form = toggle_missing(self.form, document)
        self._redraw()

    def _unit_choices(self) -> list[ft.Control]:
        typed = self.form.values.get("unit", "").strip()
        if self.form.values.get("to_unit") or len(typed) < 2:
            return []
        return [
            tagged(
                f"lifecycle-unit-{found.code}",
                ft.OutlinedButton(
                    content=ft.Text(f"{found.name} · {found.province_name}"),
                    on_click=lambda _, u=found: self._chose(u),
                ),
            )
            for found in unit_choices(typed)
        ]

    def _chose(self, found) -> None:
        self.form = choose_unit(self.form, found)
        self.fields["unit"].value = found.name
        self._redraw()

    def _cancel(self, _: ft.Event) -> None:
        self._show_buttons()
        self.shell.page.update()

    async def _record(self, _: ft.Event) -> None:
        self.form, payload = submit(self.form, self.state, self.shell.backend.calendar)
        if payload is None:
            self._redraw()
            return
        try:
            await self.shell.run(
                self.shell.desk.record_step, self.state.id, self.form.kind, payload
            )
        except SohoaError as exc:  # the lifecycle refused it: what was typed stays on screen
            self.shell.toast(exc.message(self.shell.tr.language), error=True)
            return
        self.shell.sync_soon()
        await self.shell.open_dossier(self.state.id)
