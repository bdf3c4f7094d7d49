"""The city server: sync API, tus uploads, routing, workflow, figures, citizen document store.

``create_app(ServerSettings(...))`` builds the app; ``sohoa server`` runs it. Names load on first
use, so importing one submodule (the blob store, say) does not pull in the whole app.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["ServerProblem", "ServerSettings", "create_app", "running_server"]

_HOMES = {
    "ServerProblem": "server.errors",
    "ServerSettings": "server.settings",
    "create_app": "server.main",
    "running_server": "server.testing",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'server' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
