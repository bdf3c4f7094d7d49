"""The city console: a unit's queue, dossiers and workflow, and Index-766 figures, at /console."""

from __future__ import annotations

from server.console.errors import BadStepInput, ConsoleError
from server.console.figures import (
    CITY,
    FiguresRow,
    Period,
    figures_csv,
    figures_rows,
    load_states,
    parse_period,
)
from server.console.mount import CONSOLE_PATH, mount_console
from server.console.queue import DossierDetail, QueueRow, open_dossier, unit_queue
from server.console.workflow import NEEDS_REASON, STEPS, step_payload, take_step

__all__ = [
    "CITY",
    "CONSOLE_PATH",
    "NEEDS_REASON",
    "STEPS",
    "BadStepInput",
    "ConsoleError",
    "DossierDetail",
    "FiguresRow",
    "Period",
    "QueueRow",
    "figures_csv",
    "figures_rows",
    "load_states",
    "mount_console",
    "open_dossier",
    "parse_period",
    "step_payload",
    "take_step",
    "unit_queue",
]
