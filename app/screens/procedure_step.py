"""The procedure step of a new dossier: find it by code or words, or take over a pre-application."""

from __future__ import annotations

from dataclasses import replace

import flet as ft

from app.state.intake import choose_procedure, take_over
from app.state.procedure import open_bundle, search_procedures
from app.widgets import big_button, error_text, tagged
from core.errors import SohoaError

__all__ = ["ProcedurePanel"]


class ProcedurePanel:
    """The procedure search with its result tiles, and the pre-application code field."""

    def __init__(self, screen) -> None:
        self.screen = screen
        self.search_results = ft.Column(spacing=4)
        # One tile per procedure or bundle, reused while the officer types: unchanged results
        # cost the browser nothing.
        self._tiles: dict[str, ft.Control] = {}

    def controls(self) -> list[ft.Control]:
        """The search field, the pre-application row and the matching procedures."""
        tr = self.screen.tr
        field = tagged(
            "procedure-search",
            ft.TextField(
                label=tr("intake.search_procedure"),
                hint_text=tr("intake.search_procedure_hint"),
                value=self.screen.state.search.query,
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
        tr = self.screen.tr
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
                [
                    ft.ProgressRing(width=20, height=20),
                    ft.Text(self.screen.tr("intake.preapp_fetching")),
                ]
            )
        ]
        self.preapp_status.update()
        try:
            taken = await self.screen.shell.run(self.screen.shell.desk.city.take_over, typed)
        except SohoaError as exc:
            self.preapp_status.controls = [
                error_text("preapp-error", exc.message(self.screen.tr.language))
            ]
            self.preapp_status.update()
            return
        self.screen.set_state(take_over(self.screen.state, taken))
        self.screen.show()

    def _search(self, event: ft.Event) -> None:
        search = search_procedures(self.screen.catalogue, event.control.value)
        self.screen.set_state(replace(self.screen.state, search=search), redraw=False)
        self._show_results()
        self.search_results.update()

    def _show_results(self) -> None:
        search = self.screen.state.search
        tiles = [self._procedure_tile(p) for p in search.results]
        tiles += [self._bundle_tile(b) for b in search.bundles]
        if search.query and not tiles:
            tiles.append(ft.Text(self.screen.tr("intake.no_procedure")))
        self.search_results.controls = tiles

    def _procedure_tile(self, procedure: object) -> ft.Control:
        key = f"procedure-{procedure.code}"
        if key not in self._tiles:
            facts = self.screen.shell.backend.procedure_facts(procedure, self.screen.tr)
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
                    title=ft.Text(self.screen.tr("intake.bundle", name=bundle.name), size=17),
                    subtitle=ft.Text(" + ".join(bundle.procedures)),
                    leading=ft.Icon(ft.Icons.LAYERS),
                    on_click=lambda _: self._open_bundle(bundle),
                ),
            )
        return self._tiles[key]

    def _open_bundle(self, bundle: object) -> None:
        search = open_bundle(self.screen.catalogue, self.screen.state.search, bundle)
        self.screen.set_state(replace(self.screen.state, search=search), redraw=False)
        self._show_results()
        self.search_results.update()

    def _choose(self, procedure: object) -> None:
        self.screen.set_state(choose_procedure(self.screen.state, procedure))
        self.screen.show()
