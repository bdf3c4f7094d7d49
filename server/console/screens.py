"""The city console's screens (Flet, desktop browser): log in, the unit's queue, one dossier
with its pages and the workflow actions the lifecycle allows now.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import flet as ft

from app.widgets import heading, tagged
from core.dossier_state import VIETNAM, event_time
from core.errors import SohoaError
from core.events import Event, EventType
from core.lifecycle import FORM_TITLES
from core.units import unit_name
from server.console.figures_view import FiguresScreen
from server.console.pages import load_thumbnails, page_gallery
from server.console.queue import DossierDetail, QueueRow, open_dossier, unit_queue
from server.console.workflow import inputs_for, offered_steps, step_payload, take_step
from server.context import ServerContext
from server.portal.photos import store_photo
from server.portal.picker import PhotoPicker
from server.portal.texts import Texts
from server.staff import StaffMember, log_in, staff_for_token

__all__ = ["ConsoleScreens"]

_WHEN = "%d/%m/%Y %H:%M"
Redraw = Callable[[], Awaitable[None] | None]


def _local(at: datetime) -> str:
    return at.astimezone(VIETNAM).strftime(_WHEN)


def _at(event: Event) -> str:
    return _local(event_time(event))


class ConsoleScreens:
    """One browser session of the console: the logged-in member and the screen shown."""

    def __init__(self, page: ft.Page, context: ServerContext, upload_dir: Path):
        self.page = page
        self.context = context
        self.t = Texts("vi")
        self.member: StaffMember | None = None
        self.detail: DossierDetail | None = None
        self.body = ft.Column(scroll=ft.ScrollMode.AUTO, expand=True, spacing=10)
        self.message = ft.Text("", size=16)
        self.picker = PhotoPicker(page, upload_dir, self._result_photo, self._error)
        self.figures = FiguresScreen(self)
        self._redraw: Redraw = self.show_login

    def start(self) -> None:
        """Show the log-in screen."""
        self.page.title = self.t("console.title")
        self.page.add(self.body)
        self.show_login()

    def show(self, redraw: Redraw, *controls: ft.Control) -> None:
        """Replace the screen's content; `redraw` draws it again, e.g. in the other language."""
        self._redraw = redraw
        self.picker.reset()
        self.message.value = ""
        switch = ft.TextButton(self.t("lang.switch"), on_click=self._switch_language)
        header = ft.Row([heading(self.t("console.title")), tagged("language", switch)])
        self.body.controls = [header, *controls]
        self.page.update()

    async def _switch_language(self, _: ft.Event) -> None:
        self.t = Texts("en" if self.t.language == "vi" else "vi")
        self.page.title = self.t("console.title")
        shown = self._redraw()
        if inspect.isawaitable(shown):
            await shown

    async def _error(self, error: SohoaError | str) -> None:
        text = error.message(self.t.language) if isinstance(error, SohoaError) else str(error)
        self.say(text, ok=False)

    def say(self, text: str, *, ok: bool = True) -> None:
        """Show a message under the actions."""
        self.message.value = text
        self.message.color = ft.Colors.GREEN_800 if ok else ft.Colors.RED_700
        self.page.update()

    def show_login(self) -> None:
        """Ask for the staff member's username and password."""
        username = ft.TextField(label=self.t("console.username"), autofocus=True)
        password = ft.TextField(label=self.t("console.password"), password=True)

        async def submit(_: ft.Event) -> None:
            def check() -> StaffMember:
                settings = self.context.settings
                with self.context.db.write() as conn:
                    token = log_in(
                        conn, username.value or "", password.value or "", settings.token_ttl_seconds
                    )
                    return staff_for_token(conn, token)

            try:
                self.member = await asyncio.to_thread(check)
            except SohoaError as exc:
                await self._error(exc)
                return
            await self.show_queue()

        self.show(
            self.show_login,
            tagged("username", username),
            tagged("password", password),
            tagged("log-in", ft.FilledButton(self.t("console.log_in"), on_click=submit)),
            tagged("message", self.message),
        )

    async def show_queue(self, _: ft.Event | None = None) -> None:
        """List the dossiers routed to the member's unit, soonest due first, overdue marked."""
        assert self.member is not None
        unit_code = self.member.unit_code

        def load() -> list[QueueRow]:
            with self.context.db.read() as conn:
                return unit_queue(conn, unit_code, datetime.now(UTC))

        rows = await asyncio.to_thread(load)
        lines: list[ft.Control] = []
        for row in rows:
            late = self.t("console.overdue") if row.overdue else ""
            text = (
                f"{row.code} · {row.procedure_code} · {self.t(f'status.{row.status}')} · "
                f"{self.t('dossier.due')} {row.due_at.strftime(_WHEN)}"
            )
            lines.append(
                ft.Row(
                    [
                        tagged(f"open-{row.code}", ft.TextButton(text, on_click=self._opener(row))),
                        ft.Text(late, color=ft.Colors.RED_700, weight=ft.FontWeight.BOLD),
                    ]
                )
            )
        unit = self.member.unit_code or self.t("console.city")
        self.show(
            self.show_queue,
            ft.Text(f"{self.t('console.queue')} — {unit}", size=18),
            ft.Row(
                [
                    tagged(
                        "refresh",
                        ft.OutlinedButton(self.t("console.refresh"), on_click=self.show_queue),
                    ),
                    tagged(
                        "figures",
                        ft.OutlinedButton(self.t("console.figures"), on_click=self.figures.show),
                    ),
                ]
            ),
            *(lines or [ft.Text(self.t("console.queue_empty"))]),
        )

    def _opener(self, row: QueueRow):  # type: ignore[no-untyped-def]
        async def open_row(_: ft.Event) -> None:
            await self.show_dossier(row.dossier_id)

        return open_row

    async def show_dossier(self, dossier_id: str) -> None:
        """Show one dossier: summary, pages, hand-offs and the actions allowed now."""
        assert self.member is not None

        def load() -> tuple[DossierDetail, list[bytes | None]]:
            with self.context.db.write() as conn:
                detail = open_dossier(conn, self.member, dossier_id)
            return detail, load_thumbnails(self.context.blobs, [sha for _, sha in detail.pages])

        try:
            self.detail, thumbs = await asyncio.to_thread(load)
        except SohoaError as exc:
            await self._error(exc)
            return
        self.show(
            lambda: self.show_dossier(dossier_id), *self._dossier_controls(self.detail, thumbs)
        )

    def _dossier_controls(self, detail: DossierDetail, thumbs: list[bytes | None]) -> list:
        state, t = detail.state, self.t
        current_unit = unit_name(state.current_unit)
        hashes = [sha for _, sha in detail.pages]
        slip_vi, slip_en = FORM_TITLES["06"]
        slip = [ft.Text(_handoff_line(h)) for h in detail.handoffs]
        controls: list[ft.Control] = [
            ft.Text(state.code, size=20, weight=ft.FontWeight.BOLD),
            tagged("status", ft.Text(f"{t('dossier.status')}: {t(f'status.{state.status}')}")),
            ft.Text(f"{t('dossier.due')}: {_local(state.due_at)} · {current_unit}"),
            tagged("pages", ft.Text(t("console.pages", n=len(detail.pages)))),
            page_gallery(self.page, self.context.blobs, hashes, thumbs),
            ft.Text(t("dossier.timeline"), weight=ft.FontWeight.BOLD),
            *(
                ft.Text(f"{_at(event)} — {t(f'event.{event.type}')} · {unit_name(event.unit_code)}")
                for event in state.history
            ),
            ft.Text(slip_en if t.language == "en" else slip_vi, weight=ft.FontWeight.BOLD),
            *slip,
        ]
        return [*controls, *self._action_controls(detail)]

    def _action_controls(self, detail: DossierDetail) -> list[ft.Control]:
        state, t = detail.state, self.t
        note = ft.TextField(label=t("console.note"))
        to_unit = ft.TextField(label=t("console.to_unit"), width=200)
        new_due = ft.TextField(label=t("console.new_due"), width=220)
        procedure = self.context.catalogue_version(state.catalogue_version).get(
            state.procedure_code
        )
        boxes = [ft.Checkbox(label=c.name, data=c.id) for c in procedure.components]
        assert self.member is not None
        offered = offered_steps(self.member, state)

        def act(event_type: EventType):  # type: ignore[no-untyped-def]
            async def run(_: ft.Event) -> None:
                missing = [box.data for box in boxes if box.value]
                await self._take(event_type, note.value, to_unit.value, new_due.value, missing)

            return run

        buttons = [
            tagged(f"step-{step}", ft.FilledButton(t(f"event.{step}"), on_click=act(step)))
            for step in offered
            # The result is attached as a scan: its button opens the camera instead.
            if step is not EventType.RESULT_READY
        ]
        if EventType.RESULT_READY in offered:
            buttons.append(
                tagged("step-result_ready", self.picker.button("result", t("event.result_ready")))
            )
        inputs = inputs_for(offered, state)
        controls: list[ft.Control] = [tagged("note", note)] if "note" in inputs else []
        controls.append(
            ft.Row(
                [
                    tagged(name.replace("_", "-"), field)
                    for name, field in (("to_unit", to_unit), ("new_due", new_due))
                    if name in inputs
                ]
            )
        )
        if "missing" in inputs:
            controls.append(ft.Text(t("console.missing")))
            controls.extend(tagged(f"missing-{box.data}", box) for box in boxes)
        back = tagged("back", ft.OutlinedButton(t("console.back"), on_click=self.show_queue))
        return [*controls, ft.Row(buttons, wrap=True), tagged("message", self.message), back]

    async def _take(
        self,
        event_type: EventType,
        note: str | None,
        to_unit: str | None,
        new_due: str | None,
        missing: list[str],
        result_pages: list[dict] | None = None,
    ) -> None:
        detail, member = self.detail, self.member
        assert detail is not None and member is not None

        def run() -> None:
            state = detail.state
            procedure = self.context.catalogue_version(state.catalogue_version).get(
                state.procedure_code
            )
            payload = step_payload(
                event_type,
                state,
                note=note or "",
                to_unit=to_unit or "",
                new_due=new_due or "",
                missing=missing,
                result_pages=result_pages,
                procedure=procedure,
            )
            take_step(self.context, member, detail.state.id, event_type, payload)

        try:
            await asyncio.to_thread(run)
        except SohoaError as exc:
            await self._error(exc)
            return
        await self.show_dossier(detail.state.id)
        self.say(self.t("console.done", step=self.t(f"event.{event_type}")))

    async def _result_photo(self, _target: str, data: bytes) -> None:
        try:
            page = await asyncio.to_thread(store_photo, self.context.blobs, data)
        except SohoaError as exc:
            await self._error(exc)
            return
        await self._take(EventType.RESULT_READY, "", "", "", [], [page.page_record()])


def _handoff_line(handoff: dict) -> str:
    """One line of the hand-over slip (form 06): from unit → to unit, kind and note."""
    units = f"{unit_name(handoff['from_unit'])} » {unit_name(handoff['to_unit'])}"
    return f"{units} · {handoff['kind']} {handoff['note']}".rstrip()
