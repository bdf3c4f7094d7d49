"""Dossiers: search by code, CCCD or name, filter, page; and one dossier's timeline and pages."""

from __future__ import annotations

import flet as ft

from app.forms_data import forms_produced
from app.screens.conflicts import conflict_controls
from app.screens.home import dossier_tile
from app.screens.lifecycle_steps import StepPanel
from app.state.actions import one_tap_actions
from app.state.dossiers import (
    FILTERS,
    DossierQuery,
    next_page,
    previous_page,
    set_filter,
    set_search,
)
from app.state.timeline import event_subtitle
from app.widgets import TOUCH_HEIGHT, big_button, heading, tagged
from core.calendar import local_text
from core.errors import SohoaError
from core.lifecycle import FORM_TITLES

__all__ = ["build_dossiers", "build_dossier"]


async def build_dossiers(shell) -> ft.Control:
    """Build the searchable, paged list of this device's dossiers."""
    tr = shell.tr
    rows = ft.Column(spacing=2)
    page_label = ft.Text("", size=15)
    filters = ft.Row(wrap=True, spacing=8)
    shown = {"query": DossierQuery(), "next_after": None}

    def render(query: DossierQuery, items: list, next_after: str | None) -> None:
        shown.update(query=query, next_after=next_after)
        rows.controls = [dossier_tile(shell, s) for s in items] or [
            tagged("dossiers-empty", ft.Text(tr("dossiers.none"), size=16))
        ]
        page_label.value = tr("dossiers.page", n=query.page_number)
        filters.controls = [
            tagged(
                f"filter-{name}",
                ft.Chip(
                    label=ft.Text(tr(f"filter.{name}")),
                    selected=name == query.filter,
                    on_select=lambda _, n=name: shell.page.run_task(load, set_filter(query, n)),
                ),
            )
            for name in FILTERS
        ]

    async def load(query: DossierQuery) -> None:
        render(query, *await shell.run(shell.desk.find, query))
        shell.show(screen)

    def searched(event: ft.Event) -> None:
        text = event.control.value or ""
        if not text or len(text) >= 3:
            shell.page.run_task(load, set_search(shown["query"], text))

    search = tagged(
        "dossiers-search",
        ft.TextField(
            label=tr("dossiers.search"),
            hint_text=tr("dossiers.search_hint"),
            prefix_icon=ft.Icons.SEARCH,
            text_size=18,
            on_change=searched,
        ),
    )
    pager = ft.Row(
        [
            ft.IconButton(
                ft.Icons.CHEVRON_LEFT,
                on_click=lambda _: shell.page.run_task(load, previous_page(shown["query"])),
            ),
            page_label,
            ft.IconButton(
                ft.Icons.CHEVRON_RIGHT,
                on_click=lambda _: shell.page.run_task(
                    load, next_page(shown["query"], shown["next_after"])
                ),
            ),
        ]
    )
    first = DossierQuery()
    render(first, *await shell.run(shell.desk.find, first))
    screen = ft.Column(
        [heading(tr("nav.dossiers")), ft.ResponsiveRow([search]), filters, rows, pager],
        scroll=ft.ScrollMode.AUTO,
        spacing=10,
    )
    return screen


async def build_dossier(shell) -> ft.Control:
    """Build one dossier's detail: facts, steps, timeline, page thumbnails, forms 01–06."""
    tr = shell.tr
    detail = await shell.run(shell.desk.detail, shell.selected_dossier)
    state = detail.state
    timeline = [
        ft.ListTile(
            leading=ft.Icon(ft.Icons.HISTORY),
            title=ft.Text(tr("event." + event.type)),
            subtitle=ft.Text(event_subtitle(event, wall_ms)),
        )
        for event, wall_ms in detail.timeline
    ]
    thumbs = [
        ft.Image(src=t, width=120, height=160, fit=ft.BoxFit.CONTAIN) for t in detail.thumbnails
    ]

    async def download(number: str) -> None:
        pdf = await shell.run(shell.desk.form_pdf, state.id, number)
        name = f"{state.code}-mau-{number}.pdf"
        await shell.file_picker.save_file(file_name=name, src_bytes=pdf)

    async def act(kind) -> None:
        try:
            await shell.run(shell.desk.record, state.id, kind)
        except SohoaError as exc:
            shell.toast(exc.message(tr.language), error=True)
            return
        shell.sync_soon()
        await shell.open_dossier(state.id)

    actions = [
        big_button(
            f"action-{kind}",
            tr(f"action.{kind}"),
            lambda _, k=kind: shell.page.run_task(act, k),
            primary=False,
        )
        for kind in one_tap_actions(state)
    ]
    procedure = shell.backend.catalogue_of(state.catalogue_version).get(state.procedure_code)
    steps = StepPanel(shell, state, [c.name for c in procedure.components])
    english = tr.language == "en"
    forms = [
        big_button(
            f"dossier-form-{number}",
            f"{'Form' if english else 'Mẫu'} {number}: {FORM_TITLES[number][english]}",
            lambda _, n=number: shell.page.run_task(download, n),
            icon=ft.Icons.DOWNLOAD,
            primary=number == "01",
        )
        for number in forms_produced(state)
    ]
    conflicts = conflict_controls(shell, state)

    return ft.Column(
        [
            tagged("dossier-code", heading(state.code)),
            tagged(
                "dossier-status",
                ft.Text(f"{tr('dossier.status')}: {tr('status.' + state.status)}", size=17),
            ),
            ft.Text(f"{state.procedure_code} · {state.applicant.get('name', '')}", size=17),
            ft.Text(f"{tr('dossier.due')}: {local_text(state.due_at)}", size=17),
            *_section(tr("dossier.conflicts", n=len(state.conflicts)), conflicts),
            *_section(
                tr("dossier.actions"),
                [ft.Row(actions, wrap=True), steps.view] if actions or steps.buttons() else [],
            ),
            ft.Text(tr("dossier.timeline"), size=18, weight=ft.FontWeight.BOLD),
            *timeline,
            ft.Text(
                tr("dossier.pages", n=len(detail.thumbnails)), size=18, weight=ft.FontWeight.BOLD
            ),
            ft.Row(thumbs, wrap=True),
            ft.Row(forms, wrap=True),
            ft.Row(
                [
                    tagged(
                        "dossier-back",
                        ft.OutlinedButton(
                            content=ft.Text(tr("dossier.back")),
                            height=TOUCH_HEIGHT,
                            on_click=lambda _: shell.page.run_task(shell.go, "dossiers"),
                        ),
                    ),
                ]
            ),
        ],
        scroll=ft.ScrollMode.AUTO,
        spacing=8,
    )


def _section(title: str, controls: list[ft.Control]) -> list[ft.Control]:
    """A bold title over `controls`, or nothing when there are none."""
    if not controls:
        return []
    return [ft.Text(title, size=18, weight=ft.FontWeight.BOLD), *controls]
