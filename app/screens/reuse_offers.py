"""Documents of the applicant the city already holds, offered per component instead of a scan."""

from __future__ import annotations

from datetime import datetime

import flet as ft

from app.state.checklist import ComponentPages, reuse_pages
from app.state.reuse import ReuseOffer, ReuseOffers, lookup_cccd
from app.widgets import big_button, tagged
from core.calendar import TIMEZONE
from core.errors import SohoaError

__all__ = ["OFFERS_SHOWN", "ReuseOffersView"]

OFFERS_SHOWN = 3


class ReuseOffersView:
    """The offers of the components step: asked once per applicant and procedure, when online."""

    def __init__(self, panel) -> None:
        self.panel = panel
        self.offers = ReuseOffers()
        self.asked: tuple[str, str] | None = None

    def _say(self, key: str, **values: object) -> str:
        return self.panel.screen.tr(f"reuse.{key}", **values)

    def ask(self) -> None:
        """Ask the city once per applicant and procedure, only when online with a valid CCCD."""
        shell, state = self.panel.screen.shell, self.panel.screen.state
        cccd = lookup_cccd(state.applicant.values, shell.link.online)
        if cccd is None or shell.desk is None or state.procedure is None:
            return
        asked = (cccd, state.procedure.code)
        if asked != self.asked:
            self.asked = asked
            shell.page.run_task(self._look_up, cccd, state.procedure)

    async def _look_up(self, cccd: str, procedure) -> None:
        shell = self.panel.screen.shell
        try:
            offers = await shell.run(shell.desk.city.reuse_offers, procedure, cccd)
        except SohoaError:
            return  # no offer is no loss: the officer scans as usual
        if self.asked != (cccd, procedure.code):
            return
        self.offers = offers
        if offers.by_component:  # redraw only for something to show: a redraw rebuilds buttons
            self.panel.screen.render()
            self.panel.screen.show()

    def rows(self, number: int, item: ComponentPages) -> list[ft.Control]:
        """The offers for one component's card, or the note that its pages are reused."""
        if item.pages and all(p.reused for p in item.pages):
            label = ft.Text(self._say("reused"), size=14, color=ft.Colors.GREEN_700)
            return [tagged(f"reused-{number}", label)]
        if self.asked is None or self.offers.cccd != self.asked[0]:
            return []
        offers = self.offers.for_component(item.component_id)[:OFFERS_SHOWN]
        run_task = self.panel.screen.shell.page.run_task
        return [
            ft.Row(
                [
                    ft.Text(self._label(offer), size=14),
                    big_button(
                        f"reuse-{number}-{index}",
                        self._say("use"),
                        lambda _, c=item.component_id, o=offer: run_task(self._use, c, o),
                        icon=ft.Icons.CLOUD_DOWNLOAD,
                        primary=False,
                    ),
                ],
                wrap=True,
            )
            for index, offer in enumerate(offers)
        ]

    def _label(self, offer: ReuseOffer) -> str:
        day = datetime.fromtimestamp(offer.stored_at, TIMEZONE).strftime("%d/%m/%Y")
        return self._say("offer", date=day, n=len(offer.pages))

    async def _use(self, component_id: str, offer: ReuseOffer) -> None:
        panel, shell = self.panel, self.panel.screen.shell
        cccd, procedure_code = self.asked or ("", "")
        panel.errors.pop(component_id, None)
        panel.set_busy(component_id, self._say("fetching"))
        try:
            pages = await shell.run(shell.desk.city.reuse, cccd, procedure_code, offer)
        except SohoaError as exc:
            panel.fail(component_id, exc.message(panel.screen.tr.language))
            return
        finally:
            panel.busy.pop(component_id, None)
        panel.store(reuse_pages(panel.checklist, component_id, pages))
