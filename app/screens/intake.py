"""New dossier: procedure, applicant, components with photos, review, then the receipt slip."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime

import flet as ft

from app.screens.applicant import ApplicantPanel
from app.screens.capture import ComponentsPanel
from app.state.intake import (
    IntakeState,
    Step,
    choose_procedure,
    go_to,
    mark_received,
    review,
    take_over,
)
from app.state.procedure import open_bundle, search_procedures
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
        self.search_results = ft.Column(spacing=4)
        # One tile per procedure or bundle, reused while the officer types: unchanged results
        # cost the browser nothing.
        self._tiles: dict[str, ft.Control] = {}
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
            Step.procedure: self._procedure_step,
            Step.applicant: self.applicant.controls,
            Step.components: self.components.controls,
            Step.review: self._review_step,
            Step.received: self._received_step,
        }
        self.body.controls = builders[self.state.step]()

    # -- procedure ---------------------------------------------------------------------------

    def _procedure_step(self) -> list[ft.Control]:
        tr = self.tr
        field = tagged(
            "procedure-search",
            ft.TextField(
                label=tr("intake.search_procedure"),
                hint_text=tr("intake.search_procedure_hint"),
                value=self.state.search.query,
                prefix_icon=ft.Icons.SEARCH,
                autofocus=True,
                on_change=self._search,
                text_size=18,
            ),
        )
        self._show_results()
        return [
            ft.ResponsiveRow([field]),  # the whole width: the hint is long
            self._preapplication_row(),
            self.preapp_status,
            self.search_results,
        ]

    def _preapplication_row(self) -> ft.Control:
        tr = self.tr
        self.preapp_code = ft.TextField(
            label=tr("intake.preapp_code"),
            on_submit=self._fetch_preapplication,
            text_size=18,
            width=360,
        )
        self.preapp_status = ft.Column(spacing=4)
        return ft.Row(
            [
                tagged("preapp-code", self.preapp_code),
                big_button(
                    "preapp-fetch",
                    tr("intake.preapp_fetch"),
                    self._fetch_preapplication,
                    icon=ft.Icons.CLOUD_DOWNLOAD,
                    primary=False,
                ),
            ],
            wrap=True,
        )

    async def _fetch_preapplication(self, _: ft.Event) -> None:
        """Take over the typed pre-application; an error under the field changes nothing else."""
        typed = self.preapp_code.value or ""
        self.preapp_status.controls = [
            ft.Row(
                [ft.ProgressRing(width=20, height=20), ft.Text(self.tr("intake.preapp_fetching"))]
            )
        ]
        self.preapp_status.update()
        try:
            taken = await self.shell.run(self.shell.desk.city.take_over, typed)
        except SohoaError as exc:
            self.preapp_status.controls = [
                error_text("preapp-error", exc.message(self.tr.language))
            ]
            self.preapp_status.update()
            return
        self.set_state(take_over(self.state, taken))
        self.show()

    def _search(self, event: ft.Event) -> None:
        search = search_procedures(self.catalogue, event.control.value)
        self.state = replace(self.state, search=search)
        self._show_results()
        self.search_results.update()

    def _show_results(self) -> None:
        search = self.state.search
        tiles = [self._procedure_tile(p) for p in search.results]
        tiles += [self._bundle_tile(b) for b in search.bundles]
        if search.query and not tiles:
            tiles.append(ft.Text(self.tr("intake.no_procedure")))
        self.search_results.controls = tiles

    def _procedure_tile(self, procedure: object) -> ft.Control:
        key = f"procedure-{procedure.code}"
        if key not in self._tiles:
            facts = self.shell.backend.procedure_facts(procedure, self.tr)
            self._tiles[key] = tagged(
                key,
                ft.ListTile(
                    title=ft.Text(f"{procedure.name}", size=17),
                    subtitle=ft.Text(f"{procedure.code} · {facts}"),
                    leading=ft.Icon(ft.Icons.ASSIGNMENT),
                    on_click=lambda _: self._choose(procedure),
                ),
            )
        return self._tiles[key]

    def _bundle_tile(self, bundle: object) -> ft.Control:
        key = f"bundle-{bundle.code}"
        if key not in self._tiles:
            self._tiles[key] = tagged(
                key,
                ft.ListTile(
                    title=ft.Text(self.tr("intake.bundle", name=bundle.name), size=17),
                    subtitle=ft.Text(" + ".join(bundle.procedures)),
                    leading=ft.Icon(ft.Icons.LAYERS),
                    on_click=lambda _: self._open_bundle(bundle),
                ),
            )
        return self._tiles[key]

    def _open_bundle(self, bundle: object) -> None:
        search = open_bundle(self.catalogue, self.state.search, bundle)
        self.state = replace(self.state, search=search)
        self._show_results()
        self.search_results.update()

    def _choose(self, procedure: object) -> None:
        self.set_state(choose_procedure(self.state, procedure))
        self.show()

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
