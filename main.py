"""Flet entry point that ``flet build`` looks for at the project root."""

import flet as ft

from app.main import main

if __name__ == "__main__":
    ft.run(main)
