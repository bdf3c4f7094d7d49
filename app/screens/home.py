"""Home screen: today's received / due / overdue counts, the work queue and the link state."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from app.state.home import link_text
from app.widgets import big_button, heading, tagged
from core.calendar import TIMEZONE, local_text

__all__ = ["build_home", "dossier_tile"]

# Two figures a row on a phone, four on a tablet.
FIGURE_COLUMNS = {"xs": 6, "md": 3}


def _figure(identifier: str, label: str, value: int, color: str) -> ft.Control:
    figure = tagged(
        identifier,
        ft.Container(
            padding=16,
            border_radius=12,
            bgcolor=color,
            content=ft.Column(
                [ft.Text(str(value), size=36, weight=ft.FontWeight.BOLD), ft.Text(label, size=15)],
                spacing=4,
            ),
        ),
    )
    figure.col = FIGURE_COLUMNS
    return figure


def dossier_tile(shell, summary) -> ft.Control:
    """One dossier as a list line (code, applicant, due date); tapping opens its detail."""
    due = local_text(summary.due_at)
    return tagged(
        f"dossier-{summary.code}",
        ft.ListTile(
            leading=ft.Icon(ft.Icons.DESCRIPTION),
            title=ft.Text(f"{summary.code} · {summary.applicant_name}"),
            subtitle=ft.Text(
                f"{summary.procedure_code} · {shell.tr('status.' + summary.status)} · "
                f"{shell.tr('dossier.due')}: {due}"
            ),
            trailing=None
            if not summary.unsynced
            else ft.Icon(ft.Icons.CLOUD_OFF, tooltip=shell.tr("dossier.unsynced")),
            on_click=lambda _: shell.page.run_task(shell.open_dossier, summary.id),
        ),
    )


async def build_home(shell) -> ft.Control:
    """Build the home screen from the vault's figures for today."""
    tr = shell.tr
    now = datetime.now(TIMEZONE)
    counts, queue = await shell.run(shell.desk.home_figures, now)
    return ft.Column(
        [
            heading(tr("home.hello", name=shell.desk.officer_name)),
            ft.ResponsiveRow(
                [
                    _figure(
                        "count-received",
                        tr("home.received_today"),
                        counts.received_today,
                        ft.Colors.BLUE_50,
                    ),
                    _figure(
                        "count-due", tr("home.due_today"), counts.due_today, ft.Colors.AMBER_50
                    ),
                    _figure("count-overdue", tr("home.overdue"), counts.overdue, ft.Colors.RED_50),
                    _figure(
                        "count-unsynced", tr("home.unsynced"), counts.unsynced, ft.Colors.GREY_200
                    ),
                ],
                spacing=12,
                run_spacing=12,
            ),
            tagged("home-link", ft.Text(link_text(shell.link, now, tr), size=16)),
            big_button(
                "home-new-dossier",
                tr("home.new_dossier"),
                lambda _: shell.page.run_task(shell.go, "intake"),
                icon=ft.Icons.NOTE_ADD,
            ),
            ft.Text(tr("home.queue"), size=18, weight=ft.FontWeight.BOLD),
            ft.Column([dossier_tile(shell, s) for s in queue] or [ft.Text(tr("home.queue_empty"))]),
        ],
        spacing=16,
        scroll=ft.ScrollMode.AUTO,
    )
