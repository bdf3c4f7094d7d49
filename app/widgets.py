"""Small widget helpers shared by the screens: stable test selectors, big buttons, headings."""

from __future__ import annotations

import flet as ft

__all__ = ["tagged", "big_button", "heading", "error_text", "side_by_side", "TOUCH_HEIGHT"]

TOUCH_HEIGHT = 56


def tagged(identifier: str, control: ft.Control) -> ft.Semantics:
    """Wrap `control` so browser tests find it by ``flt-semantics-identifier``."""
    return ft.Semantics(identifier=identifier, content=control)


def big_button(
    identifier: str, label: str, on_click: object, *, icon: str | None = None, primary: bool = True
) -> ft.Semantics:
    """A button sized for a finger on a tablet, tagged with `identifier`."""
    kind = ft.FilledButton if primary else ft.OutlinedButton
    return tagged(
        identifier,
        kind(content=ft.Text(label, size=17), icon=icon, on_click=on_click, height=TOUCH_HEIGHT),
    )


def heading(text: str) -> ft.Text:
    """A screen title."""
    return ft.Text(text, size=24, weight=ft.FontWeight.BOLD)


def error_text(identifier: str, text: str) -> ft.Semantics:
    """A red message, e.g. why the unlock or the receipt was refused."""
    return tagged(identifier, ft.Text(text, color=ft.Colors.RED_700, size=16))


def side_by_side(wide: ft.Control, narrow: ft.Control) -> ft.ResponsiveRow:
    """Put `narrow` (a button, a short field) beside `wide` on a tablet, under it on a phone."""
    wide.col = {"xs": 12, "md": 8}
    narrow.col = {"xs": 12, "md": 4}
    return ft.ResponsiveRow([wide, narrow], vertical_alignment=ft.CrossAxisAlignment.CENTER)
