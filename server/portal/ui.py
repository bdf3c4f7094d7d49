"""The citizen portal's screens (Flet, served in the phone's browser): follow a dossier,
supplement it with photos, rate the service, and pre-apply for a procedure.

Which dossier the citizen found lives only in this browser session's memory: nothing personal
goes into a URL, and a reload starts from the lookup again.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path

import flet as ft

from app.widgets import heading, tagged
from core.errors import SohoaError
from server.portal.citizen import Portal
from server.portal.follow import CitizenView
from server.portal.photos import store_photo
from server.portal.picker import PhotoPicker
from server.portal.preapply import PreApplication, issue_preapplication
from server.portal.texts import Texts

__all__ = ["PortalScreens"]

_WHEN = "%d/%m/%Y %H:%M"
Redraw = Callable[[], Awaitable[None] | None]
_SEARCH_LIMIT = 8


class PortalScreens:
    """One browser session of the portal: the screens and what the citizen has found so far."""

    def __init__(self, page: ft.Page, portal: Portal, upload_dir: Path, language: str = "vi"):
        self.page = page
        self.portal = portal
        self.t = Texts(language)
        self.dossier_id: str | None = None
        self.draft: PreApplication | None = None
        self.body = ft.Column(scroll=ft.ScrollMode.AUTO, expand=True, spacing=12)
        self.message = ft.Text("", size=16)
        self.picker = PhotoPicker(page, upload_dir, self._photo, self._error)
        self._redraw: Redraw = self.show_lookup

    def start(self) -> None:
        """Show the lookup screen."""
        self.page.title = self.t("portal.title")
        self.page.add(ft.SafeArea(self.body, expand=True))
        self.show_lookup()

    def _show(self, redraw: Redraw, *controls: ft.Control) -> None:
        """Replace the screen; `redraw` draws it again, e.g. in the other language."""
        self._redraw = redraw
        self.picker.reset()
        self.message.value = ""
        switch = ft.TextButton(self.t("lang.switch"), on_click=self._switch_language)
        header = ft.Row([heading(self.t("portal.title")), tagged("language", switch)], wrap=True)
        self.body.controls = [header, *controls]
        self.page.update()

    async def _switch_language(self, _: ft.Event) -> None:
        self.t = Texts("en" if self.t.language == "vi" else "vi")
        self.page.title = self.t("portal.title")
        shown = self._redraw()
        if inspect.isawaitable(shown):
            await shown

    async def _error(self, error: SohoaError | str) -> None:
        # A plain string is the browser's own upload error (e.g. a refused size).
        if isinstance(error, SohoaError):
            self._warn(error.message(self.t.language))
        else:
            self._warn(self.t("portal.upload_failed", error=error))

    def _warn(self, text: str) -> None:
        self.message.value = text
        self.message.color = ft.Colors.RED_700
        self.page.update()

    def _say(self, text: str) -> None:
        self.message.value = text
        self.message.color = ft.Colors.GREEN_800
        self.page.update()

    # Follow a dossier ---------------------------------------------------------------------

    def show_lookup(self) -> None:
        """Ask for the dossier code and the last digits."""
        self.dossier_id = None
        code = ft.TextField(label=self.t("portal.code"), autofocus=True)
        digits = ft.TextField(
            label=self.t("portal.digits"), keyboard_type=ft.KeyboardType.NUMBER, max_length=6
        )

        async def look_up(_: ft.Event) -> None:
            client = self.page.client_ip or "unknown"
            try:
                self.dossier_id = await asyncio.to_thread(
                    self.portal.follow, code.value or "", digits.value or "", client
                )
            except SohoaError as exc:
                await self._error(exc)
                return
            await self.show_dossier()

        self._show(
            self.show_lookup,
            ft.Text(self.t("portal.follow"), size=18),
            tagged("code", code),
            tagged("digits", digits),
            tagged("look-up", ft.FilledButton(self.t("portal.look_up"), on_click=look_up)),
            tagged("message", self.message),
            ft.Divider(),
            tagged(
                "preapply",
                ft.OutlinedButton(self.t("portal.preapply"), on_click=lambda _: self.show_search()),
            ),
        )

    async def show_dossier(self) -> None:
        """Show the found dossier: status, appointment, timeline, supplement and rating."""
        assert self.dossier_id is not None
        view = await asyncio.to_thread(self.portal.view, self.dossier_id)
        self._show(self.show_dossier, *self._dossier_controls(view))

    def _dossier_controls(self, view: CitizenView) -> list[ft.Control]:
        t, en = self.t, self.t.language == "en"
        controls: list[ft.Control] = [
            ft.Text(view.code, size=20, weight=ft.FontWeight.BOLD),
            ft.Text(t("portal.procedure", name=view.procedure_en if en else view.procedure_vi)),
            tagged("status", ft.Text(t("portal.status", status=t(f"status.{view.status}")))),
            ft.Text(t("portal.due", when=view.due_at.strftime(_WHEN))),
        ]
        if view.can_supplement:
            controls.append(ft.Text(t("portal.missing"), weight=ft.FontWeight.BOLD))
            for item in view.missing:
                name = item.name_en if en else item.name_vi
                controls.append(ft.Text(f"• {name}"))
                button = self.picker.button(item.item, t("portal.photograph", name=name))
                controls.append(tagged(f"photo-{item.item}", button))
            controls.append(ft.Text(t("dossier.pages", n=view.page_count)))
            controls.append(
                tagged("send", ft.FilledButton(t("portal.send"), on_click=self._finish))
            )
        if view.can_rate:
            controls.append(ft.Text(t("portal.rate")))
            for score in ("satisfied", "unsatisfied"):
                button = ft.FilledButton(t(f"portal.{score}"), on_click=self._rater(score))
                controls.append(tagged(f"rate-{score}", button))
        controls.append(tagged("message", self.message))
        controls.append(ft.Text(t("dossier.timeline"), weight=ft.FontWeight.BOLD))
        controls.extend(
            ft.Text(f"{entry.at.strftime(_WHEN)} — {t(f'event.{entry.event_type}')}")
            for entry in view.timeline
        )
        controls.append(
            tagged(
                "another",
                ft.OutlinedButton(t("portal.another"), on_click=lambda _: self.show_lookup()),
            )
        )
        return controls

    async def _photo(self, target: str, data: bytes) -> None:
        self._say(self.t("portal.processing"))
        try:
            if self.draft is not None:
                page = await asyncio.to_thread(store_photo, self.portal.context.blobs, data)
                self.draft.add_page(target, page.page_record())
                self.show_components()
                self._say(self.t("portal.page_added", n=self.draft.page_count))
                return
            assert self.dossier_id is not None
            await asyncio.to_thread(self.portal.add_photo, self.dossier_id, target, data)
        except SohoaError as exc:
            await self._error(exc)
            return
        await self.show_dossier()
        view = await asyncio.to_thread(self.portal.view, self.dossier_id)
        self._say(self.t("portal.page_added", n=view.page_count))

    async def _finish(self, _: ft.Event) -> None:
        await self._step(self.portal.finish_supplement, "portal.sent")

    def _rater(self, score: str):  # type: ignore[no-untyped-def]
        async def rate(_: ft.Event) -> None:
            await self._step(lambda dossier_id: self.portal.rate(dossier_id, score), "portal.rated")

        return rate

    async def _step(self, action, done_key: str) -> None:  # type: ignore[no-untyped-def]
        try:
            await asyncio.to_thread(action, self.dossier_id)
        except SohoaError as exc:
            await self._error(exc)
            return
        await self.show_dossier()
        self._say(self.t(done_key))

    # Pre-apply ----------------------------------------------------------------------------

    def show_search(self) -> None:
        """Let the citizen find the procedure to pre-apply for."""
        self.draft = None
        results = ft.Column()
        query = ft.TextField(label=self.t("portal.search_procedure"), autofocus=True)
        catalogue = self.portal.context.catalogue

        def search(_: ft.Event) -> None:
            found = catalogue.search(query.value or "")[:_SEARCH_LIMIT]
            results.controls = [
                tagged(
                    f"procedure-{p.code}",
                    ft.TextButton(
                        f"{p.code} — {p.name_en if self.t.language == 'en' else p.name}",
                        on_click=lambda _, code=p.code: self._choose(code),
                    ),
                )
                for p in found
            ]
            self.page.update()

        query.on_change = search
        self._show(
            self.show_search,
            ft.Text(self.t("portal.preapply"), size=18),
            tagged("procedure-search", query),
            results,
            tagged("back", ft.OutlinedButton(self.t("portal.another"), on_click=self._back)),
        )

    def _back(self, _: ft.Event) -> None:
        self.draft = None
        self.show_lookup()

    def _choose(self, procedure_code: str) -> None:
        catalogue = self.portal.context.catalogue
        self.draft = PreApplication(procedure_code, catalogue.version)
        self.show_components()

    def show_components(self) -> None:
        """Show each component of the chosen procedure with a photograph button."""
        assert self.draft is not None
        t, en = self.t, self.t.language == "en"
        procedure = self.portal.context.catalogue.get(self.draft.procedure_code)
        controls: list[ft.Control] = [
            ft.Text(t("portal.procedure", name=procedure.name_en if en else procedure.name)),
            ft.Text(t("portal.components"), weight=ft.FontWeight.BOLD),
        ]
        for component in procedure.components:
            name = component.name_en if en else component.name
            pages = len(self.draft.components.get(component.id, []))
            controls.append(ft.Text(f"• {name} — {t('portal.pages', n=pages)}"))
            button = self.picker.button(component.id, t("portal.photograph", name=name))
            controls.append(tagged(f"photo-{component.id}", button))
        controls.append(
            tagged("get-code", ft.FilledButton(t("portal.get_code"), on_click=self._issue))
        )
        controls.append(tagged("message", self.message))
        controls.append(tagged("back", ft.OutlinedButton(t("portal.another"), on_click=self._back)))
        self._show(self.show_components, *controls)

    async def _issue(self, _: ft.Event) -> None:
        draft = self.draft
        if draft is None or not draft.page_count:
            self._warn(self.t("portal.need_pages"))
            return

        def issue() -> PreApplication:
            with self.portal.context.db.write() as conn:
                return issue_preapplication(conn, draft, self.portal.context.catalogue)

        issued = await asyncio.to_thread(issue)
        self.draft = None
        self.show_issued(issued.code or "")

    def show_issued(self, code: str) -> None:
        """Show the pre-application code to bring to a centre."""
        self._show(
            lambda: self.show_issued(code),
            tagged("issued-code", ft.Text(code, size=28, selectable=True)),
            ft.Text(self.t("portal.code_issued", code=code)),
            tagged("back", ft.OutlinedButton(self.t("portal.another"), on_click=self._back)),
        )
