"""The package exports exactly its public names, and sync never imports Flet or the server."""

from __future__ import annotations

import ast
from pathlib import Path

import sync

SYNC_DIR = Path(sync.__file__).parent


def test_all_lists_exactly_the_public_names():
    public = {name for name in vars(sync) if not name.startswith("_")}
    modules = {path.stem for path in SYNC_DIR.glob("*.py")}
    assert set(sync.__all__) == public - modules - {"annotations"}


def test_sync_imports_neither_flet_nor_the_server_nor_the_app():
    for path in SYNC_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"flet", "server", "app"}, (path.name, name)
