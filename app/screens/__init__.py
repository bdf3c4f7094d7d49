"""The screens of the officer app, by name, as the shell navigates between them."""

from __future__ import annotations

from app.screens.dossiers import build_dossier, build_dossiers
from app.screens.enrol import build_enrol
from app.screens.home import build_home
from app.screens.intake import build_intake
from app.screens.settings import build_settings
from app.screens.sync import build_sync
from app.screens.unlock import build_unlock

__all__ = ["SCREENS"]

SCREENS = {
    "enrol": build_enrol,
    "unlock": build_unlock,
    "home": build_home,
    "intake": build_intake,
    "dossiers": build_dossiers,
    "dossier": build_dossier,
    "sync": build_sync,
    "settings": build_settings,
}
