"""The city console: a unit's queue, dossiers and workflow, and Index-766 figures, at /console."""

from __future__ import annotations

from server.console.errors import BadStepInput, ConsoleError
from server.console.figures import (
    CITY,
    FiguresRow,
    Period,
    figures_csv,
    parse_period,
    period_figures,
)
from server.console.mount import CONSOLE_PATH, mount_console
from server.console.queue import DossierDetail, QueueRow, open_dossier, unit_queue
from server.console.workflow import (
    NEEDS_REASON,
    STEPS,
    inputs_for,
    offered_steps,
    step_payload,
    take_step,
)

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
    "mount_console",
    "inputs_for",
    "offered_steps",
    "open_dossier",
    "parse_period",
    "period_figures",
    "step_payload",
    "take_step",
    "unit_queue",
]
