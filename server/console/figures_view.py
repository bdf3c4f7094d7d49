"""The console's figures screen: a period, a bar chart of the main rates, a table, CSV export."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING

import flet as ft
import flet_charts as fch

from app.widgets import tagged
from core.dossier_state import VIETNAM
from core.errors import SohoaError
from server.console.figures import (
    CITY,
    COUNTS,
    FiguresRow,
    Period,
    figures_csv,
    parse_period,
    period_figures,
)
from server.portal.texts import Texts

if TYPE_CHECKING:
    from server.console.screens import ConsoleScreens

__all__ = ["CHART_RATES", "FiguresScreen"]

# The two rates leaders watch first: on-time handling and citizens' satisfaction.
CHART_RATES = (("on_time_rate", ft.Colors.BLUE_600), ("satisfaction_rate", ft.Colors.GREEN_600))
TABLE_RATES = ("on_time_rate", "satisfaction_rate", "online_rate", "dossier_digitisation_rate")


def _chart(rows: list[FiguresRow]) -> fch.BarChart:
    groups = [
        fch.BarChartGroup(
            x=index,
            rods=[
                fch.BarChartRod(to_y=getattr(row.figures, name) or 0, color=colour, width=14)
                for name, colour in CHART_RATES
            ],
        )
        for index, row in enumerate(rows)
    ]
    labels = [
        fch.ChartAxisLabel(value=index, label=ft.Text(row.unit, size=11))
        for index, row in enumerate(rows)
    ]
    return fch.BarChart(
        groups=groups,
        min_y=0,
        max_y=100,
        bottom_axis=fch.ChartAxis(labels=labels, label_size=28),
        left_axis=fch.ChartAxis(label_size=36),
        height=260,
        width=max(320, 90 * len(rows)),
    )


def _legend(t: Texts) -> ft.Row:
    return ft.Row(
        [ft.Text(f"■ {t(f'figure.{name}')}", color=colour) for name, colour in CHART_RATES]
    )


def _table(rows: list[FiguresRow], t: Texts) -> ft.Row:
    columns = ["unit", *COUNTS, *TABLE_RATES]
    table = ft.DataTable(
        columns=[ft.DataColumn(ft.Text(t(f"figure.{name}"))) for name in columns],
        rows=[
            ft.DataRow(
                cells=[
                    ft.DataCell(ft.Text("" if row.values()[n] is None else str(row.values()[n])))
                    for n in columns
                ]
            )
            for row in rows
        ],
    )
    return ft.Row([table], scroll=ft.ScrollMode.AUTO)


class FiguresScreen:
    """Index-766 figures over a period for the member's unit, or for the city and every unit."""

    def __init__(self, screens: ConsoleScreens):
        self.screens = screens
        self.saver = ft.FilePicker()
        self.rows: list[FiguresRow] = []

    async def show(self, _: ft.Event | None = None) -> None:
        """Show the period fields with this month so far."""
        t, today = self.screens.t, datetime.now(VIETNAM).date()
        self.rows = []  # export only what this visit showed
        start = ft.TextField(label=t("console.period_from"), value=str(today.replace(day=1)))
        end = ft.TextField(label=t("console.period_to"), value=str(today))
        result = ft.Column()

        async def compute(_: ft.Event) -> None:
            try:
                period = parse_period(start.value or "", end.value or "")
            except SohoaError as exc:
                self.screens.say(exc.message(t.language), ok=False)
                return
            self.rows = await asyncio.to_thread(self._rows, period)
            result.controls = [
                tagged("chart", _chart(self.rows)),
                _legend(t),
                tagged("table", _table(self.rows, t)),
            ]
            self.screens.page.update()

        if self.saver not in self.screens.page.services:
            self.screens.page.services.append(self.saver)
        self.screens.show(
            self.show,
            ft.Text(t("console.figures"), size=18),
            ft.Row([tagged("from", start), tagged("to", end)]),
            ft.Row(
                [
                    tagged("show", ft.FilledButton(t("console.show"), on_click=compute)),
                    tagged("export", ft.OutlinedButton(t("console.export"), on_click=self._export)),
                ]
            ),
            result,
            tagged("message", self.screens.message),
            tagged("back", ft.OutlinedButton(t("console.back"), on_click=self.screens.show_queue)),
        )

    def _rows(self, period: Period) -> list[FiguresRow]:
        member = self.screens.member
        assert member is not None
        with self.screens.context.db.read() as conn:
            rows = period_figures(conn, member.unit_code, period)
        # Unit staff see their own unit; the city row would only repeat it.
        return rows if member.unit_code is None else [r for r in rows if r.unit != CITY]

    async def _export(self, _: ft.Event) -> None:
        if not self.rows:
            self.screens.say(self.screens.t("console.show"), ok=False)
            return
        data = figures_csv(self.rows).encode("utf-8-sig")  # the BOM makes Excel read UTF-8
        await self.saver.save_file(file_name="chi-so-766.csv", src_bytes=data)
