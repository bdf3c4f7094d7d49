"""Concurrent edits of a dossier's field on two devices, for the officer to settle."""

from __future__ import annotations

import flet as ft

from app.widgets import big_button, tagged
from core.errors import SohoaError

__all__ = ["conflict_controls"]


def conflict_controls(shell, state) -> list[ft.Control]:
    """One line per conflict and a button per value; a choice records the settling edit."""
    tr = shell.tr

    async def settle(field: str, value: object) -> None:
        try:
            await shell.run(shell.desk.resolve_conflict, state.id, field, value)
        except SohoaError as exc:
            shell.toast(exc.message(tr.language), error=True)
            return
        shell.sync_soon()
        await shell.open_dossier(state.id)

    controls: list[ft.Control] = []
    for n, conflict in enumerate(state.conflicts):
        kept, overwritten = conflict.kept.value, conflict.overwritten.value
        # Edited fields are named like the applicant form's labels ("applicant.phone").
        label = (
            conflict.field
            if conflict.field.startswith("applicant.")
            else "applicant." + conflict.field
        )
        text = tr("dossier.conflict", field=tr(label), kept=kept, overwritten=overwritten)
        choices = [
            big_button(
                f"conflict-{n}-{side}",
                tr("dossier.conflict_choose", value=value),
                lambda _, v=value, f=conflict.field: shell.page.run_task(settle, f, v),
                primary=False,
            )
            for side, value in (("kept", kept), ("overwritten", overwritten))
        ]
        controls.append(tagged(f"conflict-{n}", ft.Text(text, color=ft.Colors.ORANGE_800, size=16)))
        controls.append(ft.Row(choices, wrap=True))
    return controls
