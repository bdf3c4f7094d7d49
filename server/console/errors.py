"""Errors the city console shows an officer.

::

    ConsoleError               (core.errors.SohoaError)
    └── BadStepInput           an action lacks a reason, a unit, a date or the missing items
"""

from __future__ import annotations

from core.errors import SohoaError

__all__ = ["BadStepInput", "ConsoleError"]


class ConsoleError(SohoaError):
    """Base of every error the console shows."""

    code = "console_error"


class BadStepInput(ConsoleError):
    """A workflow action lacks an input it requires."""

    code = "bad_step_input"
