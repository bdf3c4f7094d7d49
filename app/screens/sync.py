"""Sync screen: progress of the queue, quarantined items with the server's reason, bundle export."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from app.state.sync_view import sync_figures
from app.widgets import big_button, error_text, heading, tagged
from core.calendar import TIMEZONE
from core.errors import SohoaError

__all__ = ["build_sync"]


async def build_sync(shell) -> ft.Control:
    """Build the sync screen from the engine's progress and the vault's quarantine."""
    tr = shell.tr
    column = ft.Column(spacing=10, scroll=ft.ScrollMode.AUTO)

    async def refresh() -> None:
        snapshot, quarantined = await shell.run(shell.desk.sync_status)
        figures = sync_figures(snapshot, tr)
        lines: list[ft.Control] = [
            heading(tr("nav.sync")),
            tagged("sync-items", ft.Text(figures.items, size=17)),
            ft.ProgressBar(value=figures.fraction, height=10),
            ft.Text(figures.volume, size=16),
            ft.Text(f"{figures.speed} · {figures.time_left}", size=16),
        ]
        if figures.error:
            lines.append(error_text("sync-error", figures.error))
        lines.append(
            ft.Row(
                [
                    big_button("sync-now", tr("sync.now"), sync_now, icon=ft.Icons.SYNC),
                    big_button(
                        "sync-export", tr("sync.export"), export, icon=ft.Icons.USB, primary=False
                    ),
                ],
                wrap=True,
            )
        )
        lines.append(
            ft.Text(tr("sync.quarantined", n=len(quarantined)), size=18, weight=ft.FontWeight.BOLD)
        )
        for item in quarantined:
            lines.append(
                ft.ListTile(
                    leading=ft.Icon(ft.Icons.REPORT, color=ft.Colors.ORANGE_800),
                    title=ft.Text(
                        f"{tr('event.' + item.event.type)} · {item.event.dossier_id[:8]}"
                    ),
                    subtitle=ft.Text(item.reason),
                    trailing=ft.TextButton(
                        content=ft.Text(tr("sync.retry")),
                        on_click=lambda _, eid=item.event.id: shell.page.run_task(retry, eid),
                    ),
                )
            )
        column.controls = lines
        shell.page.update()

    async def sync_now(_: ft.Event) -> None:
        try:
            await shell.sync_now()
        except SohoaError as exc:
            shell.toast(exc.message(tr.language), error=True)
        await refresh()

    async def retry(event_id: str) -> None:
        await shell.run(shell.desk.retry, event_id)
        await refresh()

    async def export(_: ft.Event) -> None:
        try:
            data = await shell.run(shell.desk.export_bundle)  # the worker seals it on its thread
        except SohoaError as exc:
            shell.toast(exc.message(tr.language), error=True)
            return
        name = f"sohoa-{datetime.now(TIMEZONE):%Y%m%d-%H%M}.bundle"
        await shell.file_picker.save_file(file_name=name, src_bytes=data)

    column.controls = [heading(tr("nav.sync"))]
    shell.page.run_task(refresh)
    return column
