"""New dossier: procedure, applicant, components with photos, review, then the receipt slip."""

from __future__ import annotations

import asyncio
from datetime import datetime

import flet as ft

from app.screens.applicant import ApplicantPanel
from app.screens.capture import ComponentsPanel
from app.screens.procedure_step import ProcedurePanel
from app.state.intake import (
    IntakeState,
    Step,
    go_to,
    mark_received,
    review,
)
from app.widgets import big_button, error_text, heading, tagged
from core.calendar import local_text
from core.errors import SohoaError

__all__ = ["build_intake"]


class IntakeScreen:
    """Holds the new-dossier state and re-renders the current step when it changes."""

    def __init__(self, shell, catalogue: object) -> None:
        self.shell = shell
        self.tr = shell.tr
        self.catalogue = catalogue  # read once: the backend looks up published versions per read
        self.state = IntakeState()
        self.chips = {step: self._chip(step) for step in Step if step is not Step.received}
        self.stepper = ft.Row(
            [tagged(f"step-{step}", chip) for step, chip in self.chips.items()],
            spacing=8,
            wrap=True,
        )
        self.body = ft.Column(spacing=12, expand=True, scroll=ft.ScrollMode.AUTO)
        self.root = ft.Column(
            [heading(self.tr("intake.title")), self.stepper, self.body], expand=True
        )
        self.applicant = ApplicantPanel(self)
        self.components = ComponentsPanel(self)
        self.procedure = ProcedurePanel(self)
        self.receive_button: ft.Control | None = None

    def control(self) -> ft.Control:
        """The whole screen."""
        self.render()
        return self.root

    def show(self) -> None:
        """Send this screen's changes to the browser, unless the officer has moved to another."""
        self.shell.show(self.root)

    def _chip(self, step: Step) -> ft.Chip:
        return ft.Chip(
            label=ft.Text(self.tr(f"intake.step.{step}")), on_select=lambda _: self.move(step)
        )

    def set_state(self, state: IntakeState, *, redraw: bool = True) -> None:
        """Store the new state; redraw the step when it changed page."""
        changed = state.step != self.state.step
        self.state = state
        self.shell.touch()
        if redraw or changed:
            self.render()

    def move(self, step: Step) -> None:
        """Go to `step` if the form allows it (errors keep the officer on the applicant page)."""
        self.set_state(go_to(self.state, step))
        self.show()

    def render(self) -> None:
        """Mark the current step in the stepper and rebuild its page."""
        for step, chip in self.chips.items():
            chip.selected = step == self.state.step
            chip.disabled = self.state.receipt is not None
        builders = {
            Step.procedure: self.procedure.controls,
            Step.applicant: self.applicant.controls,
            Step.components: self.components.controls,
            Step.review: self._review_step,
            Step.received: self._received_step,
        }
        self.body.controls = builders[self.state.step]()

    # -- review and receipt ------------------------------------------------------------------

    def _review_step(self) -> list[ft.Control]:
        tr = self.tr
        summary = review(self.state, self.shell.backend.fee_for)
        lines: list[ft.Control] = [
            ft.Text(f"{tr('intake.procedure')}: {self.state.procedure.name}", size=17),
            ft.Text(f"{tr('intake.applicant')}: {self.state.applicant.values['name']}", size=17),
            ft.Text(tr("intake.pages_total", n=summary.page_count), size=17),
            tagged(
                "review-fee",
                ft.Text(tr("intake.fee", fee=_vnd(summary.fee_vnd)), size=17),
            ),
        ]
        if summary.missing:
            names = [tr(m) if m.startswith("applicant.") else m for m in summary.missing]
            lines.append(error_text("review-missing", tr("intake.missing", items=", ".join(names))))
        submit = big_button(
            "receive-submit", tr("intake.receive"), self._receive, icon=ft.Icons.CHECK_CIRCLE
        )
        self.receive_button = submit.content
        self.receive_button.disabled = not summary.can_receive
        return [*lines, submit]

    async def _receive(self, _: ft.Event) -> None:
        summary = review(self.state, self.shell.backend.fee_for)
        button = self.receive_button
        button.disabled = True
        button.update()
        try:
            receipt = await self.shell.run(self.shell.desk.receive, self.state, summary)
            self.set_state(mark_received(self.state, summary, receipt))
            self.shell.sync_soon()
        except SohoaError as exc:
            button.disabled = False
            self.body.controls.insert(
                -1, error_text("receive-error", exc.message(self.tr.language))
            )
        self.show()

    def _received_step(self) -> list[ft.Control]:
        tr = self.tr
        receipt = self.state.receipt
        return [
            tagged(
                "receipt-code",
                ft.Text(tr("receipt.code", code=receipt.code), size=26, weight=ft.FontWeight.BOLD),
            ),
            tagged("receipt-due", ft.Text(tr("receipt.due", when=_when(receipt.due_at)), size=22)),
            ft.Text(tr("receipt.received_at", when=_when(receipt.received_at)), size=16),
            tagged("receipt-fee", ft.Text(tr("intake.fee", fee=_vnd(receipt.fee_vnd)), size=16)),
            ft.Image(src=receipt.qr_png, width=180, height=180),
            ft.Row(
                [
                    big_button(
                        "receipt-download",
                        tr("receipt.download"),
                        self._download,
                        icon=ft.Icons.DOWNLOAD,
                    ),
                    *self._finish_button(receipt),
                    big_button(
                        "receipt-new",
                        tr("receipt.new"),
                        lambda _: self.shell.page.run_task(self.shell.go, "intake"),
                        icon=ft.Icons.NOTE_ADD,
                        primary=False,
                    ),
                ],
                wrap=True,
            ),
        ]

    def _finish_button(self, receipt) -> list[ft.Control]:
        if not receipt.finish_now:
            return []
        return [
            big_button(
                "finish-on-spot",
                self.tr("receipt.finish_now"),
                self._finish_now,
                icon=ft.Icons.DONE_ALL,
                primary=False,
            )
        ]

    async def _finish_now(self, _: ft.Event) -> None:
        receipt = self.state.receipt
        try:
            await self.shell.run(self.shell.desk.finish_on_the_spot, receipt.dossier_id)
        except SohoaError as exc:
            self.shell.toast(exc.message(self.tr.language), error=True)
            return
        self.shell.sync_soon()
        await self.shell.open_dossier(receipt.dossier_id)

    async def _download(self, _: ft.Event) -> None:
        receipt = self.state.receipt
        pdf = await self.shell.run(self.shell.desk.receipt_pdf, receipt.dossier_id)
        await self.shell.file_picker.save_file(file_name=f"{receipt.code}.pdf", src_bytes=pdf)


def _when(iso: str) -> str:
    return local_text(datetime.fromisoformat(iso))


async def build_intake(shell) -> ft.Control:
    """Build a fresh new-dossier screen."""
    catalogue = await asyncio.to_thread(lambda: shell.backend.catalogue)
    return IntakeScreen(shell, catalogue).control()


def _vnd(amount: int) -> str:
    """An amount of đồng as Vietnamese write it: 1.000.000."""
    return f"{amount:,}".replace(",", ".")
